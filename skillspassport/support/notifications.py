"""What advisers are told, by email after the change commits."""

from __future__ import annotations

from django.urls import reverse

from skillspassport.background.services import absolute_url, notify
from skillspassport.core.money import pounds
from skillspassport.support.models import BudgetSpend, Case


def spend_decided(spend: BudgetSpend) -> None:
    """Tell the adviser who asked for a spend what was decided (the resident is not named:
    the link opens the case, which only those who may see it can open)."""
    asker = spend.requested_by
    if asker is None or not asker.is_active or not asker.email:
        return
    case = Case.objects.filter(resident_id=spend.ledger.resident_id).order_by("-opened_on").first()
    where = ""
    if case is not None:
        link = absolute_url(reverse("support:case", args=[case.public_id]))
        where = f"\n\nSign in to see the case:\n{link}"
    decision = spend.get_status_display().lower()
    note = f'\n\nTheir note: "{spend.decision_note}"' if spend.decision_note else ""
    notify(
        kind="support.spend_decided",
        to=asker.email,
        council=spend.ledger.resident.organisation.scheme_council,
        subject=f"Spend of {pounds(spend.amount)} {decision}",
        body=(
            f"The {spend.get_category_display().lower()} spend of {pounds(spend.amount)} you "
            f"asked for on {spend.requested_at:%-d %B %Y} has been {decision} by "
            f"{spend.decided_by.get_full_name() if spend.decided_by else 'a programme manager'}."
            f"{note}{where}"
        ),
    )
