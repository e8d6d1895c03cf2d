"""Writes about casework. Callers have fetched the case through `case_get_for_user` (or the
spend through `spend_get_for_approver`), so these functions do not check access again; they
enforce the business rules and keep every write whole (one transaction, with its audit event).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.employers.models import ContractType, SustainmentCheck, SustainmentOutcome
from skillspassport.employers.services import job_start_record, sustainment_record
from skillspassport.people.models import Resident
from skillspassport.support.models import (
    BudgetLedger,
    BudgetPolicy,
    BudgetSpend,
    Case,
    CaseJobStart,
    CaseNote,
    CaseOutcome,
    Device,
    DeviceArrangement,
    Goal,
    GoalStatus,
    Placement,
    PlacementOutcome,
    ReferralSource,
    SpendCategory,
    SpendStatus,
)
from skillspassport.support.selectors import committed_total, policy_for


class CaseworkError(ValueError):
    """A rule of casework stopped the change; the message is for the user."""


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


# --- Cases ----------------------------------------------------------------------------------


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


def _require_open(case: Case) -> None:
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
    _require_open(case)
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
    _require_open(case)
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
def goal_set_status(
    *,
    actor: User,
    goal: Goal,
    status: GoalStatus | str,
    request: HttpRequest | None = None,
) -> Goal:
    _require_open(goal.case)
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
    _require_open(case)
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


# --- Personal budgets -----------------------------------------------------------------------


@transaction.atomic
def budget_spend_record(
    *,
    actor: User,
    case: Case,
    category: SpendCategory | str,
    amount: Decimal,
    description: str,
    spent_on: date,
    receipt: UploadedFile | None = None,
    receipt_type: str = "",
    request: HttpRequest | None = None,
) -> BudgetSpend:
    """Record a spend from the resident's personal budget.

    At or below the council's threshold it is approved at once; above it, it waits for an
    approver. Approved and awaiting spends together never pass the cap: the resident's ledger
    row is locked for the rest of the transaction, so concurrent spends are checked one at a
    time against the total the previous one left.
    """
    _require_open(case)
    if amount <= 0:
        raise CaseworkError("Amount must be more than £0.00")
    ledger, _ = BudgetLedger.objects.get_or_create(resident=case.resident)
    ledger = BudgetLedger.objects.select_for_update().get(pk=ledger.pk)
    policy = policy_for(organisation=case.resident.organisation)
    approved, awaiting = committed_total(resident=case.resident)
    remaining = policy.cap - approved - awaiting
    if amount > remaining:
        raise CaseworkError(
            f"Amount must be {_money(remaining)} or less: the budget cap is "
            f"{_money(policy.cap)} and {_money(approved + awaiting)} is already approved or "
            "awaiting approval"
        )
    status = SpendStatus.APPROVED if amount <= policy.threshold else SpendStatus.AWAITING
    spend = BudgetSpend(
        ledger=ledger,
        case=case,
        category=category,
        amount=amount,
        description=description,
        spent_on=spent_on,
        status=status,
        requested_by=actor,
        receipt_type=receipt_type if receipt is not None else "",
    )
    if receipt is not None:
        spend.receipt.save(receipt.name or "receipt", receipt, save=False)
    try:
        spend.save()
        audit_record(
            user=actor,
            action=AuditAction.BUDGET_SPEND_RECORDED,
            resident=case.resident,
            summary=f"{_money(amount)} {spend.get_category_display().lower()}: "
            f"{spend.get_status_display().lower()}",
            request=request,
        )
    except Exception:
        # The file is written before the row: do not leave it behind if the row is not saved.
        if spend.receipt:
            spend.receipt.storage.delete(spend.receipt.name)
        raise
    return spend


@transaction.atomic
def budget_spend_decide(
    *,
    actor: User,
    spend: BudgetSpend,
    approve: bool,
    note: str = "",
    request: HttpRequest | None = None,
) -> BudgetSpend:
    """Approve or refuse a spend awaiting approval. Not by the person who asked for it."""
    BudgetLedger.objects.select_for_update().get(pk=spend.ledger_id)
    spend = BudgetSpend.objects.select_related("ledger__resident").get(pk=spend.pk)
    if spend.requested_by_id == actor.pk:
        raise CaseworkError("Someone other than the person who asked for a spend must decide it")
    if spend.status != SpendStatus.AWAITING:
        raise CaseworkError(f"This spend has already been {spend.get_status_display().lower()}")
    spend.status = SpendStatus.APPROVED if approve else SpendStatus.REFUSED
    spend.decided_by = actor
    spend.decided_at = timezone.now()
    spend.decision_note = note
    spend.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(
        user=actor,
        action=AuditAction.BUDGET_SPEND_DECIDED,
        resident=spend.ledger.resident,
        summary=f"{_money(spend.amount)} {spend.get_status_display().lower()}",
        request=request,
    )
    return spend


@transaction.atomic
def budget_spend_cancel(
    *, actor: User, spend: BudgetSpend, request: HttpRequest | None = None
) -> BudgetSpend:
    """Cancel a spend (approved or awaiting), which gives its amount back to the budget."""
    BudgetLedger.objects.select_for_update().get(pk=spend.ledger_id)
    spend = BudgetSpend.objects.select_related("ledger__resident").get(pk=spend.pk)
    if spend.status not in (SpendStatus.APPROVED, SpendStatus.AWAITING):
        raise CaseworkError(f"This spend has already been {spend.get_status_display().lower()}")
    spend.status = SpendStatus.CANCELLED
    spend.save(update_fields=["status"])
    audit_record(
        user=actor,
        action=AuditAction.BUDGET_SPEND_RECORDED,
        resident=spend.ledger.resident,
        summary=f"{_money(spend.amount)} cancelled",
        request=request,
    )
    return spend


@transaction.atomic
def budget_policy_set(
    *, actor: User, council: Organisation, cap: Decimal, approval_threshold: Decimal
) -> BudgetPolicy:
    if approval_threshold > cap:
        raise CaseworkError("The approval threshold must not be more than the cap")
    earlier = BudgetPolicy.objects.select_for_update().filter(council=council).first()
    before = (
        (f"{earlier.cap:.2f}", f"{earlier.approval_threshold:.2f}") if earlier else (None, None)
    )
    policy, _ = BudgetPolicy.objects.update_or_create(
        council=council,
        defaults={
            "cap": cap,
            "approval_threshold": approval_threshold,
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        user=actor,
        action=AuditAction.RULES_CHANGED,
        organisation=council,
        summary="Personal budget cap and approval threshold",
        changes={
            "cap": (before[0], f"{policy.cap:.2f}"),
            "approval_threshold": (before[1], f"{policy.approval_threshold:.2f}"),
        },
    )
    return policy


# --- Devices, placements, job starts --------------------------------------------------------


@transaction.atomic
def device_record(
    *,
    actor: User,
    case: Case,
    hub: Organisation,
    kind: str,
    serial: str,
    issued_on: date,
    arrangement: DeviceArrangement | str,
    due_back_on: date | None = None,
    condition: str = "",
    request: HttpRequest | None = None,
) -> Device:
    _require_open(case)
    if arrangement == DeviceArrangement.GIFTED:
        due_back_on = None
    device = Device.objects.create(
        case=case,
        hub=hub,
        kind=kind,
        serial=serial,
        issued_on=issued_on,
        arrangement=arrangement,
        due_back_on=due_back_on,
        condition=condition,
        recorded_by=actor,
    )
    audit_record(
        user=actor,
        action=AuditAction.DEVICE_RECORDED,
        resident=case.resident,
        summary=f"{device.get_kind_display()} {device.get_arrangement_display().lower()}",
        request=request,
    )
    return device


@transaction.atomic
def device_return(
    *,
    actor: User,
    device: Device,
    returned_on: date,
    condition: str,
    request: HttpRequest | None = None,
) -> Device:
    device = Device.objects.select_for_update().select_related("case__resident").get(pk=device.pk)
    if device.arrangement != DeviceArrangement.LENT:
        raise CaseworkError("A gifted device is not returned")
    if device.returned_on is not None:
        raise CaseworkError(f"This device was returned on {device.returned_on:%-d %B %Y}")
    if returned_on < device.issued_on:
        raise CaseworkError(
            f"The return date must be on or after {device.issued_on:%-d %B %Y}, when it was issued"
        )
    device.returned_on = returned_on
    device.condition = condition
    device.save(update_fields=["returned_on", "condition"])
    audit_record(
        user=actor,
        action=AuditAction.DEVICE_RECORDED,
        resident=device.case.resident,
        summary=f"{device.get_kind_display()} returned",
        request=request,
    )
    return device


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
    _require_open(case)
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
