"""Writes about paid work placements and their outcomes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.support.models import Case, Placement, PlacementOutcome
from skillspassport.support.services.cases import CaseworkError, require_open


@transaction.atomic
def placement_record(
    *,
    actor: User,
    case: Case,
    employer: Organisation | None,
    employer_name: str,
    role_title: str,
    weeks: int,
    hours_per_week: Decimal,
    hourly_wage: Decimal,
    starts_on: date,
    ends_on: date,
    outcome: PlacementOutcome | str = PlacementOutcome.ONGOING,
    request: HttpRequest | None = None,
) -> Placement:
    require_open(case)
    if ends_on <= starts_on:
        raise CaseworkError("The end date must be after the start date")
    if hourly_wage <= 0:
        raise CaseworkError("Hourly wage must be more than £0.00")
    placement = Placement.objects.create(
        case=case,
        employer=employer,
        employer_name=employer_name or (employer.name if employer else ""),
        role_title=role_title,
        weeks=weeks,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        starts_on=starts_on,
        ends_on=ends_on,
        outcome=outcome,
        recorded_by=actor,
    )
    audit_record(
        user=actor,
        action=AuditAction.PLACEMENT_RECORDED,
        resident=case.resident,
        summary=f"{placement.role_title} at {placement.employer_name}, {weeks} weeks",
        request=request,
    )
    return placement


@transaction.atomic
def placement_set_outcome(
    *,
    actor: User,
    placement: Placement,
    outcome: PlacementOutcome | str,
    request: HttpRequest | None = None,
) -> Placement:
    placement = (
        Placement.objects.select_for_update().select_related("case__resident").get(pk=placement.pk)
    )
    if outcome not in PlacementOutcome.values:
        raise CaseworkError("Select the outcome")
    placement.outcome = outcome
    placement.save(update_fields=["outcome"])
    audit_record(
        user=actor,
        action=AuditAction.PLACEMENT_RECORDED,
        resident=placement.case.resident,
        summary=f"{placement.role_title} placement: {placement.get_outcome_display().lower()}",
        request=request,
    )
    return placement
