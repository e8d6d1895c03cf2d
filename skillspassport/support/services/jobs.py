"""Writes about job starts recorded from a case, and their 13- and 26-week sustainment checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest

from skillspassport.accounts.models import Organisation, User
from skillspassport.employers.models import ContractType, SustainmentCheck, SustainmentOutcome
from skillspassport.employers.services import job_start_record, sustainment_record
from skillspassport.support.models import Case, CaseJobStart
from skillspassport.support.services.cases import CaseworkError


@transaction.atomic
def case_job_start_record(
    *,
    actor: User,
    case: Case,
    employer: Organisation | None,
    employer_name: str,
    role_title: str,
    contract: ContractType | str,
    started_on: date,
    hours_per_week: Decimal,
    hourly_wage: Decimal | None,
    is_tech_role: bool = False,
    request: HttpRequest | None = None,
) -> CaseJobStart:
    """Record a job start from a case; its 13- and 26-week checks are scheduled with it."""
    if started_on < case.opened_on:
        raise CaseworkError(f"The start date must be on or after {case.opened_on:%-d %B %Y}")
    job = job_start_record(
        actor=actor,
        resident=case.resident,
        employer_name=employer_name,
        role_title=role_title,
        contract=contract,
        started_on=started_on,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        employer=employer,
        is_tech_role=is_tech_role,
        request=request,
    )
    return CaseJobStart.objects.create(case=case, job_start=job)


@transaction.atomic
def case_sustainment_record(
    *,
    actor: User,
    check: SustainmentCheck,
    outcome: SustainmentOutcome | str,
    checked_on: date,
    note: str = "",
    request: HttpRequest | None = None,
) -> SustainmentCheck:
    check = (
        SustainmentCheck.objects.select_for_update().select_related("job_start").get(pk=check.pk)
    )
    if check.outcome:
        raise CaseworkError(f"This check was already recorded: {check.get_outcome_display()}")
    if checked_on < check.job_start.started_on:
        raise CaseworkError("The date checked must be after the job started")
    return sustainment_record(
        actor=actor,
        check=check,
        outcome=outcome,
        checked_on=checked_on,
        note=note,
        request=request,
    )
