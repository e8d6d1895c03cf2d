"""Budget decisions keep their history (who, when, what, why), shown on the spend, the case
and the approvals page; and the selectors the dashboard's work queue uses."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.support import selectors, services
from skillspassport.support.models import BudgetDecision, DecisionKind, SpendStatus
from skillspassport.support.services import CaseworkError


def spend(case, actor, amount, description="Laptop for job search"):
    return services.budget_spend_record(
        actor=actor,
        case=case,
        category="equipment",
        amount=Decimal(amount),
        description=description,
        spent_on=case.opened_on,
    )


def open_case(resident, adviser, today, review=None):
    return services.case_open(
        actor=adviser,
        resident=resident,
        referral_source="self",
        referred_on=today - timedelta(days=30),
        referring_organisation="Self",
        opened_on=today - timedelta(days=30),
        next_review_on=review,
    )


# --- History --------------------------------------------------------------------------------


def test_approval_at_or_below_the_threshold_is_recorded_as_automatic(client, adviser, case):
    s = spend(case, adviser, "60.00", "Bus pass")
    decision = BudgetDecision.objects.get(spend=s)
    assert decision.decision == DecisionKind.APPROVED
    assert decision.decided_by is None
    assert "threshold of £100.00" in decision.note
    client.force_login(adviser)
    page = client.get(reverse("support:case", args=[case.public_id])).content.decode()
    assert "Approved automatically" in page


def test_each_decision_is_kept_and_shown(client, adviser, case, staff):
    manager = staff["programme_manager"]
    s = spend(case, adviser, "250.00")
    assert not BudgetDecision.objects.filter(spend=s).exists()
    services.budget_spend_decide(actor=manager, spend=s, approve=True, note="Needed for work")
    services.budget_spend_cancel(actor=adviser, spend=s)
    history = list(BudgetDecision.objects.filter(spend=s).values_list("decision", "decided_by"))
    assert history == [(DecisionKind.APPROVED, manager.pk), (DecisionKind.CANCELLED, adviser.pk)]
    first = BudgetDecision.objects.filter(spend=s).first()
    assert first.note == "Needed for work"
    assert first.decided_at is not None

    client.force_login(adviser)
    case_page = client.get(reverse("support:case", args=[case.public_id])).content.decode()
    assert f"Approved by {manager}" in case_page
    assert "Needed for work" in case_page
    assert f"Cancelled by {adviser}" in case_page

    client.force_login(manager)
    spend_page = client.get(reverse("support:approval-decide", args=[s.pk])).content.decode()
    assert f"Approved by {manager}" in spend_page
    assert f"Cancelled by {adviser}" in spend_page
    assert f"Asked for by {adviser}" in spend_page


def test_refusal_through_the_page_is_in_the_history_and_audited(client, adviser, case, staff):
    manager = staff["programme_manager"]
    s = spend(case, adviser, "300.00", "Forklift licence")
    client.force_login(manager)
    url = reverse("support:approval-decide", args=[s.pk])
    client.post(url, {"decision": "refuse", "note": "Free course available at the college"})
    decision = BudgetDecision.objects.get(spend=s)
    assert (decision.decision, decision.decided_by, decision.note) == (
        DecisionKind.REFUSED,
        manager,
        "Free course available at the college",
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.BUDGET_SPEND_DECIDED, user=manager, resident=case.resident
    ).exists()
    approvals = client.get(reverse("support:approvals")).content.decode()
    assert "Recent decisions" in approvals
    assert f"Refused by {manager}" in approvals
    assert "Free course available at the college" in approvals
    assert "Forklift licence" in approvals


def test_a_second_decision_is_refused_and_not_recorded(adviser, case, staff):
    s = spend(case, adviser, "250.00")
    services.budget_spend_decide(actor=staff["programme_manager"], spend=s, approve=True)
    with pytest.raises(CaseworkError, match="already been approved"):
        services.budget_spend_decide(actor=staff["administrator"], spend=s, approve=False)
    assert BudgetDecision.objects.filter(spend=s).count() == 1


def test_other_councils_decisions_are_not_listed(client, adviser, case, staff, other_staff):
    s = spend(case, adviser, "250.00", "Interview suit")
    services.budget_spend_decide(actor=staff["programme_manager"], spend=s, approve=True)
    client.force_login(other_staff["programme_manager"])
    page = client.get(reverse("support:approvals")).content.decode()
    assert "Interview suit" not in page
    assert "No decisions yet" in page


def test_approvals_page_queries_do_not_grow_with_decisions(client, council, adviser, staff, today):
    manager = staff["programme_manager"]
    client.force_login(manager)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("support:approvals")).status_code == 200
        return len(ctx.captured_queries)

    first = open_case(ResidentFactory(organisation=council), adviser, today)
    services.budget_spend_decide(actor=manager, spend=spend(first, adviser, "200.00"), approve=True)
    spend(first, adviser, "150.00")
    one = queries()
    for _ in range(4):
        other = open_case(ResidentFactory(organisation=council), adviser, today)
        services.budget_spend_decide(
            actor=manager, spend=spend(other, adviser, "200.00"), approve=False, note="No"
        )
        spend(other, adviser, "150.00")
    assert queries() == one


# --- Selectors for work queues ----------------------------------------------------------------


def test_pending_approvals_for(adviser, case, staff, other_staff, today):
    manager = staff["programme_manager"]
    waiting = spend(case, adviser, "250.00")
    own = spend(case, manager, "120.00")  # the manager asked for this one: not theirs to decide
    decided = spend(case, adviser, "110.00")
    services.budget_spend_decide(actor=manager, spend=decided, approve=True)
    assert list(selectors.pending_approvals_for(manager)) == [waiting]
    assert own in selectors.pending_approvals_for(staff["administrator"])
    assert not selectors.pending_approvals_for(adviser).exists()
    assert not selectors.pending_approvals_for(other_staff["programme_manager"]).exists()
    assert waiting.status == SpendStatus.AWAITING


def test_reviews_due_for(council, adviser, staff, today):
    def case_with(review):
        return open_case(ResidentFactory(organisation=council), adviser, today, review=review)

    overdue = case_with(today - timedelta(days=3))
    due_today = case_with(today)
    in_a_week = case_with(today + timedelta(days=7))
    case_with(today + timedelta(days=8))
    case_with(None)
    closed = case_with(today - timedelta(days=1))
    services.case_close(actor=adviser, case=closed, outcome="other", closed_on=today)
    assert list(selectors.reviews_due_for(adviser, today)) == [overdue, due_today, in_a_week]
    assert list(selectors.reviews_due_for(adviser)) == [overdue, due_today, in_a_week]
    assert not selectors.reviews_due_for(staff["programme_manager"], today).exists()


# --- The resident's rights ------------------------------------------------------------------


def test_decisions_are_in_the_subject_access_export_and_erased(adviser, case, staff):
    from skillspassport.privacy.selectors import resident_reference
    from skillspassport.privacy.services import resident_erase
    from skillspassport.privacy.subject_access import subject_access_build

    s = spend(case, adviser, "250.00")
    services.budget_spend_decide(
        actor=staff["programme_manager"], spend=s, approve=False, note="Already has a laptop"
    )
    export = subject_access_build(resident=case.resident).as_json_data()
    decisions = export["sections"]["budget_decisions"]
    assert "Already has a laptop" in str(decisions)
    resident_erase(
        user=staff["administrator"],
        resident=case.resident,
        confirmation=resident_reference(case.resident.public_id),
    )
    decision = BudgetDecision.objects.get(spend=s)
    assert decision.note == ""
    assert decision.decision == DecisionKind.REFUSED  # the figures stay
