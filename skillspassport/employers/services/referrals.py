"""Writes about referrals: making one, recording its progress (an interview booked, interviewed,
offered, started, unsuccessful, declined by the resident), withdrawing it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.employers import notifications
from skillspassport.employers.analytics import matching
from skillspassport.employers.models import (
    OPEN_STATUSES,
    START_KIND_OF_OPPORTUNITY,
    ContractType,
    Opportunity,
    OpportunityType,
    Referral,
    ReferralStatus,
    WithdrawalCause,
)
from skillspassport.employers.services.errors import EmployerError
from skillspassport.employers.services.sustainment import job_start_record
from skillspassport.people.models import ConsentPurpose, ConsentRecord, Resident
from skillspassport.skills.models import PassportLevel


def _levels(resident: Resident) -> dict[str, str]:
    return dict(PassportLevel.objects.filter(resident=resident).values_list("strand_code", "level"))


@transaction.atomic
def referral_create(
    *,
    actor: User,
    opportunity: Opportunity,
    resident: Resident,
    note: str = "",
    today: date | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Refer a resident who consented to be put forward and meets the minimum levels.

    The caller has checked that `actor` may see the resident and the opportunity.
    """
    today = today or timezone.localdate()
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if not opportunity.is_open_on(today):
        raise EmployerError("This opportunity has closed: it no longer takes referrals")
    active = set(
        ConsentRecord.objects.active()
        .filter(resident=resident, purpose__in=[ConsentPurpose.SCHEME, ConsentPurpose.PUT_FORWARD])
        .values_list("purpose", flat=True)
    )
    if ConsentPurpose.SCHEME not in active:
        raise EmployerError(
            f"{resident.full_name} no longer takes part in the scheme, so cannot be referred "
            "to employers through it."
        )
    if ConsentPurpose.PUT_FORWARD not in active:
        raise EmployerError(
            f"{resident.full_name} has not agreed to be put forward to employers. Record "
            "their consent on their page first."
        )
    if (
        Referral.objects.filter(opportunity=opportunity, resident=resident)
        .exclude(status=ReferralStatus.WITHDRAWN)
        .exists()
    ):
        raise EmployerError(f"{resident.full_name} is already referred to this opportunity")
    filled = Referral.objects.filter(opportunity=opportunity, status=ReferralStatus.STARTED).count()
    if filled >= opportunity.places:
        raise EmployerError("Every place on this opportunity is filled")
    profile = matching.ResidentProfile(resident.pk, _levels(resident))
    wanted = matching.Opportunity(
        opportunity.pk, {s: lvl for s, lvl in opportunity.minimum_levels().items() if lvl}
    )
    match = matching.assess(profile, wanted)
    if match is None or not match.qualifies:
        raise EmployerError(
            f"{resident.full_name}'s passport does not meet this opportunity's minimum levels yet"
        )
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                opportunity=opportunity, resident=resident, referred_by=actor, note=note
            )
    except IntegrityError as exc:  # a second referral at the same moment
        raise EmployerError(
            f"{resident.full_name} is already referred to this opportunity"
        ) from exc
    audit_record(
        user=actor,
        action=AuditAction.REFERRED,
        resident=resident,
        summary=f"to {opportunity.title} at {opportunity.employer}",
        request=request,
    )
    notifications.referral_made(referral)
    return referral


S = ReferralStatus
STAGES = {
    S.INTERVIEW_BOOKED: (S.REFERRED, S.INTERVIEW_BOOKED),
    S.INTERVIEWED: (S.REFERRED, S.INTERVIEW_BOOKED),
    S.OFFERED: (S.REFERRED, S.INTERVIEW_BOOKED, S.INTERVIEWED),
    S.STARTED: (S.OFFERED,),
    S.UNSUCCESSFUL: (S.INTERVIEWED, S.OFFERED),
    S.DECLINED: (S.REFERRED, S.INTERVIEW_BOOKED, S.INTERVIEWED, S.OFFERED),
}
"""Each stage a referral may move to, and the stages it may move there from. An interview can
be booked again (moved); a referral is unsuccessful only after an interview or an offer."""
CLOSING_STAGES = (S.UNSUCCESSFUL, S.DECLINED)
BOOKING_HORIZON = timedelta(days=366)
_EARLIER_DATES = {
    S.OFFERED: ("interviewed_on",),
    S.STARTED: ("interviewed_on", "offered_on"),
    S.UNSUCCESSFUL: ("interviewed_on", "offered_on"),
    S.DECLINED: ("interviewed_on", "offered_on"),
}


