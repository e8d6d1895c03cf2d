"""Writes about job outcomes: a job start, and its 13- and 26-week sustainment checks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.employers.models import (
    ContractType,
    JobStart,
    SustainmentCheck,
    SustainmentOutcome,
)
from skillspassport.employers.services.errors import EmployerError
from skillspassport.people.models import Resident

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
    """Record the result of a sustainment check (the caller checked access).

    Whoever records it, through casework or as the employer: a check is recorded once (never
    over what someone else recorded), and never dated before the job started.
    """
    if outcome not in (o.value for o in SustainmentOutcome if o.value):
        raise ValueError(f"Unknown sustainment outcome {outcome!r}")
    check = (
        SustainmentCheck.objects.select_for_update()
        .select_related("job_start__resident")
        .get(pk=check.pk)
    )
    if check.outcome:
        raise EmployerError(f"This check was already recorded: {check.get_outcome_display()}")
    if checked_on < check.job_start.started_on:
        raise EmployerError("The date checked cannot be before the job started", "checked_on")
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
