"""A personal budget spend cannot be dated in the future: the form says so and nothing is
saved or approved, whether it comes through the page or straight to the service."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from skillspassport.support import services
from skillspassport.support.models import BudgetSpend
from skillspassport.support.tests.helpers import date_post


def spend_data(day, **overrides):
    return {
        "category": "travel",
        "amount": "12.50",
        "description": "Weekly bus pass",
        **date_post("spent_on", day),
        **overrides,
    }


@pytest.mark.parametrize("day", [date(2030, 6, 1), "tomorrow"])
def test_future_spend_is_refused_on_the_page(client, adviser, case, today, day):
    day = today + timedelta(days=1) if day == "tomorrow" else day
    client.force_login(adviser)
    response = client.post(reverse("support:spend-add", args=[case.public_id]), spend_data(day))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("Date of the spend must be today or in the past") == 2
    assert not BudgetSpend.objects.exists()


def test_spend_dated_today_is_approved(client, adviser, case, today):
    client.force_login(adviser)
    client.post(reverse("support:spend-add", args=[case.public_id]), spend_data(today))
    assert BudgetSpend.objects.get().spent_on == today


def test_service_refuses_a_future_spend(adviser, case, today):
    with pytest.raises(services.CaseworkError, match="today or in the past") as caught:
        services.budget_spend_record(
            actor=adviser,
            case=case,
            category="equipment",
            amount=Decimal("40.00"),
            description="Headset",
            spent_on=date(2030, 1, 1),
        )
    assert caught.value.field == "spent_on"
    assert not BudgetSpend.objects.exists()
