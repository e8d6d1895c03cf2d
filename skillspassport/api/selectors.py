"""Reads of the partner API's own records."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.api.models import IdempotentRequest, PartnerAccess
from skillspassport.employers import selectors as employer_selectors
from skillspassport.employers.models import Opportunity
from skillspassport.people.models import ConsentRecord, Resident
from skillspassport.training import selectors as training_selectors
from skillspassport.training.models import Cohort, Enrolment, Session

# How long the answer to a create sent with an Idempotency-Key is kept (and replayed).
IDEMPOTENCY_KEPT = timedelta(hours=24)


def access_for_application(*, application: Any) -> PartnerAccess | None:
    """The partner access of a live API client holding the OAuth application, if any; its
    account must still be active (deactivating it in Users stops the client)."""
    return (
        PartnerAccess.objects.select_related("api_client__council", "organisation", "account")
        .filter(
            api_client__application=application,
            api_client__revoked_at=None,
            account__is_active=True,
        )
        .first()
    )


def idempotent_answer(*, access: PartnerAccess, key: str) -> IdempotentRequest | None:
    """The answer kept for the client's key, if it is recent enough to replay."""
    return IdempotentRequest.objects.filter(
        access=access, key=key, created_at__gte=timezone.now() - IDEMPOTENCY_KEPT
    ).first()


def with_active_consents(residents: QuerySet[Resident]) -> QuerySet[Resident]:
    """Residents (already guarded) with their active consent records as `active_consents`."""
    return residents.prefetch_related(
        Prefetch("consents", queryset=ConsentRecord.objects.active(), to_attr="active_consents")
    )


def enrolments_of_cohort(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """The enrolments of a cohort already fetched through `cohort_get_for_user`."""
    return Enrolment.objects.filter(cohort=cohort).select_related("resident")


def opportunities_for(*, user: User) -> QuerySet[Opportunity]:
    """Opportunities of the user's own employer, or, for scheme staff, of the employers in
    their councils' schemes (as the opportunity pages show them)."""
    own = employer_selectors.own_employer_ids(user=user)
    councils = employer_selectors.scheme_council_ids(
        user=user, capabilities=employer_selectors.STAFF_CAPABILITIES
    )
    return Opportunity.objects.filter(
        Q(employer_id__in=own) | Q(employer__council_id__in=councils)
    ).select_related("employer")


def cohorts_with_sessions(*, user: User) -> QuerySet[Cohort]:
    """The cohorts of the user's training organisations, each with its sessions in order."""
    return (
        training_selectors.cohorts_for_user(user=user)
        .select_related("course__provider")
        .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at")))
        .order_by("pk")
    )
