"""Writes about employers, opportunities, referrals and job outcomes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.areas.selectors import areas_for_postcode
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.employers.analytics import matching
from skillspassport.employers.models import (
    OPEN_STATUSES,
    STRANDS,
    ContractType,
    EmployerProfile,
    JobRole,
    JobStart,
    Opportunity,
    Pledge,
    Referral,
    ReferralStatus,
    RoleNeed,
    RoleSkill,
    Site,
    SustainmentCheck,
    SustainmentOutcome,
    WithdrawalCause,
)
from skillspassport.people.models import ConsentPurpose, ConsentRecord, Resident
from skillspassport.skills.models import PassportLevel


class EmployerError(Exception):
    """A request the rules do not allow; the message is written for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Employers, sites and the compact --------------------------------------------------------


@transaction.atomic
def employer_create(
    *,
    actor: User,
    council: Organisation,
    name: str,
    sector: str,
    size_band: str,
    website: str = "",
) -> Organisation:
    name = " ".join(name.split())
    if Organisation.objects.filter(name__iexact=name).exists():
        raise EmployerError(f"An organisation called {name} already exists", "name")
    employer = Organisation.objects.create(
        name=name, kind=OrganisationKind.EMPLOYER, council=council
    )
    EmployerProfile.objects.create(
        organisation=employer, sector=sector, size_band=size_band, website=website
    )
    return employer


@transaction.atomic
def site_add(*, actor: User, employer: Organisation, name: str, postcode: str) -> Site:
    normal = normalise_postcode(postcode)
    if normal is None:
        raise EmployerError("Enter a real postcode, like L20 3NJ", "postcode")
    if Site.objects.filter(employer=employer, name__iexact=name.strip()).exists():
        raise EmployerError(f"{employer} already has a site called {name.strip()}", "name")
    areas = areas_for_postcode(normal)
    return Site.objects.create(
        employer=employer,
        name=name.strip(),
        postcode=normal,
        lsoa_id=areas.lsoa_code,
        ward_id=areas.ward_code,
    )


@transaction.atomic
def pledge_sign(
    *,
    actor: User,
    employer: Organisation,
    level: str,
    opportunity_type: str,
    quantity_per_year: int,
    starts_on: date,
    ends_on: date,
    note: str = "",
) -> Pledge:
    if quantity_per_year < 1:
        raise EmployerError("Pledge at least 1 a year", "quantity_per_year")
    if ends_on < starts_on:
        raise EmployerError("The end date must be on or after the start date", "ends_on")
    return Pledge.objects.create(
        employer=employer,
        level=level,
        opportunity_type=opportunity_type,
        quantity_per_year=quantity_per_year,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
        signed_by=actor,
    )


@transaction.atomic
def role_create(
    *,
    actor: User,
    employer: Organisation,
    title: str,
    advert_text: str = "",
    is_tech_role: bool = False,
    skills: Sequence[tuple[str, str, float | None]] = (),
    needs: Sequence[tuple[str, str, str, str]] = (),
) -> JobRole:
    """A role with the ESCO skills the employer confirmed (uri, label, score) and the
    framework areas it needs (area code, strand, level, source)."""
    role = JobRole.objects.create(
        employer=employer,
        title=" ".join(title.split()),
        advert_text=advert_text,
        is_tech_role=is_tech_role,
        created_by=actor,
    )
    seen_uris: set[str] = set()
    RoleSkill.objects.bulk_create(
        RoleSkill(role=role, esco_uri=uri, label=label, score=score)
        for uri, label, score in skills
        if not (uri in seen_uris or seen_uris.add(uri))  # type: ignore[func-returns-value]
    )
    seen_areas: set[str] = set()
    RoleNeed.objects.bulk_create(
        RoleNeed(role=role, area_code=area, strand=strand, level=level, source=source)
        for area, strand, level, source in needs
        if not (area in seen_areas or seen_areas.add(area))  # type: ignore[func-returns-value]
    )
    return role


@transaction.atomic
def opportunity_create(
    *,
    actor: User,
    employer: Organisation,
    title: str,
    opportunity_type: str,
    places: int,
    closing_on: date,
    minimum: dict[str, str],
    role: JobRole | None = None,
    pledge: Pledge | None = None,
    site: Site | None = None,
    hours_per_week: Decimal | None = None,
    hourly_wage: Decimal | None = None,
    description: str = "",
    today: date | None = None,
) -> Opportunity:
    today = today or timezone.localdate()
    if places < 1:
        raise EmployerError("An opportunity needs at least 1 place", "places")
    if closing_on < today:
        raise EmployerError("The closing date must be today or in the future", "closing_on")
    for thing in (role, pledge, site):
        if thing is not None and thing.employer_id != employer.pk:
            raise EmployerError("Choose a role, pledge and site of this employer")
    return Opportunity.objects.create(
        employer=employer,
        title=" ".join(title.split()),
        opportunity_type=opportunity_type,
        places=places,
        closing_on=closing_on,
        role=role,
        pledge=pledge,
        site=site,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        description=description,
        created_by=actor,
        **{f"min_{strand}": minimum.get(strand, "") for strand in STRANDS},
    )


