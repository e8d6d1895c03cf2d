"""Funding pages as programme managers and assessors use them: forms, messages, query counts."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from skillspassport.employers.services import job_start_record
from skillspassport.funding.models import Criterion, Score, Spend
from skillspassport.funding.services import (
    CriterionSpec,
    MilestoneSpec,
    agreement_record,
    assessor_assign,
    conflict_declare,
    fund_create,
    project_create,
    proposal_submit,
    scores_submit,
)
from skillspassport.people.tests.factories import ResidentFactory

HOSTILE = "<script>alert('x')</script>"


def _score_data(fund, values, comment=""):
    data = {"score": "1"}
    for criterion, value in zip(Criterion.objects.filter(fund=fund), values, strict=True):
        data[f"score-score_{criterion.pk}"] = str(value)
        data[f"score-comment_{criterion.pk}"] = comment
    return data


def _spend_data(**overrides):
    data = {
        "spent_on_0": "1",
        "spent_on_1": "3",
        "spent_on_2": "2026",
        "amount": "1250.50",
        "category": "staff",
        "description": "Coordinator salary, March",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


# --- index and fund -----------------------------------------------------------------------------


def test_index_lists_funds_and_projects_in_constant_queries(
    client, manager, fund, project, council, provider
):
    client.force_login(manager)
    url = reverse("funding:index")
    client.get(url)  # warm the session
    one = _query_count(client, url)
    for i in range(3):
        other = fund_create(
            actor=manager,
            council=council,
            name=f"Fund {i}",
            funder="Funder",
            total_budget=Decimal("1000"),
            opens_on=date(2026, 1, 1),
            closes_on=date(2026, 12, 31),
            criteria=[CriterionSpec("Need", 100, 5)],
        )
        project_create(
            actor=manager,
            fund=other,
            name=f"Project {i}",
            lead_organisation=provider,
            delivery_organisations=[provider],
            budget=Decimal("500"),
            starts_on=date(2026, 1, 1),
            ends_on=date(2026, 12, 31),
        )
    assert _query_count(client, url) == one
    body = client.get(url).content.decode()
    assert "Digital Inclusion Fund" in body
    assert "Digital champions" in body
    assert "£30,000.00" in body  # committed
    assert "Project 2" in body


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_fund_page_queries_do_not_grow_with_proposals(
    client, manager, second_manager, assessor, fund, proposal
):
    def add_scored_proposal(i: int) -> None:
        extra = proposal_submit(
            actor=manager,
            fund=fund,
            title=f"Extra {i}",
            summary="s",
            amount_requested=Decimal("100"),
            submitted_on=date(2026, 3, 1),
            applicant_name=f"Applicant {i}",
        )
        for user in (assessor, second_manager):
            a = assessor_assign(actor=manager, proposal=extra, assessor=user)
            conflict_declare(actor=user, assessment=a, conflict="none")
            scores_submit(
                actor=user,
                assessment=a,
                scores={c.pk: (1, "") for c in Criterion.objects.filter(fund=fund)},
            )

    client.force_login(manager)
    url = reverse("funding:fund", args=[fund.pk])
    add_scored_proposal(0)
    client.get(url)
    one = _query_count(client, url)
    for i in range(1, 4):
        add_scored_proposal(i)
    assert _query_count(client, url) == one


def test_fund_page_shows_scores_decisions_and_remaining(client, manager, fund, project):
    client.force_login(manager)
    body = client.get(reverse("funding:fund", args=[fund.pk])).content.decode()
    assert "£70,000.00" in body  # remaining
    assert "Approved" in body
    assert "Value for money" in body


# --- assessment: declare then score -------------------------------------------------------------


def test_assessor_declares_then_scores(client, assessor, assessment, fund):
    client.force_login(assessor)
    url = reverse("funding:assessment", args=[assessment.pk])
    response = client.post(url, {"declare": "1", "declare-conflict": "none"})
    assert response.status_code == 302
    response = client.post(url, _score_data(fund, [4, 3, 8], "Clear need"))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.scored_at is not None
    assert Score.objects.filter(assessment=assessment).count() == 3
    body = client.get(reverse("funding:proposal", args=[assessment.proposal_id])).content.decode()
    # 40*4/5 + 30*3/5 + 30*8/10 = 32 + 18 + 24
    assert "74.00" in body


def test_conflicted_assessor_sees_clear_message_and_nothing_is_saved(
    client, assessor, assessment, fund
):
    client.force_login(assessor)
    url = reverse("funding:assessment", args=[assessment.pk])
    client.post(url, {"declare": "1", "declare-conflict": "conflict", "declare-details": "Trustee"})
    response = client.post(url, _score_data(fund, [4, 3, 8]))
    assert response.status_code == 400
    assert "you cannot score it" in response.content.decode()
    assert not Score.objects.exists()
    assessment.refresh_from_db()
    assert assessment.scored_at is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"declare": "1"}, "Select whether you have a conflict of interest"),
        ({"declare": "1", "declare-conflict": "maybe"}, "Select whether you have a conflict"),
        ({"declare": "1", "declare-conflict": "conflict"}, "Describe your conflict of interest"),
        (
            {"declare": "1", "declare-conflict": "conflict", "declare-details": "x" * 2001},
            "Details must be 2,000 characters or fewer",
        ),
    ],
)
def test_declaration_form_errors(client, assessor, assessment, data, message):
    client.force_login(assessor)
    response = client.post(reverse("funding:assessment", args=[assessment.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.conflict == ""


def test_hostile_declaration_is_stored_as_text_and_escaped(client, assessor, assessment):
    client.force_login(assessor)
    url = reverse("funding:assessment", args=[assessment.pk])
    client.post(url, {"declare": "1", "declare-conflict": "conflict", "declare-details": HOSTILE})
    assessment.refresh_from_db()
    assert assessment.conflict_details == HOSTILE
    body = client.get(url).content.decode()
    assert HOSTILE not in body
    assert "&lt;script&gt;" in body


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["", 3, 8], "Enter a score for Need"),
        (["four", 3, 8], "Need score must be a whole number"),
        ([4.5, 3, 8], "Need score must be a whole number"),
        ([6, 3, 8], "Need score must be between 0 and 5"),
        ([4, 3, -1], "Value for money score must be between 0 and 10"),
        ([4, 3, 10**12], "Value for money score must be between 0 and 10"),
    ],
)
def test_score_form_errors_leave_nothing_saved(client, assessor, declared, fund, values, message):
    client.force_login(assessor)
    response = client.post(
        reverse("funding:assessment", args=[declared.pk]), _score_data(fund, values)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Score.objects.exists()


def test_huge_score_comment_is_refused(client, assessor, declared, fund):
    client.force_login(assessor)
    response = client.post(
        reverse("funding:assessment", args=[declared.pk]), _score_data(fund, [1, 1, 1], "x" * 2001)
    )
    assert "Need comment must be 2,000 characters or fewer" in response.content.decode()
    assert not Score.objects.exists()


def test_my_assessments_lists_the_users_assessments(client, assessor, assessment):
    client.force_login(assessor)
    body = client.get(reverse("funding:my-assessments")).content.decode()
    assert "Digital champions in Bootle" in body
    assert "To declare" in body


# --- decisions ----------------------------------------------------------------------------------


def test_manager_approves_within_request(client, manager, appraised, proposal):
    client.force_login(manager)
    response = client.post(
        reverse("funding:proposal-decide", args=[proposal.pk]),
        {"decision": "approved", "amount": "39999.99", "reasons": "Strong"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.amount_approved == Decimal("39999.99")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select approve or decline"),
        ({"decision": "approved", "reasons": "ok"}, "Enter the amount approved"),
        ({"decision": "approved", "amount": "abc", "reasons": "ok"}, "must be an amount of money"),
        ({"decision": "approved", "amount": "-1", "reasons": "ok"}, "must be more than £0"),
        ({"decision": "approved", "amount": "1.001", "reasons": "ok"}, "no more than 2 decimal"),
        (
            {"decision": "approved", "amount": "1" * 20, "reasons": "ok"},
            "£9,999,999,999.99 or less",
        ),
        (
            {"decision": "approved", "amount": "40000.01", "reasons": "ok"},
            "no more than the £40,000.00 requested",
        ),
        ({"decision": "declined", "reasons": ""}, "Enter the reasons for the decision"),
        ({"decision": "declined", "reasons": "x" * 4001}, "4,000 characters or fewer"),
    ],
)
def test_decision_form_errors(client, manager, appraised, proposal, data, message):
    client.force_login(manager)
    response = client.post(reverse("funding:proposal-decide", args=[proposal.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.decision == ""


def test_duplicate_decision_is_refused_with_a_message(client, manager, appraised, proposal):
    client.force_login(manager)
    url = reverse("funding:proposal-decide", args=[proposal.pk])
    client.post(url, {"decision": "declined", "reasons": "No"})
    response = client.post(url, {"decision": "approved", "amount": "1", "reasons": "Yes"})
    assert response.status_code == 400
    assert "already declined" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.decision == "declined"


def test_conflicted_manager_has_no_decision_form_and_cannot_post_one(
    client, assessor, assessment, proposal
):
    conflict_declare(actor=assessor, assessment=assessment, conflict="conflict", details="Trustee")
    client.force_login(assessor)
    body = client.get(reverse("funding:proposal", args=[proposal.pk])).content.decode()
    assert "Record decision" not in body
    assert "you cannot score or decide it" in body
    response = client.post(
        reverse("funding:proposal-decide", args=[proposal.pk]),
        {"decision": "declined", "reasons": "No"},
    )
    assert "cannot decide it" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.decision == ""


# --- project, spend, milestones -----------------------------------------------------------------


def test_project_page_shows_targets_actuals_agreement_and_spend(
    client, manager, project, adviser, council
):
    resident = ResidentFactory(organisation=council, user=adviser)
    job_start_record(
        actor=adviser,
        resident=resident,
        employer_name="Dockside",
        role_title="Driver",
        contract="permanent",
        started_on=date(2026, 4, 1),
        hours_per_week=Decimal(30),
    )
    agreement_record(
        actor=manager,
        project=project,
        signed_on=date(2026, 1, 5),
        value=Decimal("30000"),
        milestones=[MilestoneSpec("Launch events held", date(2026, 3, 1), Decimal("7500"))],
        reference="SDIF-001",
    )
    client.force_login(manager)
    response = client.get(reverse("funding:project", args=[project.pk]))
    outputs = {row.measure.code: row for row in response.context["outputs"]}
    assert outputs["job_starts"].actual == 1
    assert outputs["job_starts"].percent == 50
    assert outputs["residents_supported"].actual == 1
    body = response.content.decode()
    assert "Launch events held" in body
    assert "SDIF-001" in body
    assert reverse("funding:outputs", args=[project.pk, "job_starts"]) in body


def test_record_spend_and_duplicate_submission(client, manager, project):
    client.force_login(manager)
    url = reverse("funding:spend", args=[project.pk])
    data = _spend_data()
    assert client.post(url, data).status_code == 302
    response = client.post(url, data, follow=True)
    assert "already recorded" in response.content.decode()
    assert Spend.objects.count() == 1
    body = client.get(reverse("funding:project", args=[project.pk])).content.decode()
    assert "£1,250.50" in body
    assert "Coordinator salary, March" in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"amount": ""}, "Enter the amount"),
        ({"amount": "0"}, "Amount must be more than £0"),
        ({"amount": "-20"}, "Amount must be more than £0"),
        ({"amount": "twelve"}, "Amount must be an amount of money"),
        ({"amount": "10.555"}, "no more than 2 decimal places"),
        ({"amount": "30000.01"}, "over the project budget of £30,000.00"),
        ({"category": "bribes"}, "Select a category of spend"),
        ({"description": ""}, "Enter a description of the spend"),
        ({"description": "x" * 301}, "Description must be 300 characters or fewer"),
        ({"spent_on_0": "31", "spent_on_1": "2"}, "Date of spend must be a real date"),
        ({"spent_on_2": "2999"}, "Date of spend must be in the past"),
    ],
)
def test_spend_form_errors_save_nothing(client, manager, project, overrides, message):
    client.force_login(manager)
    response = client.post(reverse("funding:spend", args=[project.pk]), _spend_data(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Spend.objects.exists()


def test_hostile_spend_description_is_escaped(client, manager, project):
    client.force_login(manager)
    client.post(reverse("funding:spend", args=[project.pk]), _spend_data(description=HOSTILE))
    body = client.get(reverse("funding:project", args=[project.pk])).content.decode()
    assert HOSTILE not in body
    assert "&lt;script&gt;" in body


def test_near_budget_warning(client, manager, project):
    client.force_login(manager)
    client.post(reverse("funding:spend", args=[project.pk]), _spend_data(amount="27000"))
    body = client.get(reverse("funding:project", args=[project.pk])).content.decode()
    assert "90% of the budget is spent" in body


def test_complete_a_milestone(client, manager, project):
    agreement = agreement_record(
        actor=manager,
        project=project,
        signed_on=date(2026, 1, 5),
        value=Decimal("30000"),
        milestones=[MilestoneSpec("Launch", date(2026, 3, 1), Decimal("7500"))],
    )
    milestone = agreement.milestones.get()
    client.force_login(manager)
    url = reverse("funding:milestone-complete", args=[project.pk, milestone.pk])
    response = client.post(url, {"completed_on_0": "", "completed_on_1": "", "completed_on_2": ""})
    assert "Enter date completed" in response.content.decode()
    response = client.post(
        url, {"completed_on_0": "2", "completed_on_1": "3", "completed_on_2": "2026"}
    )
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.completed_on == date(2026, 3, 2)
