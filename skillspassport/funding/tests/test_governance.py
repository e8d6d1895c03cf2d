"""Grant governance: independent assessment before any decision, the decider never an assessor,
declarations kept, weights that make a mark out of 100, dates inside their windows, decisions
reversible with a reason, and a second approver above a fund's approval limit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.funding.models import (
    Assessment,
    Decision,
    DecisionAction,
    DecisionRecord,
    Declaration,
    Fund,
)
from skillspassport.funding.selectors import fund_remaining
from skillspassport.funding.services import (
    CriterionSpec,
    FundingError,
    MilestoneSpec,
    agreement_record,
    assessor_assign,
    conflict_declare,
    fund_create,
    milestone_complete,
    proposal_approval_confirm,
    proposal_decide,
    proposal_decision_reverse,
    proposal_submit,
    spend_record,
)
from skillspassport.funding.tests.conftest import appraise

pytestmark = pytest.mark.django_db


def approve(manager, proposal, amount="30000"):
    return proposal_decide(
        actor=manager, proposal=proposal, decision="approved", amount=amount, reasons="Good"
    )


def test_a_proposal_with_fewer_independent_assessors_than_the_fund_needs_is_not_decided(
    client, proposal, manager, assessor
):
    with pytest.raises(FundingError, match=r"needs 2 independent assessments.*has 0"):
        approve(manager, proposal, "40000")
    appraise(proposal, manager, [assessor])
    with pytest.raises(FundingError, match=r"needs 2 independent assessments.*has 1"):
        proposal_decide(actor=manager, proposal=proposal, decision="declined", reasons="No")
    proposal.refresh_from_db()
    assert proposal.decision == ""
    client.force_login(manager)
    body = client.get(reverse("funding:proposal", args=[proposal.pk])).content.decode()
    assert "Record decision" not in body
    assert "1 of the 2" in body


def test_a_conflicted_assessor_does_not_count(proposal, manager, assessor, second_assessor):
    appraise(proposal, manager, [assessor])
    conflicted = assessor_assign(actor=manager, proposal=proposal, assessor=second_assessor)
    conflict_declare(
        actor=second_assessor, assessment=conflicted, conflict="conflict", details="Trustee"
    )
    with pytest.raises(FundingError, match="has 1"):
        approve(manager, proposal)


def test_the_manager_who_decides_cannot_assess_and_an_assessor_cannot_decide(
    appraised, manager, assessor
):
    with pytest.raises(FundingError, match="cannot assign yourself"):
        assessor_assign(actor=manager, proposal=appraised, assessor=manager)
    with pytest.raises(FundingError, match="You are an assessor of this proposal"):
        approve(assessor, appraised)
    assert approve(manager, appraised).decision == Decision.APPROVED


def test_a_changed_declaration_needs_a_reason_and_the_earlier_one_stays(
    client, assessment, assessor, proposal, manager
):
    conflict_declare(
        actor=assessor, assessment=assessment, conflict="conflict", details="Trustee of applicant"
    )
    with pytest.raises(FundingError, match="Say why your declaration has changed"):
        conflict_declare(actor=assessor, assessment=assessment, conflict="none")
    conflict_declare(
        actor=assessor,
        assessment=assessment,
        conflict="none",
        reason="I stood down as a trustee in January",
    )
    assert list(
        Declaration.objects.filter(assessment=assessment).values_list("conflict", "reason")
    ) == [("conflict", ""), ("none", "I stood down as a trustee in January")]
    client.force_login(manager)
    body = client.get(reverse("funding:proposal", args=[proposal.pk])).content.decode()
    assert "Declaration changed" in body
    assert "Trustee of applicant" in body
    assert "I stood down as a trustee in January" in body


def test_the_same_declaration_again_changes_nothing(assessment, assessor):
    conflict_declare(actor=assessor, assessment=assessment, conflict="none")
    conflict_declare(actor=assessor, assessment=assessment, conflict="none")
    assert Declaration.objects.filter(assessment=assessment).count() == 1


def test_weights_must_add_up_to_100(manager, council):
    with pytest.raises(FundingError, match="add up to 100; they add up to 90"):
        fund_create(
            actor=manager,
            council=council,
            name="Fund",
            funder="Funder",
            total_budget=Decimal("50000"),
            opens_on=date(2026, 1, 1),
            closes_on=date(2026, 6, 30),
            criteria=[CriterionSpec("Need", 50, 5), CriterionSpec("Value", 40, 5)],
        )
    assert not Fund.objects.filter(name="Fund").exists()


def test_a_proposal_must_arrive_while_the_fund_is_open(fund, manager):
    with pytest.raises(FundingError, match="while the fund is open"):
        proposal_submit(
            actor=manager,
            fund=fund,
            title="Early",
            summary="s",
            amount_requested=Decimal("100"),
            submitted_on=date(2025, 12, 31),
            applicant_name="Someone",
        )


def test_milestones_and_spend_fall_inside_the_project(project, manager):
    with pytest.raises(FundingError, match="must be due while the project runs"):
        agreement_record(
            actor=manager,
            project=project,
            signed_on=date(2026, 1, 5),
            value=Decimal("30000"),
            milestones=[MilestoneSpec("Final report", date(2027, 3, 31), Decimal("5000"))],
        )
    with pytest.raises(FundingError, match="while the project runs"):
        spend_record(
            actor=manager,
            project=project,
            spent_on=date(2025, 12, 1),
            amount="100",
            category="staff",
            description="Before it started",
        )
    agreement = agreement_record(
        actor=manager,
        project=project,
        signed_on=date(2026, 1, 5),
        value=Decimal("30000"),
        milestones=[MilestoneSpec("Kick-off", date(2026, 2, 1), Decimal("5000"))],
    )
    with pytest.raises(FundingError, match="on or after the project started"):
        milestone_complete(
            actor=manager, milestone=agreement.milestones.get(), completed_on=date(2025, 12, 1)
        )


def test_a_decision_is_reversed_with_a_reason_and_kept_in_the_history(
    client, appraised, manager, second_manager, fund
):
    approve(manager, appraised)
    assert fund_remaining(fund=fund) == Decimal("70000.00")
    with pytest.raises(FundingError, match="Enter the reason"):
        proposal_decision_reverse(actor=second_manager, proposal=appraised, reason=" ")
    proposal_decision_reverse(
        actor=second_manager, proposal=appraised, reason="Approved against the wrong fund rules"
    )
    appraised.refresh_from_db()
    assert (appraised.decision, appraised.amount_approved) == ("", None)
    assert fund_remaining(fund=fund) == Decimal("100000.00")
    assert list(DecisionRecord.objects.values_list("action", "decided_by")) == [
        (DecisionAction.APPROVED, manager.pk),
        (DecisionAction.REVERSED, second_manager.pk),
    ]
    events = AuditEvent.objects.filter(action=AuditAction.FUNDING_DECIDED)
    assert events.count() == 2
    proposal_decide(actor=manager, proposal=appraised, decision="declined", reasons="Too costly")
    client.force_login(manager)
    body = client.get(reverse("funding:proposal", args=[appraised.pk])).content.decode()
    assert "Decision history" in body
    assert "Approved against the wrong fund rules" in body


def test_a_decision_with_a_project_cannot_be_reversed(project, manager, proposal):
    with pytest.raises(FundingError, match="A project has been set up"):
        proposal_decision_reverse(actor=manager, proposal=proposal, reason="Changed our minds")


def test_the_reverse_form_says_what_is_wrong(client, appraised, manager):
    approve(manager, appraised)
    client.force_login(manager)
    response = client.post(reverse("funding:proposal-reverse", args=[appraised.pk]), {})
    assert response.status_code == 400
    assert "Enter the reasons" in response.content.decode()
    appraised.refresh_from_db()
    assert appraised.decision == Decision.APPROVED


def test_an_approval_above_the_limit_waits_for_a_second_approver(
    client, appraised, fund, manager, second_manager
):
    Fund.objects.filter(pk=fund.pk).update(approval_limit=Decimal("25000"))
    approve(manager, appraised, "30000")
    appraised.refresh_from_db()
    assert appraised.decision == Decision.AWAITING_SECOND
    assert fund_remaining(fund=fund) == Decimal("70000.00")  # the money is held
    with pytest.raises(FundingError, match="someone other than the first"):
        proposal_approval_confirm(actor=manager, proposal=appraised, reasons="Yes")
    client.force_login(second_manager)
    page = client.get(reverse("funding:proposal", args=[appraised.pk])).content.decode()
    assert "Awaiting a second approver" in page
    assert "Confirm approval" in page
    response = client.post(
        reverse("funding:proposal-confirm", args=[appraised.pk]), {"reasons": "Within policy"}
    )
    assert response.status_code == 302
    appraised.refresh_from_db()
    assert appraised.decision == Decision.APPROVED
    assert appraised.second_approved_by == second_manager
    assert [r.action for r in appraised.decisions.all()] == ["first", "confirmed"]


def test_an_approval_within_the_limit_needs_no_second_approver(appraised, fund, manager):
    Fund.objects.filter(pk=fund.pk).update(approval_limit=Decimal("30000"))
    approve(manager, appraised, "30000")
    appraised.refresh_from_db()
    assert appraised.decision == Decision.APPROVED


def test_assessor_needs_the_assess_capability(proposal, manager, staff):
    with pytest.raises(FundingError, match="cannot assess"):
        assessor_assign(actor=manager, proposal=proposal, assessor=staff["adviser"])
    assert not Assessment.objects.exists()


def test_assessor_assigned_once(assessment, proposal, manager, assessor):
    with pytest.raises(FundingError, match="already assessing"):
        assessor_assign(actor=manager, proposal=proposal, assessor=assessor)
