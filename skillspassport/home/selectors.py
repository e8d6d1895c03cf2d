"""What the dashboard shows a user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import memberships_of, user_has_capability
from skillspassport.employers import selectors as employer_selectors
from skillspassport.employers.models import OPEN_STATUSES, Referral
from skillspassport.people.models import Resident
from skillspassport.skills.models import OVERALL, Award, PassportLevel
from skillspassport.support import selectors as support_selectors
from skillspassport.training import selectors as training_selectors

# A work queue on the dashboard lists this many items; its count and link give the rest.
QUEUE_ITEMS = 10


@dataclass(frozen=True)
class Queue:
    """One work queue: how many items are waiting, and the first few of them."""

    count: int
    items: list[Any]

    @classmethod
    def of(cls, queryset: QuerySet[Any]) -> Queue:
        items = list(queryset[:QUEUE_ITEMS])
        count = len(items) if len(items) < QUEUE_ITEMS else queryset.count()
        return cls(count=count, items=items)

    @property
    def more(self) -> int:
        return self.count - len(self.items)


def dashboard_for_user(*, user: User) -> dict[str, Any]:
    context: dict[str, Any] = {
        "memberships": list(memberships_of(user=user)),
        "today": timezone.localdate(),
    }
    if employer_selectors.own_employer_ids(user=user):
        context["employer"] = _employer_summary(user=user)
    context.update(work_queues_for(user=user))
    if not user_has_capability(user=user, capability=Capability.VIEW_RESIDENTS):
        return context
    visible = Resident.objects.visible_to(user)
    counts = dict(
        PassportLevel.objects.filter(strand_code=OVERALL, resident__in=visible)
        .values_list("level")
        .annotate(n=Count("id"))
        .values_list("level", "n")
    )
    total = visible.count()
    with_level = sum(counts.get(a, 0) for a in ("bronze", "silver", "gold"))
    context["level_counts"] = [
        ("No level yet", total - with_level),
        *[(label, counts.get(code, 0)) for code, label in Award.choices if code],
    ]
    context["resident_total"] = total
    context["recent"] = visible.order_by("-created_at")[:5]
    context["can_register"] = user_has_capability(user=user, capability=Capability.EDIT_RESIDENTS)
    return context


def _employer_summary(*, user: User) -> dict[str, Any]:
    """For an employer contact: referrals waiting for an outcome and checks due."""
    own = employer_selectors.own_employer_ids(user=user)
    waiting = Referral.objects.filter(
        opportunity__employer_id__in=own,
        status__in=OPEN_STATUSES,
    ).count()
    return {
        "employer_id": min(own) if own else None,
        "referrals_waiting": waiting,
        "checks_due": employer_selectors.checks_due(user=user).count(),
    }


def work_queues_for(*, user: User) -> dict[str, Queue]:
    """The work waiting for the user, by what their roles do: an adviser's reviews due,
    sustainment checks due and referrals in; an approver's spends awaiting approval; a tutor's
    registers to take. Each selector keeps to the user's own organisations and caseload."""
    today = timezone.localdate()
    queues: dict[str, Queue] = {}
    if support_selectors.may_open_cases(user=user):
        queues["reviews_due"] = Queue.of(support_selectors.reviews_due_for(user, today=today))
        queues["checks_due"] = Queue.of(support_selectors.checks_due_for(user=user, today=today))
        queues["referrals_in"] = Queue.of(support_selectors.referrals_in_for(user))
    if support_selectors.may_approve(user=user):
        queues["approvals"] = Queue.of(support_selectors.pending_approvals_for(user))
    if training_selectors.training_organisation_ids(user=user):
        queues["registers"] = Queue.of(training_selectors.registers_to_take_for(user, today=today))
    return queues


def queue_residents(queues: dict[str, Queue]) -> list[Resident]:
    """Every resident named in the queues (for the audit log)."""
    residents: list[Resident] = []
    for name in ("reviews_due", "referrals_in"):
        if name in queues:
            residents += [case.resident for case in queues[name].items]
    if "checks_due" in queues:
        residents += [check.job_start.resident for check in queues["checks_due"].items]
    if "approvals" in queues:
        residents += [spend.ledger.resident for spend in queues["approvals"].items]
    return residents
