"""Writes about job outcomes: a job start, and its 13- and 26-week sustainment checks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.employers.models import (
    SUSTAINED_KINDS,
    ContractType,
    JobStart,
    StartKind,
    SustainmentCheck,
    SustainmentOutcome,
)
from skillspassport.employers.services.errors import EmployerError
from skillspassport.people.models import Resident

SUSTAINMENT_WEEKS = (13, 26)


def due_on(started_on: date, weeks: int) -> date:
    """The day a job started on `started_on` reaches `weeks` weeks: its check falls due."""
    return started_on + timedelta(weeks=weeks)


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
    kind: StartKind | str | None = None,
    is_tech_role: bool = False,
    request: HttpRequest | None = None,
) -> JobStart:
    """Record a start and, for a job or an apprenticeship, schedule its 13- and 26-week
    sustainment checks (work experience and paid placements get none).

    The employer is a scheme employer or a name typed in, not both. Without `kind`, a start on an
    apprenticeship contract is an apprenticeship and any other a job. The caller has already
    checked that `actor` may act for `resident`.
    """
    employer_name = " ".join(employer_name.split())
    if employer is not None and employer_name and employer_name != employer.name:
        raise EmployerError(
            "Select a scheme employer or enter the employer name, not both", "employer_name"
        )
    if employer is None and not employer_name:
        raise EmployerError("Select a scheme employer or enter the employer name", "employer_name")
    if kind is None:
        kind = (
            StartKind.APPRENTICESHIP if contract == ContractType.APPRENTICESHIP else StartKind.JOB
        )
    job = JobStart.objects.create(
        resident=resident,
        employer=employer,
        employer_name=employer.name if employer is not None else employer_name,
        role_title=role_title,
        kind=kind,
        contract=contract,
        started_on=started_on,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        is_tech_role=is_tech_role,
        recorded_by=actor,
    )
    if kind in SUSTAINED_KINDS:
        SustainmentCheck.objects.bulk_create(
            SustainmentCheck(job_start=job, weeks=weeks, due_on=due_on(started_on, weeks))
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
    today: date | None = None,
    request: HttpRequest | None = None,
) -> SustainmentCheck:
    """Record the result of a sustainment check (the caller checked access). The one place
    the rules live, whoever records it — an adviser through casework or the employer:

    - a check is recorded once, never over what someone else recorded;
    - it is dated on or after the job started, and not in the future;
    - "still in work" (or "could not be confirmed") only once the check has fallen due, 13 or
      26 weeks after the start: before then the job has not been sustained yet. "No longer in
      work" may be recorded as soon as it is known.
    """
    today = today or timezone.localdate()
    if outcome not in (o.value for o in SustainmentOutcome if o.value):
        raise ValueError(f"Unknown sustainment outcome {outcome!r}")
    check = (
        SustainmentCheck.objects.select_for_update()
        .select_related("job_start__resident")
        .get(pk=check.pk)
    )
    if check.outcome:
        raise EmployerError(f"This check was already recorded: {check.get_outcome_display()}")
    started_on = check.job_start.started_on
    if checked_on > today:
        raise EmployerError("The date checked cannot be in the future", "checked_on")
    if checked_on < started_on:
        raise EmployerError(
            f"The date checked cannot be before the job started on {started_on:%-d %B %Y}",
            "checked_on",
        )
    if outcome != SustainmentOutcome.NOT_IN_WORK and checked_on < check.due_on:
        raise EmployerError(
            f"The {check.weeks}-week check falls due on {check.due_on:%-d %B %Y}: until then "
            "only “no longer in work” can be recorded",
            "checked_on",
        )
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
