"""The adviser who asked for a spend is told what was decided, after it commits."""

from decimal import Decimal

import pytest
from django.core import mail

from skillspassport.background.testing import drain
from skillspassport.support import services

pytestmark = pytest.mark.django_db


def test_the_adviser_is_told_of_a_budget_decision(
    case, adviser, staff, django_capture_on_commit_callbacks
):
    spend = services.budget_spend_record(
        actor=adviser,
        case=case,
        category="equipment",
        amount=Decimal("349.99"),
        description="Laptop",
        spent_on=case.opened_on,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.budget_spend_decide(
            actor=staff["programme_manager"], spend=spend, approve=True, note="Fine"
        )
    drain()
    assert [m.to for m in mail.outbox] == [[adviser.email]]
    message = mail.outbox[0]
    assert message.subject == "Spend of £349.99 approved"
    assert "Programme manager User" in message.body
    assert f"/support/cases/{case.public_id}/" in message.body
    assert case.resident.last_name not in message.body


def test_no_message_when_the_decision_is_refused(
    case, adviser, staff, django_capture_on_commit_callbacks
):
    spend = services.budget_spend_record(
        actor=adviser,
        case=case,
        category="equipment",
        amount=Decimal("349.99"),
        description="Laptop",
        spent_on=case.opened_on,
    )
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(services.CaseworkError),
    ):
        # the person who asked cannot decide: nothing changes, nobody is told
        services.budget_spend_decide(actor=adviser, spend=spend, approve=True)
    drain()
    assert mail.outbox == []
