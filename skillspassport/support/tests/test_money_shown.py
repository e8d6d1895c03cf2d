"""Money is shown as money: pounds and pence, every time, on every page that shows an amount.

The spends are the ones that showed "Approved £135.900000000000" on SQLite (its sums come back
with binary noise) and "£233" with no pence.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.urls import reverse

from skillspassport.support import services
from skillspassport.support.models import BudgetSpend, SpendStatus

AMOUNT = re.compile(r"£[\d.,]+")
MONEY = re.compile(r"£\d{1,3}(,\d{3})*\.\d{2}")


def _amounts(html: str) -> list[str]:
    return AMOUNT.findall(html)


def _spend(case, adviser, today, amount: str) -> BudgetSpend:
    return services.budget_spend_record(
        actor=adviser,
        case=case,
        category="travel",
        amount=Decimal(amount),
        description="Bus",
        spent_on=today,
    )


def test_the_case_spend_form_and_approvals_show_pounds_and_pence(
    client, case, adviser, staff, today
):
    for amount in ("12.50", "8.40", "95", "349.99"):
        _spend(case, adviser, today, amount)
    assert BudgetSpend.objects.filter(status=SpendStatus.AWAITING).count() == 1
    client.force_login(adviser)
    case_page = client.get(reverse("support:case", args=[case.public_id])).content.decode()
    spend_form = client.get(reverse("support:spend-add", args=[case.public_id])).content.decode()
    client.force_login(staff["programme_manager"])
    approvals = client.get(reverse("support:approvals")).content.decode()
    awaiting = BudgetSpend.objects.get(status=SpendStatus.AWAITING)
    decide = client.get(reverse("support:approval-decide", args=[awaiting.pk])).content.decode()

    for html in (case_page, spend_form, approvals, decide):
        amounts = _amounts(html)
        assert amounts, "the page shows amounts"
        assert all(MONEY.fullmatch(a.rstrip(".,")) for a in amounts), amounts
    assert "£115.90" in case_page  # approved: 12.50 + 8.40 + 95.00
    assert "£349.99" in case_page  # awaiting approval
    assert "£95.00" in case_page  # a whole-pound spend keeps its pence
    assert "£115.90" in spend_form
    assert "£349.99" in approvals


def test_a_sum_with_binary_noise_is_shown_to_the_penny():
    from skillspassport.core.money import pounds

    assert pounds(Decimal("135.900000000000")) == "£135.90"
    assert pounds(Decimal("233")) == "£233.00"
    assert pounds(1234.5) == "£1,234.50"
    assert pounds(Decimal("0.005")) == "£0.01"  # half up, not to even
    assert pounds(Decimal("-5")) == "-£5.00"
    assert pounds(None) == ""
    assert pounds("not money") == "not money"


def test_no_template_writes_a_pound_sign_before_a_number_itself():
    """Every amount goes through `|money`, so "£" never stands in a template before a variable."""
    from pathlib import Path

    templates = Path(__file__).resolve().parents[2] / "templates"
    offenders = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"£\s*\{\{", line)
    ]
    assert not offenders, offenders
