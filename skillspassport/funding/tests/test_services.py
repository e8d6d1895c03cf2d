"""Funding writes: appraisal rules, decisions within the fund, projects, agreements and spend."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from skillspassport.funding.models import (
    Conflict,
    Criterion,
    Milestone,
    MilestoneStatus,
    Project,
    Proposal,
    Score,
    Spend,
)
from skillspassport.funding.selectors import fund_remaining, proposal_appraisal
from skillspassport.funding.services import (
    FundingError,
    MilestoneSpec,
    agreement_record,
    assessor_assign,
    conflict_declare,
    milestone_complete,
    project_create,
    proposal_decide,
    proposal_submit,
    scores_submit,
    spend_record,
)
from skillspassport.funding.tests.conftest import appraise


def _all(fund, values, comment=""):
    criteria = list(Criterion.objects.filter(fund=fund))
    return {c.pk: (v, comment) for c, v in zip(criteria, values, strict=True)}


# --- declarations and scores --------------------------------------------------------------------


def test_scoring_needs_a_declaration_first(assessment, assessor, fund):
    with pytest.raises(FundingError, match="Declare whether you have a conflict"):
        scores_submit(actor=assessor, assessment=assessment, scores=_all(fund, [3, 4, 5]))
    assert not Score.objects.exists()


def test_conflicted_assessor_cannot_score_and_nothing_is_saved(assessment, assessor, fund):
    conflict_declare(
        actor=assessor,
        assessment=assessment,
        conflict=Conflict.CONFLICT,
        details="I am a trustee of the applicant.",
    )
    with pytest.raises(FundingError, match="declared a conflict of interest"):
        scores_submit(actor=assessor, assessment=assessment, scores=_all(fund, [3, 4, 5]))
    assessment.refresh_from_db()
    assert assessment.scored_at is None
    assert not Score.objects.exists()


def test_a_conflict_needs_details(assessment, assessor):
    with pytest.raises(FundingError, match="Describe your conflict"):
        conflict_declare(actor=assessor, assessment=assessment, conflict="conflict", details="  ")
    assessment.refresh_from_db()
    assert assessment.conflict == ""


def test_only_the_assessor_declares_and_scores(declared, admin_user_in_council, fund):
    with pytest.raises(FundingError, match="Only the assessor"):
        conflict_declare(actor=admin_user_in_council, assessment=declared, conflict="none")
    with pytest.raises(FundingError, match="Only the assigned assessor"):
        scores_submit(
            actor=admin_user_in_council, assessment=declared, scores=_all(fund, [1, 1, 1])
        )


@pytest.fixture
def admin_user_in_council(staff):
    return staff["administrator"]


def test_one_set_of_scores_per_assessor_replaced_on_rescore(declared, assessor, fund):
    scores_submit(actor=assessor, assessment=declared, scores=_all(fund, [3, 5, 7], "ok"))
    scores_submit(actor=assessor, assessment=declared, scores=_all(fund, [5, 5, 10], "better"))
    assert Score.objects.filter(assessment=declared).count() == 3
    assert set(Score.objects.values_list("score", flat=True)) == {5, 10}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([6, 1, 1], "Need score must be between 0 and 5"),
        ([-1, 1, 1], "Need score must be between 0 and 5"),
        ([1, 1, 11], "Value for money score must be between 0 and 10"),
    ],
)
def test_out_of_range_scores_are_refused_whole(declared, assessor, fund, values, message):
    with pytest.raises(FundingError, match=message):
        scores_submit(actor=assessor, assessment=declared, scores=_all(fund, values))
    assert not Score.objects.exists()


def test_every_criterion_must_be_scored(declared, assessor, fund):
    scores = _all(fund, [1, 1, 1])
    scores.pop(next(iter(scores)))
    with pytest.raises(FundingError, match="Need not scored"):
        scores_submit(actor=assessor, assessment=declared, scores=scores)


def test_declaration_cannot_change_after_scoring(declared, assessor, fund):
    scores_submit(actor=assessor, assessment=declared, scores=_all(fund, [1, 1, 1]))
    with pytest.raises(FundingError, match="cannot change"):
        conflict_declare(actor=assessor, assessment=declared, conflict="conflict", details="x")


def test_weighted_score_averaged_over_assessors_who_scored(
    declared, manager, assessor, second_manager, proposal, fund, staff
):
    second = assessor_assign(actor=manager, proposal=proposal, assessor=second_manager)
    conflict_declare(actor=second_manager, assessment=second, conflict="none")
    conflicted = assessor_assign(actor=manager, proposal=proposal, assessor=staff["administrator"])
    conflict_declare(
        actor=staff["administrator"], assessment=conflicted, conflict="conflict", details="Trustee"
    )
    # 40*3/5 + 30*5/5 + 30*7/10 = 75 ; 40*5/5 + 30*2/5 + 30*4/10 = 64
    scores_submit(actor=assessor, assessment=declared, scores=_all(fund, [3, 5, 7]))
    scores_submit(actor=second_manager, assessment=second, scores=_all(fund, [5, 2, 4]))
    appraisal = proposal_appraisal(proposal=proposal)
    assert [r.weighted for r in appraisal.rows] == [Decimal("75.00"), Decimal("64.00"), None]
    assert appraisal.summary.mean == Decimal("69.50")
    assert appraisal.summary.spread == Decimal("11.00")
    assert appraisal.summary.assessors == 2
    assert appraisal.maximum == Decimal("100.00")


# --- decisions ----------------------------------------------------------------------------------


def test_approve_within_request_and_fund(appraised, proposal, manager, fund):
    proposal_decide(
        actor=manager, proposal=proposal, decision="approved", amount="35000", reasons="Good"
    )
    proposal.refresh_from_db()
    assert proposal.amount_approved == Decimal("35000.00")
    assert proposal.decided_by == manager
    assert fund_remaining(fund=fund) == Decimal("65000.00")


def test_approve_more_than_requested_is_refused(appraised, proposal, manager):
    with pytest.raises(FundingError, match=r"no more than the £40,000.00 requested"):
        proposal_decide(
            actor=manager, proposal=proposal, decision="approved", amount="40000.01", reasons="x"
        )
    proposal.refresh_from_db()
    assert proposal.decision == ""


def test_approve_more_than_remains_is_refused(
    fund, appraised, proposal, manager, provider, assessor, second_assessor
):
    other = proposal_submit(
        actor=manager,
        fund=fund,
        title="Devices",
        summary="Laptops",
        amount_requested=Decimal("80000"),
        submitted_on=date(2026, 2, 2),
        applicant_name="Bootle Tenants Association",
    )
    appraise(other, manager, [assessor, second_assessor])
    proposal_decide(
        actor=manager, proposal=other, decision="approved", amount="80000", reasons="Yes"
    )
    with pytest.raises(FundingError, match=r"£20,000.00 left in the fund"):
        proposal_decide(
            actor=manager, proposal=proposal, decision="approved", amount="20000.01", reasons="x"
        )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "more than £0"),
        ("-5", "more than £0"),
        ("lots", "number of pounds and pence"),
        ("1.234", "no more than 2 decimals"),
        ("NaN", "number of pounds and pence"),
        (None, "Enter the amount approved"),
    ],
)
def test_bad_amounts_are_refused(appraised, proposal, manager, amount, message):
    with pytest.raises(FundingError, match=message):
        proposal_decide(
            actor=manager, proposal=proposal, decision="approved", amount=amount, reasons="x"
        )


def test_decline_needs_reasons_and_happens_once(appraised, proposal, manager):
    with pytest.raises(FundingError, match="Enter the reasons"):
        proposal_decide(actor=manager, proposal=proposal, decision="declined", reasons=" ")
    proposal_decide(actor=manager, proposal=proposal, decision="declined", reasons="Duplicates")
    with pytest.raises(FundingError, match="already declined"):
        proposal_decide(actor=manager, proposal=proposal, decision="declined", reasons="Again")


def test_conflicted_assessor_cannot_decide(assessment, proposal, assessor):
    conflict_declare(actor=assessor, assessment=assessment, conflict="conflict", details="Trustee")
    with pytest.raises(FundingError, match="cannot decide it"):
        proposal_decide(actor=assessor, proposal=proposal, decision="declined", reasons="x")
    proposal.refresh_from_db()
    assert proposal.decision == ""


def test_only_managers_of_the_council_decide(proposal, other_staff, staff):
    for user in (other_staff["programme_manager"], staff["adviser"]):
        with pytest.raises(FundingError, match="do not manage this fund"):
            proposal_decide(actor=user, proposal=proposal, decision="declined", reasons="x")


def test_scores_cannot_change_after_the_decision(
    declared, manager, assessor, second_manager, third_assessor, proposal, fund
):
    appraise(proposal, manager, [second_manager, third_assessor])
    proposal_decide(actor=manager, proposal=proposal, decision="declined", reasons="No")
    with pytest.raises(FundingError, match="has been decided"):
        scores_submit(actor=assessor, assessment=declared, scores=_all(fund, [1, 1, 1]))


# --- projects, agreements, spend ----------------------------------------------------------------


def test_project_needs_an_approved_proposal(fund, proposal, manager, provider):
    with pytest.raises(FundingError, match="Only an approved proposal"):
        project_create(
            actor=manager,
            fund=fund,
            proposal=proposal,
            name="P",
            lead_organisation=provider,
            delivery_organisations=[provider],
            budget=Decimal("100"),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 6, 30),
        )
    assert not Project.objects.exists()


def test_project_budget_within_the_approval(project, fund, manager, provider):
    assert project.budget == Decimal("30000.00")
    with pytest.raises(FundingError, match="already has a project"):
        project_create(
            actor=manager,
            fund=fund,
            proposal=project.proposal,
            name="Again",
            lead_organisation=provider,
            delivery_organisations=[provider],
            budget=Decimal("100"),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 6, 30),
        )


def test_direct_project_counts_against_the_fund(fund, manager, provider, project):
    with pytest.raises(FundingError, match=r"£70,000.00 left"):
        project_create(
            actor=manager,
            fund=fund,
            name="Direct",
            lead_organisation=provider,
            delivery_organisations=[provider],
            budget=Decimal("70000.01"),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 6, 30),
        )
    project_create(
        actor=manager,
        fund=fund,
        name="Direct",
        lead_organisation=provider,
        delivery_organisations=[provider],
        budget=Decimal("70000"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
        targets={"passports_bronze": 10},
    )
    assert fund_remaining(fund=fund) == Decimal("0.00")


def test_project_targets_must_be_registered_measures(fund, manager, provider):
    with pytest.raises(FundingError, match="not an output measure"):
        project_create(
            actor=manager,
            fund=fund,
            name="Direct",
            lead_organisation=provider,
            delivery_organisations=[provider],
            budget=Decimal("10"),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 6, 30),
            targets={"happiness": 3},
        )


def test_agreement_with_milestones(project, manager):
    agreement = agreement_record(
        actor=manager,
        project=project,
        signed_on=date(2026, 1, 10),
        value=Decimal("30000"),
        milestones=[
            MilestoneSpec("Start-up", date(2026, 2, 1), Decimal("10000")),
            MilestoneSpec("Mid-point", date(2026, 6, 1), Decimal("10000")),
        ],
    )
    assert agreement.milestones.count() == 2
    milestone = agreement.milestones.first()
    milestone_complete(actor=manager, milestone=milestone, completed_on=date(2026, 2, 3))
    milestone.refresh_from_db()
    assert milestone.status == MilestoneStatus.COMPLETED
    with pytest.raises(FundingError, match="already completed"):
        milestone_complete(actor=manager, milestone=milestone, completed_on=date(2026, 2, 3))


def test_agreement_payments_within_value(project, manager):
    with pytest.raises(FundingError, match="more than the agreement value"):
        agreement_record(
            actor=manager,
            project=project,
            signed_on=date(2026, 1, 10),
            value=Decimal("1000"),
            milestones=[MilestoneSpec("All", date(2026, 2, 1), Decimal("1000.01"))],
        )
    assert not Milestone.objects.exists()


def test_milestone_cannot_complete_in_the_future(project, manager):
    agreement = agreement_record(
        actor=manager,
        project=project,
        signed_on=date(2026, 1, 10),
        value=Decimal("1000"),
        milestones=[MilestoneSpec("All", date(2026, 2, 1), Decimal("1000"))],
    )
    with pytest.raises(FundingError, match="today or in the past"):
        milestone_complete(
            actor=manager,
            milestone=agreement.milestones.get(),
            completed_on=timezone.localdate() + timedelta(days=1),
        )


def test_spend_within_budget_and_overspend_refused(project, manager):
    spend_record(
        actor=manager,
        project=project,
        spent_on=date(2026, 3, 1),
        amount="29999.99",
        category="staff",
        description="Coordinator salary",
    )
    with pytest.raises(FundingError, match=r"over the project budget of £30,000.00 \(£0.01 left\)"):
        spend_record(
            actor=manager,
            project=project,
            spent_on=date(2026, 3, 2),
            amount="0.02",
            category="staff",
            description="More",
        )
    spend_record(
        actor=manager,
        project=project,
        spent_on=date(2026, 3, 2),
        amount="0.01",
        category="other",
        description="Exactly the budget",
    )
    assert Spend.objects.count() == 2


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "Amount must be more than £0"),
        ("-10", "Amount must be more than £0"),
        ("ten pounds", "Amount must be a number"),
        ("1e3", None),
        ("10.001", "no more than 2 decimals"),
        (1.5, "Amount must be a number"),
    ],
)
def test_spend_amounts(project, manager, amount, message):
    if message is None:  # scientific notation is still a valid Decimal amount
        spend_record(
            actor=manager,
            project=project,
            spent_on=date(2026, 3, 1),
            amount=amount,
            category="other",
            description="x",
        )
        assert Spend.objects.get().amount == Decimal("1000.00")
        return
    with pytest.raises(FundingError, match=message):
        spend_record(
            actor=manager,
            project=project,
            spent_on=date(2026, 3, 1),
            amount=amount,
            category="other",
            description="x",
        )
    assert not Spend.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_spend_cannot_overspend(project, manager):
    """Two lines that each fit but together overspend: the row lock lets only one through."""
    results: list[str] = []

    def record() -> None:
        try:
            spend_record(
                actor=manager,
                project=project,
                spent_on=date(2026, 3, 1),
                amount="20000",
                category="staff",
                description="Salary",
            )
            results.append("ok")
        except FundingError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert Spend.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_cannot_overcommit_the_fund(fund, manager, assessor, second_assessor):
    proposals = [
        proposal_submit(
            actor=manager,
            fund=fund,
            title=f"Bid {i}",
            summary="s",
            amount_requested=Decimal("60000"),
            submitted_on=date(2026, 2, 1),
            applicant_name=f"Applicant {i}",
        )
        for i in range(2)
    ]
    for p in proposals:
        appraise(p, manager, [assessor, second_assessor])
    results: list[str] = []

    def decide(p: Proposal) -> None:
        try:
            proposal_decide(
                actor=manager, proposal=p, decision="approved", amount="60000", reasons="ok"
            )
            results.append("ok")
        except FundingError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(p,)) for p in proposals]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "refused"]
    assert fund_remaining(fund=fund) == Decimal("40000.00")
