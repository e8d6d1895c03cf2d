"""Writes about a case: opening it from a referral in, its adviser and review date, the action
plan's goals, case notes, and closing it.

Callers have fetched the case through `case_get_for_user`, so these functions do not check access
again; they enforce the business rules and keep every write whole (one transaction, with its audit
event). `CaseworkError` and `require_open` are shared by the other casework writes.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from skillspassport.accounts.models import User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.people.models import Resident
from skillspassport.support.models import (
    BudgetLedger,
    Case,
    CaseNote,
    CaseOutcome,
    Goal,
    GoalStatus,
    ReferralSource,
    SpendStatus,
)


class CaseworkError(ValueError):
    """A rule of casework stopped the change; the message is for the user, and `field` names
    the form field it is about (None for the form as a whole)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@transaction.atomic
def case_open(
    *,
    actor: User,
    resident: Resident,
    referral_source: ReferralSource | str,
    referred_on: date,
    referring_organisation: str,
    referral_contact: str = "",
    opened_on: date,
    next_review_on: date | None = None,
    adviser: User | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """Open a case from a referral in. One open case per resident per organisation."""
    if opened_on < referred_on:
        raise CaseworkError("The case cannot be opened before the referral date")
    if Case.objects.open().filter(resident=resident, organisation=resident.organisation).exists():
        raise CaseworkError(f"{resident.full_name} already has an open case")
    try:
        with transaction.atomic():
            case = Case.objects.create(
                resident=resident,
                organisation=resident.organisation,
                adviser=adviser or actor,
                referral_source=referral_source,
                referred_on=referred_on,
                referring_organisation=referring_organisation,
                referral_contact=referral_contact,
                opened_on=opened_on,
                next_review_on=next_review_on,
                opened_by=actor,
            )
    except IntegrityError as exc:  # a case opened at the same moment by someone else
        raise CaseworkError(f"{resident.full_name} already has an open case") from exc
    BudgetLedger.objects.get_or_create(resident=resident)
    audit_record(
        user=actor,
        action=AuditAction.CASE_OPENED,
        resident=resident,
        summary=f"Referral from {case.get_referral_source_display()} ({referring_organisation})",
        request=request,
    )
    return case


def require_open(case: Case) -> None:
    if not case.is_open:
        raise CaseworkError("This case is closed: reopen work by opening a new case")


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    adviser: User,
    next_review_on: date | None,
    request: HttpRequest | None = None,
) -> Case:
    require_open(case)
    changed = []
    if case.adviser_id != adviser.pk:
        changed.append("adviser")
    if case.next_review_on != next_review_on:
        changed.append("next_review_on")
    case.adviser = adviser
    case.next_review_on = next_review_on
    case.save(update_fields=["adviser", "next_review_on"])
    if changed:
        audit_record(
            user=actor,
            action=AuditAction.CASE_UPDATED,
            resident=case.resident,
            summary="Changed the case's adviser or review date",
            fields=changed,
            request=request,
        )
    return case


@transaction.atomic
def goal_add(
    *, actor: User, case: Case, text: str, target_on: date, request: HttpRequest | None = None
) -> Goal:
    require_open(case)
    goal = Goal.objects.create(case=case, text=text, target_on=target_on, created_by=actor)
    audit_record(
        user=actor,
        action=AuditAction.CASE_UPDATED,
        resident=case.resident,
        summary=f"Added a goal to the action plan (target {target_on:%d/%m/%Y})",
        request=request,
    )
    return goal


@transaction.atomic
def goal_update(
    *,
    actor: User,
    goal: Goal,
    text: str,
    target_on: date,
    status: GoalStatus | str,
    request: HttpRequest | None = None,
) -> Goal:
    """Change a goal of the action plan: its wording, target date and status."""
    require_open(goal.case)
    text = text.strip()
    if not text:
        raise CaseworkError("Enter the goal", field="text")
    if status not in GoalStatus.values:
        raise CaseworkError("Select the goal status", field="status")
    before = {"text": goal.text, "target_on": goal.target_on, "status": goal.status}
    goal.text, goal.target_on, goal.status = text, target_on, status
    changed = [name for name, value in before.items() if getattr(goal, name) != value]
    if changed:
        goal.save(update_fields=changed)
        audit_record(
            user=actor,
            action=AuditAction.CASE_UPDATED,
            resident=goal.case.resident,
            summary=f"Changed a goal of the action plan (target {target_on:%d/%m/%Y}, "
            f"{goal.get_status_display().lower()})",
            fields=[f"goal_{name}" for name in changed],
            request=request,
        )
    return goal


@transaction.atomic
def goal_set_status(
    *,
    actor: User,
    goal: Goal,
    status: GoalStatus | str,
    request: HttpRequest | None = None,
) -> Goal:
    require_open(goal.case)
    if status not in GoalStatus.values:
        raise CaseworkError("Select a goal status")
    goal.status = status
    goal.save(update_fields=["status"])
    audit_record(
        user=actor,
        action=AuditAction.CASE_UPDATED,
        resident=goal.case.resident,
        summary=f"Goal marked {goal.get_status_display().lower()}",
        request=request,
    )
    return goal


@transaction.atomic
def case_note_add(
    *, actor: User, case: Case, text: str, request: HttpRequest | None = None
) -> CaseNote:
    note = CaseNote.objects.create(case=case, text=text, author=actor)
    audit_record(
        user=actor, action=AuditAction.CASE_NOTE_ADDED, resident=case.resident, request=request
    )
    return note


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    outcome: CaseOutcome | str,
    closed_on: date,
    request: HttpRequest | None = None,
) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    require_open(case)
    if closed_on < case.opened_on:
        raise CaseworkError(f"The closing date must be on or after {case.opened_on:%-d %B %Y}")
    if outcome not in CaseOutcome.values:
        raise CaseworkError("Select the outcome")
    if case.spends.filter(status=SpendStatus.AWAITING).exists():
        raise CaseworkError("Cancel or decide the spends awaiting approval before closing")
    case.outcome = outcome
    case.closed_on = closed_on
    case.closed_by = actor
    case.save(update_fields=["outcome", "closed_on", "closed_by"])
    audit_record(
        user=actor,
        action=AuditAction.CASE_CLOSED,
        resident=case.resident,
        summary=f"Outcome: {case.get_outcome_display()}",
        request=request,
    )
    return case