def _stage_names() -> str:
    labels = [stage.label.lower() for stage in STAGES]
    return ", ".join(labels[:-1]) + " or " + labels[-1]


def _check_date(referral: Referral, stage: ReferralStatus, on: date | None, today: date) -> date:
    if on is None:
        raise EmployerError("Enter the date", "on")
    if on > today:
        raise EmployerError("The date cannot be in the future", "on")
    if on < timezone.localdate(referral.referred_at):
        raise EmployerError("The date cannot be before the referral was made", "on")
    for name in _EARLIER_DATES.get(stage, ()):
        earlier = getattr(referral, name)
        if earlier is not None and on < earlier:
            what = name.removesuffix("_on")
            raise EmployerError(
                f"The date cannot be before the day they were {what} ({earlier:%-d %B %Y})", "on"
            )
    return on


def _check_booking(referral: Referral, at: datetime | None, today: date) -> datetime:
    if at is None:
        raise EmployerError("Enter the date and time of the interview", "interview_on")
    if timezone.localdate(at) < timezone.localdate(referral.referred_at):
        raise EmployerError("The interview cannot be before the referral was made", "interview_on")
    if timezone.localdate(at) > today + BOOKING_HORIZON:
        raise EmployerError("The interview must be within a year from today", "interview_on")
    return at


