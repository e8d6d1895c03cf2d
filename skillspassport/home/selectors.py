"""What the dashboard shows a user."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import memberships_of, user_has_capability
from skillspassport.employers import selectors as employer_selectors
from skillspassport.employers.models import OPEN_STATUSES, Referral
from skillspassport.people.models import Resident
from skillspassport.skills.models import OVERALL, Award, PassportLevel


def dashboard_for_user(*, user: User) -> dict[str, Any]:
    context: dict[str, Any] = {"memberships": list(memberships_of(user=user))}
    if employer_selectors.own_employer_ids(user=user):
        context["employer"] = _employer_summary(user=user)
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
