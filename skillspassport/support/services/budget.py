"""Writes about personal budgets: recording a spend, deciding and cancelling one, and the
council's cap and approval threshold.

Callers have fetched the case through `case_get_for_user` (or the spend through
`spend_get_for_approver`), so these functions do not check access again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.core.money import pounds
from skillspassport.support import notifications
from skillspassport.support.models import (
    BudgetDecision,
    BudgetLedger,
    BudgetPolicy,
    BudgetSpend,
    Case,
    DecisionKind,
    SpendCategory,
    SpendStatus,
)
from skillspassport.support.selectors import committed_total, policy_for
from skillspassport.support.services.cases import CaseworkError, require_open


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
    require_open(case)
    if amount <= 0:
        raise CaseworkError("Amount must be more than £0.00", field="amount")
    if spent_on > timezone.localdate():
        raise CaseworkError("Date of the spend must be today or in the past", field="spent_on")
    ledger, _ = BudgetLedger.objects.get_or_create(resident=case.resident)
    ledger = BudgetLedger.objects.select_for_update().get(pk=ledger.pk)
    policy = policy_for(organisation=case.resident.organisation)
    approved, awaiting = committed_total(resident=case.resident)
    remaining = policy.cap - approved - awaiting
    if amount > remaining:
        raise CaseworkError(
            f"Amount must be {pounds(remaining)} or less: the budget cap is "
            f"{pounds(policy.cap)} and {pounds(approved + awaiting)} is already approved or "
            "awaiting approval",
            field="amount",
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
        if status == SpendStatus.APPROVED:
            BudgetDecision.objects.create(
                spend=spend,
                decision=DecisionKind.APPROVED,
                decided_by=None,
                decided_at=spend.requested_at,
                note=f"At or below the approval threshold of {pounds(policy.threshold)}",
            )
        audit_record(
            user=actor,
            action=AuditAction.BUDGET_SPEND_RECORDED,
            resident=case.resident,
            summary=f"{pounds(amount)} {spend.get_category_display().lower()}: "
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
    BudgetDecision.objects.create(
        spend=spend,
        decision=DecisionKind.APPROVED if approve else DecisionKind.REFUSED,
        decided_by=actor,
        decided_at=spend.decided_at,
        note=note,
    )
    audit_record(
        user=actor,
        action=AuditAction.BUDGET_SPEND_DECIDED,
        resident=spend.ledger.resident,
        summary=f"{pounds(spend.amount)} {spend.get_status_display().lower()}",
        request=request,
    )
    notifications.spend_decided(spend)
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
    BudgetDecision.objects.create(spend=spend, decision=DecisionKind.CANCELLED, decided_by=actor)
    audit_record(
        user=actor,
        action=AuditAction.BUDGET_SPEND_RECORDED,
        resident=spend.ledger.resident,
        summary=f"{pounds(spend.amount)} cancelled",
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
