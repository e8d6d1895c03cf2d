"""Sustainment checks: which are due, and the one guard for recording one."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.employers.models import Referral, ReferralStatus, SustainmentCheck
from skillspassport.employers.selectors.access import own_employer_ids, put_forward
from skillspassport.employers.selectors.referrals import referral_shows_resident
from skillspassport.people.models import Resident


def checks_due(
    *, user: User, today: date | None = None, within_days: int = 14
) -> QuerySet[SustainmentCheck]:
    """Sustainment checks not yet done that fall due within `within_days` (or are overdue):
    for staff, of residents they may see; for an employer contact, of people who started with
    their employer through a referral."""
    today = today or timezone.localdate()
    whose = Q(job_start__resident__in=Resident.objects.visible_to(user)) | (
        Q(job_start__referral__opportunity__employer_id__in=own_employer_ids(user=user))
        & ~Q(job_start__referral__status=ReferralStatus.WITHDRAWN)
        & Q(put_forward("job_start__resident_id"))
    )
    return (
        SustainmentCheck.objects.filter(
            whose, outcome="", due_on__lte=today + timedelta(days=within_days)
        )
        .select_related("job_start__resident", "job_start__referral")
        .order_by("due_on", "id")
    )


def check_get_for_user(*, user: User, check_id: int | str) -> SustainmentCheck:
    """A sustainment check: the one guard for recording an outcome, wherever it is recorded.

    For the employer the person started with through a referral; or for staff who may see the
    resident and refer residents or work on cases in the resident's organisation (Http404 for
    a check of a resident they may not see, PermissionDenied when they may see but not record).
    Casework pages then also need the case the job start was recorded from
    (`support.selectors.case_for_check`).
    """
    try:
        check = SustainmentCheck.objects.select_related(
            "job_start__resident", "job_start__referral__opportunity"
        ).get(pk=int(check_id))
    except (SustainmentCheck.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such check") from exc
    referral = getattr(check.job_start, "referral", None)
    if (
        referral is not None
        and referral.opportunity.employer_id in own_employer_ids(user=user)
        and referral_shows_resident(referral=referral)
    ):
        return check
    resident = check.job_start.resident
    if not Resident.objects.visible_to(user).filter(pk=resident.pk).exists():
        raise Http404("No such check")
    if not scope_for(user, Capability.REFER_RESIDENTS, Capability.MANAGE_CASES).holds(
        resident.organisation_id
    ):
        raise PermissionDenied
    return check


def checks_of_referral(*, referral: Referral) -> list[SustainmentCheck]:
    """The sustainment checks of the job a referral led to (none before a start)."""
    if referral.job_start_id is None:
        return []
    return list(SustainmentCheck.objects.filter(job_start_id=referral.job_start_id))
