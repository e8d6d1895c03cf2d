"""Writes about job starts recorded from a case, and their 13- and 26-week sustainment checks.

The rules for a start and for a check are the employers' (`employers.services`): whoever records
them, an adviser here or the employer on its own pages, the same service decides. Its refusals
reach casework pages as `JobOutcomeError` (a `CaseworkError`) with the field they are about.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest

from skillspassport.accounts.models import Organisation, User
from skillspassport.employers.models import ContractType, SustainmentCheck, SustainmentOutcome
from skillspassport.employers.services import (
    EmployerError,
    job_start_record,
    sustainment_record,
)
from skillspassport.support.models import Case, CaseJobStart
from skillspassport.support.services.cases import CaseworkError


class JobOutcomeError(CaseworkError):
    """A rule about a job start or a sustainment check; `field` names the field it is about."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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
        raise JobOutcomeError(
            f"The start date must be on or after {case.opened_on:%-d %B %Y}", "started_on"
        )
    try:
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
    except EmployerError as exc:
        raise JobOutcomeError(exc.message, exc.field) from exc
    return CaseJobStart.objects.create(case=case, job_start=job)


def case_sustainment_record(
    *,
    actor: User,
    check: SustainmentCheck,
    outcome: SustainmentOutcome | str,
    checked_on: date,
    note: str = "",
    today: date | None = None,
    request: HttpRequest | None = None,
) -> SustainmentCheck:
    """Record a check from casework, by the one service that holds the rules."""
    try:
        return sustainment_record(
            actor=actor,
            check=check,
            outcome=outcome,
            checked_on=checked_on,
            note=note,
            today=today,
            request=request,
        )
    except EmployerError as exc:
        raise JobOutcomeError(exc.message, exc.field) from exc
