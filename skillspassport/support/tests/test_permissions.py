"""Who may open what in casework: every role in the case's organisation, and every role of
another organisation (who must learn nothing, even by guessing addresses)."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from skillspassport.accounts.models import Role
from skillspassport.support import services
from skillspassport.support.models import BudgetSpend, CaseNote, SpendStatus

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

#                      caseload case  spend-add approvals policy receipt decide
OWN_ORG = {
    Role.ADMINISTRATOR: (200, 200, 200, 200, 200, 200, 200),
    Role.ADVISER: (200, 200, 200, 403, 403, 200, 404),
    Role.TUTOR: (403, 403, 403, 403, 403, 403, 404),
    Role.VIEWER: (403, 403, 403, 403, 403, 403, 404),
    Role.ANALYST: (403, 404, 404, 403, 403, 404, 404),
    Role.COUNCILLOR: (403, 404, 404, 403, 403, 404, 404),  # figures only, like an analyst
    Role.EMPLOYER_CONTACT: (403, 404, 404, 403, 403, 404, 404),
    Role.PROGRAMME_MANAGER: (403, 404, 404, 200, 403, 200, 200),
}


@pytest.fixture
def awaiting(case, adviser):
    return services.budget_spend_record(
        actor=adviser,
        case=case,
        category="equipment",
        amount=Decimal("250.00"),
        description="Work boots",
        spent_on=case.opened_on,
        receipt=SimpleUploadedFile("boots.png", PNG),
        receipt_type="image/png",
    )


def urls(case, spend):
    return [
        reverse("support:caseload"),
        reverse("support:case", args=[case.public_id]),
        reverse("support:spend-add", args=[case.public_id]),
        reverse("support:approvals"),
        reverse("support:budget-policy"),
        reverse("support:receipt", args=[spend.pk]),
        reverse("support:approval-decide", args=[spend.pk]),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_each_role_in_own_organisation(client, staff, case, awaiting, role):
    client.force_login(staff[role.value])
    statuses = tuple(client.get(url).status_code for url in urls(case, awaiting))
    assert statuses == OWN_ORG[role]


def case_urls(case, spend, device_id=1, goal_id=1, check_id=1):
    pid = case.public_id
    return [
        reverse("support:case", args=[pid]),
        reverse("support:case-edit", args=[pid]),
        reverse("support:goal-add", args=[pid]),
        reverse("support:note-add", args=[pid]),
        reverse("support:case-close", args=[pid]),
        reverse("support:spend-add", args=[pid]),
        reverse("support:device-add", args=[pid]),
        reverse("support:device-return", args=[pid, device_id]),
        reverse("support:placement-add", args=[pid]),
        reverse("support:placement-outcome", args=[pid, 1]),
        reverse("support:job-start-add", args=[pid]),
        reverse("support:receipt", args=[spend.pk]),
        reverse("support:approval-decide", args=[spend.pk]),
        reverse("support:case-open", args=[case.resident.public_id]),
    ]


@pytest.mark.parametrize("role", list(Role))
def test_another_organisation_sees_nothing(client, other_staff, case, awaiting, role):
    client.force_login(other_staff[role.value])
    for url in case_urls(case, awaiting):
        assert client.get(url).status_code == 404, url
    for url in case_urls(case, awaiting)[1:]:
        if "/receipts/" in url:
            continue
        assert client.post(url, {"text": "x"}).status_code == 404, url
    assert (
        client.post(reverse("support:spend-cancel", args=[case.public_id, awaiting.pk])).status_code
        == 404
    )
    assert not CaseNote.objects.exists()
    awaiting.refresh_from_db()
    assert awaiting.status == SpendStatus.AWAITING
    for page in ("support:caseload", "support:approvals"):
        response = client.get(reverse(page))
        assert escape(case.resident.full_name) not in response.content.decode()


def test_other_approver_cannot_decide_by_posting(client, other_staff, awaiting):
    client.force_login(other_staff["programme_manager"])
    response = client.post(
        reverse("support:approval-decide", args=[awaiting.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    awaiting.refresh_from_db()
    assert awaiting.status == SpendStatus.AWAITING


def test_guessed_ids_are_404(client, adviser, staff):
    client.force_login(staff["administrator"])
    assert client.get(reverse("support:case", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("support:receipt", args=[999999])).status_code == 404
    assert client.get(reverse("support:approval-decide", args=[999999])).status_code == 404
    assert client.get(reverse("support:check-record", args=[999999])).status_code == 404


def test_goal_and_device_of_another_case_are_404(client, case, adviser, other_staff, hub):
    from datetime import timedelta

    from skillspassport.people.tests.factories import ResidentFactory

    other_adviser = other_staff["adviser"]
    other_case = services.case_open(
        actor=other_adviser,
        resident=ResidentFactory(
            organisation=other_staff["adviser"].memberships.get().organisation, user=other_adviser
        ),
        referral_source="self",
        referred_on=case.opened_on,
        referring_organisation="Self",
        opened_on=case.opened_on,
    )
    goal = services.goal_add(
        actor=other_adviser,
        case=other_case,
        text="CV",
        target_on=case.opened_on + timedelta(days=3),
    )
    client.force_login(adviser)
    response = client.post(
        reverse("support:goal-status", args=[case.public_id, goal.pk]), {"status": "achieved"}
    )
    assert response.status_code == 404
    goal.refresh_from_db()
    assert goal.status == "not_started"


def test_requester_is_shown_they_cannot_decide(client, case, staff):
    admin = staff["administrator"]
    mine = services.budget_spend_record(
        actor=admin,
        case=case,
        category="travel",
        amount=Decimal("150"),
        description="Train",
        spent_on=case.opened_on,
    )
    client.force_login(admin)
    page = client.get(reverse("support:approval-decide", args=[mine.pk])).content.decode()
    assert "someone else must decide it" in page
    response = client.post(
        reverse("support:approval-decide", args=[mine.pk]), {"decision": "approve"}
    )
    assert "Someone other than the person who asked" in response.content.decode()
    assert BudgetSpend.objects.get(pk=mine.pk).status == SpendStatus.AWAITING


def test_policy_link_only_for_administrators(client, staff):
    client.force_login(staff["programme_manager"])
    assert "budget-policy" not in client.get(reverse("support:approvals")).content.decode()
    client.force_login(staff["administrator"])
    assert "budget-policy" in client.get(reverse("support:approvals")).content.decode()
