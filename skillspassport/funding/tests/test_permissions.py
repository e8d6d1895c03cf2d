"""Who may open which funding page: every role, other councils' staff, and guessed ids."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from skillspassport.accounts import roles
from skillspassport.accounts.models import Role
from skillspassport.funding.services import MilestoneSpec, agreement_record, assessor_assign

FUNDING_ROLES = {Role.ADMINISTRATOR.value, Role.PROGRAMME_MANAGER.value}
OTHER_ROLES = sorted({r.value for r in Role} - FUNDING_ROLES)


@pytest.fixture
def pages(fund, proposal, project, assessment, manager):
    agreement = agreement_record(
        actor=manager,
        project=project,
        signed_on=date(2026, 1, 5),
        value=Decimal("30000"),
        milestones=[MilestoneSpec("Launch", date(2026, 3, 1), Decimal("7500"))],
    )
    milestone = agreement.milestones.get()
    return {
        "fund": reverse("funding:fund", args=[fund.pk]),
        "proposal": reverse("funding:proposal", args=[proposal.pk]),
        "project": reverse("funding:project", args=[project.pk]),
        "spend": reverse("funding:spend", args=[project.pk]),
        "milestone": reverse("funding:milestone-complete", args=[project.pk, milestone.pk]),
        "outputs": reverse("funding:outputs", args=[project.pk, "job_starts"]),
    }


@pytest.mark.parametrize("role", sorted(FUNDING_ROLES))
def test_funding_roles_open_every_page(client, staff, pages, role):
    client.force_login(staff[role])
    assert client.get(reverse("funding:index")).status_code == 200
    for name, url in pages.items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_other_roles_are_refused_the_index_and_find_no_objects(client, staff, pages, role):
    client.force_login(staff[role])
    assert client.get(reverse("funding:index")).status_code == 403
    assert client.get(reverse("funding:my-assessments")).status_code == 403
    for name, url in pages.items():
        assert client.get(url).status_code == 404, name
    assert "/funding/" not in client.get("/").content.decode()


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_other_councils_staff_find_nothing(client, other_staff, pages, assessment, proposal, role):
    client.force_login(other_staff[role])
    for name, url in pages.items():
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("funding:assessment", args=[assessment.pk])).status_code == 404
    response = client.post(
        reverse("funding:proposal-decide", args=[proposal.pk]),
        {"decision": "declined", "reasons": "x"},
    )
    assert response.status_code == 404
    proposal.refresh_from_db()
    assert proposal.decision_reasons != "x"


def test_other_council_manager_sees_an_empty_index(client, other_staff, fund, project):
    client.force_login(other_staff["programme_manager"])
    body = client.get(reverse("funding:index")).content.decode()
    assert fund.name not in body
    assert project.name not in body


def test_nav_shows_funding_to_funding_roles_only(client, staff):
    client.force_login(staff["programme_manager"])
    assert 'href="/funding/"' in client.get("/").content.decode()
    client.force_login(staff["adviser"])
    assert 'href="/funding/"' not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/funding/funds/999999/",
        "/funding/proposals/999999/",
        "/funding/projects/999999/",
        "/funding/assessments/999999/",
        "/funding/projects/999999/outputs/job_starts/",
    ],
)
def test_guessed_ids_are_not_found(client, manager, url):
    client.force_login(manager)
    assert client.get(url).status_code == 404


def test_someone_elses_assessment_is_not_found(client, staff, assessment):
    client.force_login(staff["administrator"])  # manages funding, but it is not their assessment
    url = reverse("funding:assessment", args=[assessment.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"declare": "1", "declare-conflict": "none"})
    assert response.status_code == 404
    assessment.refresh_from_db()
    assert assessment.conflict == ""


def test_milestone_of_another_project_is_not_found(client, manager, pages, fund, provider):
    from skillspassport.funding.services import project_create

    other = project_create(
        actor=manager,
        fund=fund,
        name="Other",
        lead_organisation=provider,
        delivery_organisations=[provider],
        budget=Decimal("100"),
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 6, 30),
    )
    milestone_id = pages["milestone"].rstrip("/").split("/")[-2]
    client.force_login(manager)
    url = reverse("funding:milestone-complete", args=[other.pk, milestone_id])
    assert client.get(url).status_code == 404


@pytest.fixture
def assessor_only(monkeypatch, staff):
    """A role that may assess proposals but not manage funding (a council may grant one)."""
    monkeypatch.setitem(
        roles.ROLE_CAPABILITIES,
        Role.VIEWER,
        roles.ROLE_CAPABILITIES[Role.VIEWER] | {roles.Capability.ASSESS_PROPOSALS},
    )
    return staff["viewer"]


def test_assessor_sees_only_assigned_proposals_and_cannot_decide(
    client, assessor_only, manager, fund, proposal, project
):
    from skillspassport.funding.services import proposal_submit

    assigned = proposal_submit(
        actor=manager,
        fund=fund,
        title="Assigned bid",
        summary="s",
        amount_requested=Decimal("100"),
        submitted_on=date(2026, 3, 1),
        applicant_name="Applicant",
    )
    assessment = assessor_assign(actor=manager, proposal=assigned, assessor=assessor_only)
    client.force_login(assessor_only)
    assert client.get(reverse("funding:fund", args=[fund.pk])).status_code == 200
    body = client.get(reverse("funding:fund", args=[fund.pk])).content.decode()
    assert "Assigned bid" in body
    assert proposal.title not in body
    assert client.get(reverse("funding:proposal", args=[assigned.pk])).status_code == 200
    assert client.get(reverse("funding:proposal", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("funding:assessment", args=[assessment.pk])).status_code == 200
    response = client.post(
        reverse("funding:proposal-decide", args=[assigned.pk]),
        {"decision": "declined", "reasons": "x"},
    )
    assert response.status_code == 403
    assert client.get(reverse("funding:project", args=[project.pk])).status_code == 404
    assert (
        "Record decision"
        not in client.get(reverse("funding:proposal", args=[assigned.pk])).content.decode()
    )