@transaction.atomic
def opportunity_withdraw(*, actor: User, opportunity: Opportunity) -> Opportunity:
    opportunity.withdrawn_at = timezone.now()
    opportunity.save(update_fields=["withdrawn_at"])
    return opportunity


# --- Referrals and outcomes ------------------------------------------------------------------


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
    if opportunity.withdrawn_at is not None or opportunity.closing_on < today:
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
    return referral


STAGES = {
    ReferralStatus.INTERVIEWED: (ReferralStatus.REFERRED,),
    ReferralStatus.OFFERED: (ReferralStatus.REFERRED, ReferralStatus.INTERVIEWED),
    ReferralStatus.STARTED: (ReferralStatus.OFFERED,),
}


@transaction.atomic
def referral_progress(
    *,
    actor: User,
    referral: Referral,
    stage: ReferralStatus | str,
    on: date,
    hours_per_week: Decimal | None = None,
    hourly_wage: Decimal | None = None,
    contract: str = ContractType.PERMANENT,
    today: date | None = None,
    request: HttpRequest | None = None,
) -> Referral:
    """Move a referral on: interviewed, offered, started. A start records the job start and
    schedules its 13- and 26-week sustainment checks."""
    today = today or timezone.localdate()
    referral = (
        Referral.objects.select_for_update()
        .select_related("opportunity__employer")
        .get(pk=referral.pk)
    )
    stage = ReferralStatus(stage)
    if stage not in STAGES:
        raise EmployerError("Choose interviewed, offered or started")
    if referral.status not in STAGES[stage]:
        raise EmployerError(
            f"This referral is {referral.get_status_display().lower()}: it cannot be marked "
            f"{stage.label.lower()} now"
        )
    if on > today:
        raise EmployerError("The date cannot be in the future", "on")
    if on < referral.referred_at.date():
        raise EmployerError("The date cannot be before the referral was made", "on")
    opportunity = referral.opportunity
    if stage == ReferralStatus.STARTED:
        if hours_per_week is None:
            raise EmployerError("Enter the hours a week", "hours_per_week")
        referral.job_start = job_start_record(
            actor=actor,
            resident=referral.resident,
            employer=opportunity.employer,
            employer_name=opportunity.employer.name,
            role_title=opportunity.title,
            contract=contract,
            started_on=on,
            hours_per_week=hours_per_week,
            hourly_wage=hourly_wage,
            is_tech_role=bool(opportunity.role and opportunity.role.is_tech_role),
            request=request,
        )
    setattr(referral, f"{stage.value}_on", on)
    referral.status = stage
    referral.save()
    audit_record(
        user=actor,
        action=AuditAction.REFERRAL_UPDATED,
        resident=referral.resident,
        summary=f"{opportunity.title}: {stage.label.lower()} on {on:%d/%m/%Y}",
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


# --- Job starts -------------------------------------------------------------------------------

SUSTAINMENT_WEEKS = (13, 26)


@transaction.atomic
def job_start_record(
    *,
    actor: User,
    resident: Resident,
    employer_name: str,
    role_title: str,
    contract: ContractType | str,
    started_on: date,
    hours_per_week: Decimal,
    hourly_wage: Decimal | None = None,
    employer: Organisation | None = None,
    is_tech_role: bool = False,
    request: HttpRequest | None = None,
) -> JobStart:
    """Record a job start and schedule its 13- and 26-week sustainment checks.

    The caller has already checked that `actor` may act for `resident`.
    """
    job = JobStart.objects.create(
        resident=resident,
        employer=employer,
        employer_name=employer_name or (employer.name if employer else ""),
        role_title=role_title,
        contract=contract,
        started_on=started_on,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        is_tech_role=is_tech_role,
        recorded_by=actor,
    )
    SustainmentCheck.objects.bulk_create(
        SustainmentCheck(job_start=job, weeks=weeks, due_on=started_on + timedelta(weeks=weeks))
        for weeks in SUSTAINMENT_WEEKS
    )
    audit_record(
        user=actor,
        action=AuditAction.JOB_START_RECORDED,
        resident=resident,
        summary=f"{job.role_title} at {job.employer_name} from {started_on:%d/%m/%Y}",
        request=request,
    )
    return job


@transaction.atomic
def sustainment_record(
    *,
    actor: User,
    check: SustainmentCheck,
    outcome: SustainmentOutcome | str,
    checked_on: date,
    note: str = "",
    request: HttpRequest | None = None,
) -> SustainmentCheck:
    """Record the result of a sustainment check (the caller checked access)."""
    if outcome not in (o.value for o in SustainmentOutcome if o.value):
        raise ValueError(f"Unknown sustainment outcome {outcome!r}")
    check.outcome = outcome
    check.checked_on = checked_on
    check.checked_by = actor
    check.note = note
    check.save(update_fields=["outcome", "checked_on", "checked_by", "note"])
    audit_record(
        user=actor,
        action=AuditAction.SUSTAINMENT_RECORDED,
        resident=check.job_start.resident,
        summary=f"{check.weeks}-week check: {check.get_outcome_display()}",
        request=request,
    )
    return check
