"""Recording proposals, assigning assessors and setting up projects through the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from skillspassport.funding.models import Assessment, Project, Proposal, Target
from skillspassport.funding.services import proposal_decide

HOSTILE = "<script>alert('x')</script>"


def _proposal_data(**overrides):
    data = {
        "title": "Coding club for parents",
        "applicant_organisation": "",
        "applicant_name": "Netherton Parents' Network",
        "summary": "Evening sessions in two primary schools.",
        "amount_requested": "12,500.00",
        "submitted_on_0": "3",
        "submitted_on_1": "3",
        "submitted_on_2": "2026",
        "target_outputs": "40 parents supported",
    }
    data.update(overrides)
    return data


def test_record_a_proposal(client, manager, fund):
    client.force_login(manager)
    response = client.post(reverse("funding:proposal-create", args=[fund.pk]), _proposal_data())
    assert response.status_code == 302
    proposal = Proposal.objects.get(title="Coding club for parents")
    assert proposal.amount_requested == Decimal("12500.00")
    assert proposal.applicant == "Netherton Parents' Network"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter the title of the proposal"),
        ({"title": "x" * 201}, "Title must be 200 characters or fewer"),
        ({"applicant_name": ""}, "Select the applicant organisation or enter a name"),
        ({"applicant_organisation": "99999"}, "Select an applicant organisation from the list"),
        ({"summary": ""}, "Enter a summary of the proposal"),
        ({"summary": "x" * 5001}, "Summary must be 5,000 characters or fewer"),
        ({"amount_requested": "a lot"}, "Amount requested must be an amount of money"),
        ({"amount_requested": "-1"}, "Amount requested must be more than £0"),
        ({"submitted_on_2": "26"}, "Date submitted must be a real date, with a 4-digit year"),
    ],
)
def test_proposal_form_errors(client, manager, fund, overrides, message):
    client.force_login(manager)
    response = client.post(
        reverse("funding:proposal-create", args=[fund.pk]), _proposal_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Proposal.objects.exists()


def test_hostile_proposal_text_is_escaped(client, manager, fund):
    client.force_login(manager)
    client.post(
        reverse("funding:proposal-create", args=[fund.pk]),
        _proposal_data(title=HOSTILE, summary=HOSTILE),
    )
    proposal = Proposal.objects.get()
    body = client.get(reverse("funding:proposal", args=[proposal.pk])).content.decode()
    assert HOSTILE not in body
    assert "&lt;script&gt;" in body


def test_assign_an_assessor(client, manager, second_manager, proposal, staff):
    client.force_login(manager)
    url = reverse("funding:assessor-assign", args=[proposal.pk])
    body = client.get(url).content.decode()
    assert "Second Manager" in body
    assert staff["adviser"].full_name not in body  # advisers cannot assess
    response = client.post(url, {"assessor": second_manager.pk})
    assert response.status_code == 302
    assert Assessment.objects.filter(proposal=proposal, assessor=second_manager).exists()
    # Assigned once: they are no longer offered, and posting them again is refused.
    response = client.post(url, {"assessor": second_manager.pk})
    assert response.status_code == 400
    assert "Select an assessor from the list" in response.content.decode()
    assert Assessment.objects.filter(proposal=proposal).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "Select an assessor"), ({"assessor": "abc"}, "Select an assessor from the list")],
)
def test_assessor_form_errors(client, manager, proposal, data, message):
    client.force_login(manager)
    response = client.post(reverse("funding:assessor-assign", args=[proposal.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_other_council_user_cannot_be_assigned(client, manager, proposal, other_staff):
    client.force_login(manager)
    response = client.post(
        reverse("funding:assessor-assign", args=[proposal.pk]),
        {"assessor": other_staff["programme_manager"].pk},
    )
    assert response.status_code == 400
    assert not Assessment.objects.exists()


@pytest.fixture
def approved(appraised, proposal, manager):
    proposal_decide(
        actor=manager, proposal=proposal, decision="approved", amount="30000", reasons="Good"
    )
    proposal.refresh_from_db()
    return proposal


def _project_data(council, provider, **overrides):
    data = {
        "name": "Digital champions",
        "lead_organisation": provider.pk,
        "delivery_organisations": [provider.pk, council.pk],
        "budget": "30000",
        "starts_on_0": "1",
        "starts_on_1": "4",
        "starts_on_2": "2026",
        "ends_on_0": "31",
        "ends_on_1": "3",
        "ends_on_2": "2027",
        "targeting_plan": "",
        "target_residents_supported": "150",
        "target_job_starts": "",
    }
    data.update(overrides)
    return data


def test_set_up_a_project_from_an_approved_proposal(client, manager, approved, council, provider):
    client.force_login(manager)
    url = reverse("funding:project-create", args=[approved.pk])
    assert (
        "Set up the project"
        in client.get(reverse("funding:proposal", args=[approved.pk])).content.decode()
    )
    response = client.post(url, _project_data(council, provider))
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.proposal == approved
    assert set(project.delivery_organisations.all()) == {council, provider}
    assert list(Target.objects.values_list("measure", "target")) == [("residents_supported", 150)]
    # A second attempt goes to the existing project rather than making another.
    assert client.post(url, _project_data(council, provider)).status_code == 302
    assert Project.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the project name"),
        ({"lead_organisation": ""}, "Select the lead organisation"),
        ({"delivery_organisations": []}, "Select at least one delivery organisation"),
        ({"delivery_organisations": ["99999"]}, "Select delivery organisations from the list"),
        ({"budget": "30000.01"}, "no more than the £30,000.00 approved"),
        ({"budget": "0"}, "Budget must be more than £0"),
        ({"ends_on_2": "2025"}, "End date must be the same as or after the start date"),
        ({"target_job_starts": "0"}, "must be 1 or more, or left blank"),
        ({"target_job_starts": "ten"}, "Target for job starts must be a whole number"),
        ({"target_job_starts": "99999999"}, "must be 1,000,000 or fewer"),
        ({"targeting_plan": "99999"}, "Select a targeting plan from the list"),
    ],
)
def test_project_form_errors(client, manager, approved, council, provider, overrides, message):
    client.force_login(manager)
    response = client.post(
        reverse("funding:project-create", args=[approved.pk]),
        _project_data(council, provider, **overrides),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Project.objects.exists()


def test_undecided_proposal_cannot_become_a_project(client, manager, proposal, council, provider):
    client.force_login(manager)
    response = client.post(
        reverse("funding:project-create", args=[proposal.pk]), _project_data(council, provider)
    )
    assert response.status_code == 400
    assert "Only an approved proposal can become a project" in response.content.decode()


@pytest.mark.parametrize("role", ["adviser", "tutor", "viewer", "analyst", "employer_contact"])
def test_set_up_pages_are_not_found_for_other_roles(client, staff, fund, approved, role):
    client.force_login(staff[role])
    for url in (
        reverse("funding:proposal-create", args=[fund.pk]),
        reverse("funding:assessor-assign", args=[approved.pk]),
        reverse("funding:project-create", args=[approved.pk]),
    ):
        assert client.get(url).status_code == 404


def test_set_up_pages_are_not_found_for_other_councils(client, other_staff, fund, approved):
    client.force_login(other_staff["programme_manager"])
    for url in (
        reverse("funding:proposal-create", args=[fund.pk]),
        reverse("funding:assessor-assign", args=[approved.pk]),
        reverse("funding:project-create", args=[approved.pk]),
    ):
        assert client.get(url).status_code == 404


def _fund_data(organisation, **overrides):
    data = {
        "council": organisation.pk,
        "name": "Community Tech Fund",
        "funder": "National Lottery Community Fund",
        "total_budget": "£150,000",
        "opens_on_0": "1",
        "opens_on_1": "4",
        "opens_on_2": "2026",
        "closes_on_0": "30",
        "closes_on_1": "9",
        "closes_on_2": "2026",
        "min_assessors": "2",
        "c1_name": "Need",
        "c1_guidance": "Evidence of exclusion",
        "c1_weight": "60",
        "c1_max": "5",
        "c2_name": "Deliverability",
        "c2_weight": "40",
        "c2_max": "10",
    }
    data.update(overrides)
    return data


def test_set_up_a_fund_with_criteria(client, manager, council):
    from skillspassport.funding.models import Criterion, Fund

    client.force_login(manager)
    response = client.post(reverse("funding:fund-create"), _fund_data(council))
    assert response.status_code == 302
    fund = Fund.objects.get(name="Community Tech Fund")
    assert fund.total_budget == Decimal("150000.00")
    assert list(Criterion.objects.filter(fund=fund).values_list("name", "weight", "max_score")) == [
        ("Need", 60, 5),
        ("Deliverability", 40, 10),
    ]
    response = client.post(reverse("funding:fund-create"), _fund_data(council))
    assert response.status_code == 400
    assert "already has a fund called Community Tech Fund" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the fund name"),
        ({"funder": "x" * 201}, "Funder must be 200 characters or fewer"),
        ({"total_budget": "0"}, "Total budget must be more than £0"),
        ({"closes_on_1": "3"}, "Closing date must be the same as or after the opening date"),
        (
            {
                "c1_name": "",
                "c1_guidance": "",
                "c1_weight": "",
                "c1_max": "",
                "c2_name": "",
                "c2_weight": "",
                "c2_max": "",
            },
            "Enter at least one appraisal criterion",
        ),
        ({"c2_weight": ""}, "Enter criterion 2 weight"),
        ({"c2_max": "0"}, "Criterion 2 maximum score must be 1 or more"),
        ({"c2_max": "ten"}, "Criterion 2 maximum score must be a whole number"),
        ({"c3_weight": "10", "c3_max": "5"}, "Enter criterion 3 name"),
        ({"c2_name": "need"}, "Each criterion needs a different name"),
        ({"c2_weight": "30"}, "weights must add up to 100; they add up to 90"),
        ({"min_assessors": "0"}, "Independent assessors must be 1 or more"),
        ({"approval_limit": "-5"}, "Approval limit must be more than £0"),
        ({"council": "99999"}, "Select a council from the list"),
    ],
)
def test_fund_form_errors(client, manager, council, overrides, message):
    from skillspassport.funding.models import Fund

    client.force_login(manager)
    response = client.post(reverse("funding:fund-create"), _fund_data(council, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Fund.objects.exists()


def test_fund_for_another_council_is_refused(client, manager, other_council):
    client.force_login(manager)
    response = client.post(reverse("funding:fund-create"), _fund_data(other_council))
    assert response.status_code == 400
    assert "Select a council from the list" in response.content.decode()


@pytest.mark.parametrize("role", ["adviser", "tutor", "viewer", "analyst", "employer_contact"])
def test_fund_set_up_is_refused_to_other_roles(client, staff, role):
    client.force_login(staff[role])
    assert client.get(reverse("funding:fund-create")).status_code == 403


def _agreement_data(**overrides):
    data = {
        "reference": "SDIF-7",
        "signed_on_0": "20",
        "signed_on_1": "3",
        "signed_on_2": "2026",
        "value": "30000",
        "m1_description": "Volunteers trained",
        "m1_due_on_0": "1",
        "m1_due_on_1": "6",
        "m1_due_on_2": "2026",
        "m1_payment": "10000",
        "m2_description": "Final report",
        "m2_due_on_0": "30",
        "m2_due_on_1": "11",
        "m2_due_on_2": "2026",
        "m2_payment": "0",
    }
    data.update(overrides)
    return data


def test_record_an_agreement_with_milestones(client, manager, project):
    client.force_login(manager)
    url = reverse("funding:agreement", args=[project.pk])
    assert client.post(url, _agreement_data()).status_code == 302
    project.refresh_from_db()
    assert project.agreement.reference == "SDIF-7"
    assert list(project.agreement.milestones.values_list("description", "payment_amount")) == [
        ("Volunteers trained", Decimal("10000.00")),
        ("Final report", Decimal("0.00")),
    ]
    response = client.post(url, _agreement_data(), follow=True)
    assert "already has an agreement" in response.content.decode()
    assert project.agreement.milestones.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value": ""}, "Enter the agreement value"),
        ({"value": "30000.01"}, "no more than the project budget of £30,000.00"),
        ({"m2_payment": "20000.01"}, "more than the agreement value"),
        ({"m2_payment": "-1"}, "Milestone 2 payment cannot be negative"),
        ({"m2_payment": ""}, "Enter milestone 2 payment (0 if none)"),
        ({"m1_description": ""}, "Describe milestone 1"),
        ({"m1_due_on_0": "", "m1_due_on_1": "", "m1_due_on_2": ""}, "Enter milestone 1 due date"),
        ({"m1_description": HOSTILE * 20}, "Milestone 1 must be 300 characters or fewer"),
        ({"signed_on_2": "2999"}, "Date signed must be in the past"),
    ],
)
def test_agreement_form_errors(client, manager, project, overrides, message):
    from skillspassport.funding.models import Agreement

    client.force_login(manager)
    response = client.post(
        reverse("funding:agreement", args=[project.pk]), _agreement_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_agreement_page_not_found_for_other_councils(client, other_staff, project):
    client.force_login(other_staff["programme_manager"])
    assert client.get(reverse("funding:agreement", args=[project.pk])).status_code == 404