@transaction.atomic
def referral_progress(
    *,
    actor: User,
    referral: Referral,
    stage: ReferralStatus | str,
    on: date | None = None,
    at: datetime | None = None,
    note: str = "",
    hours_per_week: Decimal | None = None,
    hourly_wage: Decimal | None = None,
    contract: str = ContractType.PERMANENT,
    today: date | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Move a referral on, by the transitions in `STAGES` only, each audited:

    - interview booked `at` a date and time — in the future, or in the past when it is recorded
      after the fact (not before the referral, not more than a year ahead);
    - interviewed, offered, started, unsuccessful or declined by the resident `on` a day that is
      not in the future, nor before the referral or the stage before it. A start records the job
      start (with its 13- and 26-week checks for a job or an apprenticeship); unsuccessful and
      declined close the referral, keeping the stage it reached and an optional `note`.
    """
    today = today or timezone.localdate()
    referral = (
        Referral.objects.select_for_update()
        .select_related("opportunity__employer")
        .get(pk=referral.pk)
    )
    try:
        stage = ReferralStatus(stage)
    except ValueError as exc:
        raise EmployerError(f"Choose {_stage_names()}", "stage") from exc
    if stage not in STAGES:
        raise EmployerError(f"Choose {_stage_names()}", "stage")
    if referral.status not in STAGES[stage]:
        raise EmployerError(
            f"This referral is {referral.get_status_display().lower()}: it cannot be marked "
            f"{stage.label.lower()} now"
        )
    opportunity = referral.opportunity
    if stage == S.INTERVIEW_BOOKED:
        referral.interview_at = _check_booking(referral, at, today)
        summary = f"interview booked for {timezone.localtime(referral.interview_at):%d/%m/%Y %H:%M}"
    else:
        on = _check_date(referral, stage, on, today)
        summary = f"{stage.label.lower()} on {on:%d/%m/%Y}"
        if stage in CLOSING_STAGES:
            referral.closed_stage = referral.status
            referral.closed_on = on
            referral.closed_note = " ".join(note.split())[:500]
        else:
            setattr(referral, f"{stage.value}_on", on)
    if stage == S.STARTED:
        if hours_per_week is None:
            raise EmployerError("Enter the hours a week", "hours_per_week")
        assert on is not None  # checked above
        referral.job_start = job_start_record(
            actor=actor,
            resident=referral.resident,
            employer=opportunity.employer,
            employer_name=opportunity.employer.name,
            role_title=opportunity.title,
            kind=START_KIND_OF_OPPORTUNITY[OpportunityType(opportunity.opportunity_type)],
            contract=contract,
            started_on=on,
            hours_per_week=hours_per_week,
            hourly_wage=hourly_wage,
            is_tech_role=bool(opportunity.role and opportunity.role.is_tech_role),
            request=request,
        )
    referral.status = stage
    referral.save()
    audit_record(
        user=actor,
        action=AuditAction.REFERRAL_UPDATED,
        resident=referral.resident,
        summary=f"{opportunity.title}: {summary}",
        request=request,
    )
    return referral


@transaction.atomic
def referral_withdraw(
    *, actor: User, referral: Referral, reason: str, request: HttpRequest | None = None
) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    reason = reason.strip()
    if not reason:
        raise EmployerError("Say why the referral is withdrawn", "reason")
    if referral.status == ReferralStatus.WITHDRAWN:
        raise EmployerError("This referral is already withdrawn")
    if not referral.is_open:
        raise EmployerError(
            f"This referral is {referral.get_status_display().lower()}: it is closed already"
        )
    referral.withdrawn_stage = referral.status
    referral.status = ReferralStatus.WITHDRAWN
    referral.withdrawn_at = timezone.now()
    referral.withdrawal_reason = reason[:500]
    referral.withdrawal_cause = WithdrawalCause.RECORDED
    referral.save()
    audit_record(
        user=actor,
        action=AuditAction.REFERRAL_UPDATED,
        resident=referral.resident,
        summary=f"withdrawn at stage {referral.withdrawn_stage}",
        fields=["withdrawal_reason"],
        request=request,
    )
    return referral


CONSENT_WITHDRAWN_REASON = "The resident withdrew consent to be put forward to employers"


@transaction.atomic
def referrals_close_for_consent(
    *, actor: User, resident: Resident, request: HttpRequest | None = None
) -> list[Referral]:
    """Close the resident's open referrals because they withdrew consent to be put forward.

    Runs inside the consent withdrawal's transaction (through `people.signals`). Referrals that
    ended in a start stay as they are, so job outcomes still count; what employers see of any
    referral follows the consent at the moment they look (`selectors.referral_shows_resident`).
    """
    closed = list(
        Referral.objects.select_for_update()
        .filter(resident=resident, status__in=OPEN_STATUSES)
        .select_related("opportunity__employer")
        .order_by("pk")
    )
    now = timezone.now()
    for referral in closed:
        referral.withdrawn_stage = referral.status
        referral.status = ReferralStatus.WITHDRAWN
        referral.withdrawn_at = now
        referral.withdrawal_reason = CONSENT_WITHDRAWN_REASON
        referral.withdrawal_cause = WithdrawalCause.CONSENT
        referral.save(
            update_fields=[
                "withdrawn_stage",
                "status",
                "withdrawn_at",
                "withdrawal_reason",
                "withdrawal_cause",
            ]
        )
        audit_record(
            user=actor,
            action=AuditAction.REFERRAL_UPDATED,
            resident=resident,
            summary=(
                f"closed at stage {referral.withdrawn_stage}: consent to be put forward "
                f"withdrawn ({referral.opportunity.title} at {referral.opportunity.employer})"
            ),
            request=request,
        )
    return closed


def referral_viewed(*, actor: User, referrals: Iterable[Referral], request: HttpRequest) -> None:
    """An employer contact opened referred residents' details."""
    for referral in referrals:
        audit_record(
            user=actor,
            action=AuditAction.REFERRAL_VIEWED,
            resident=referral.resident,
            summary=f"{referral.opportunity.employer}: {referral.opportunity.title}",
            request=request,
        )
