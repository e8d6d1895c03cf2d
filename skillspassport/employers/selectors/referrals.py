"""Referrals: who may see one, and what an employer sees of the person referred."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, QuerySet, When
from django.http import Http404

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability
from skillspassport.credentials.models import IssuedCredential
from skillspassport.credentials.selectors import credentials_of
from skillspassport.employers.models import Referral, ReferralStatus
from skillspassport.employers.selectors.access import own_employer_ids, put_forward
from skillspassport.people.models import ConsentPurpose, ConsentRecord, Resident


@dataclass(frozen=True)
class ReferralAccess:
    """A referral and what the user may do with it."""

    referral: Referral
    as_staff: bool  # scheme staff who may see the resident; else the employer it was made to
    may_change: bool  # record its progress or withdraw it


def referral_get_for_user(
    *, user: User, referral_id: int | str, change: bool = False
) -> ReferralAccess:
    """A referral, for the employer it was made to or for staff who may see the resident.

    Http404 for anyone else (guessing ids reveals nothing). The employer's contacts may record
    its progress; staff may change it when they refer residents in the resident's organisation.
    With `change`, PermissionDenied when the user may read the referral but not change it.
    """
    try:
        referral = Referral.objects.select_related(
            "opportunity__employer", "resident", "referred_by", "job_start"
        ).get(pk=int(referral_id))
    except (Referral.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such referral") from exc
    if referral.opportunity.employer_id in own_employer_ids(user=user):
        access = ReferralAccess(referral, as_staff=False, may_change=True)
    elif Resident.objects.visible_to(user).filter(pk=referral.resident_id).exists():
        may_change = scope_for(user, Capability.REFER_RESIDENTS).holds(
            referral.resident.organisation_id
        )
        access = ReferralAccess(referral, as_staff=True, may_change=may_change)
    else:
        raise Http404("No such referral")
    if change and not access.may_change:
        raise PermissionDenied
    return access


def referral_shows_resident(*, referral: Referral) -> bool:
    """Whether the employer may see who the referral is about: their name, contact details,
    passport and credentials.

    Decided when the employer looks, from the consent active at that moment: never on a
    withdrawn referral, and never once the resident has withdrawn consent to be put forward
    (whatever stage the referral reached).
    """
    if referral.status == ReferralStatus.WITHDRAWN:
        return False
    return referral_consent_active(referral=referral)


def referral_consent_active(*, referral: Referral) -> bool:
    """Whether the referred resident still agrees to be put forward to employers."""
    return (
        ConsentRecord.objects.active()
        .filter(resident_id=referral.resident_id, purpose=ConsentPurpose.PUT_FORWARD)
        .exists()
    )


def referrals_for_employer(*, employer: Organisation) -> QuerySet[Referral]:
    """Referrals to the employer, each annotated with `consent_active` and `shows_resident`
    (see `referral_shows_resident`): templates show a resident's name only where it is True."""
    return (
        Referral.objects.filter(opportunity__employer=employer)
        .select_related("opportunity", "resident", "job_start")
        .annotate(
            consent_active=put_forward("resident_id"),
            shows_resident=Case(
                When(status=ReferralStatus.WITHDRAWN, then=False),
                When(put_forward("resident_id"), then=True),
                default=False,
                output_field=BooleanField(),
            ),
        )
        .order_by("-referred_at", "-id")
    )


def referrals_visible_to(*, user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(resident__in=Resident.objects.visible_to(user)).select_related(
        "opportunity__employer", "resident"
    )


def referrals_seen_by(*, user: User, employer: Organisation, as_staff: bool) -> QuerySet[Referral]:
    """Referrals to the employer as the user sees them: for scheme staff, those of residents
    they may see; for the employer's own contacts, every referral made to it, annotated as in
    `referrals_for_employer`."""
    if as_staff:
        return referrals_visible_to(user=user).filter(opportunity__employer=employer)
    return referrals_for_employer(employer=employer)


def referrals_of_resident(*, resident: Resident) -> list[Referral]:
    """The referrals of a resident the user already reached through a guard."""
    return list(
        Referral.objects.filter(resident=resident).select_related(
            "opportunity__employer", "job_start"
        )
    )


def referral_credentials(*, referral: Referral) -> list[IssuedCredential]:
    """The referred resident's credentials that are active now, newest first."""
    return [c for c in credentials_of(resident=referral.resident) if c.state == "active"]
