"""Who may do what with a resident: every role, own organisation and another's."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.urls import reverse

from skillspassport.accounts.models import Role
from skillspassport.audit.models import AuditEvent
from skillspassport.people.models import EqualityMonitoring, Resident
from skillspassport.people.services import equality_record
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor
from skillspassport.skills.services import evidence_record

# What each role may open for a resident of its own organisation (200) or not (403/404).
OWN_ORG = {
    #                    detail edit  evidence equality audit  print
    Role.ADMINISTRATOR: (200, 200, 200, 200, 200, 200),
    Role.ADVISER: (
        200,
        200,
        200,
        302,
        403,
        200,
    ),  # equality already recorded: adviser cannot read it
    Role.TUTOR: (200, 403, 200, 403, 403, 200),
    Role.VIEWER: (200, 403, 403, 403, 403, 200),
    Role.ANALYST: (404, 404, 404, 404, 404, 404),
    Role.COUNCILLOR: (404, 404, 404, 404, 404, 404),
    Role.EMPLOYER_CONTACT: (404, 404, 404, 404, 404, 404),
    Role.PROGRAMME_MANAGER: (404, 404, 404, 404, 404, 404),
}


def resident_urls(resident):
    pid = resident.public_id
    return [
        reverse("people:detail", args=[pid]),
        reverse("people:edit", args=[pid]),
        reverse("skills:evidence-record", args=[pid, "digital"]),
        reverse("people:equality", args=[pid]),
        reverse("people:audit", args=[pid]),
        reverse("people:passport", args=[pid]),
    ]


@pytest.fixture
def resident(council, staff):
    resident = ResidentFactory(organisation=council, user=staff["adviser"])
    equality_record(user=staff["administrator"], resident=resident, answers={"sex": "female"})
    return resident


@pytest.mark.parametrize("role", list(Role))
def test_each_role_in_own_organisation(client, staff, resident, role):
    client.force_login(staff[role.value])
    statuses = tuple(client.get(url).status_code for url in resident_urls(resident))
    assert statuses == OWN_ORG[role]


@pytest.mark.parametrize("role", list(Role))
def test_staff_of_another_organisation_see_nothing(client, other_staff, resident, role):
    client.force_login(other_staff[role.value])
    for url in resident_urls(resident):
        assert client.get(url).status_code == 404, url
    list_page = client.get(reverse("people:list"))
    assert resident.last_name not in list_page.content.decode()
    search = client.get(reverse("people:list"), {"q": resident.last_name})
    assert resident.public_id.hex not in search.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_another_organisation_cannot_change_anything_by_posting(
    client, other_staff, resident, role
):
    (item,), _changes = evidence_record(
        user=resident.created_by,
        resident=resident,
        descriptors=Descriptor.objects.filter(code="dig.fnd.1"),
        method="observed_adviser",
        shown_on=date(2026, 10, 1),
    )
    client.force_login(other_staff[role.value])
    before = AuditEvent.objects.count()
    pid = resident.public_id
    token = str(uuid.uuid4())
    posts = [
        (reverse("people:edit", args=[pid]), {"first_name": "Hacked"}),
        (
            reverse("people:consent-add", args=[pid]),
            {"purpose": "contact", "lawful_basis": "consent", "submission_token": token},
        ),
        (
            reverse("people:consent-withdraw", args=[pid, resident.consents.first().pk]),
            {"submission_token": token},
        ),
        (reverse("people:equality", args=[pid]), {"sex": "male", "submission_token": token}),
        (reverse("skills:evidence-record", args=[pid, "digital"]), {"submission_token": token}),
        (
            reverse("skills:evidence-withdraw", args=[pid, item.pk]),
            {"reason": "Hacked", "submission_token": token},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    resident.refresh_from_db()
    assert resident.first_name != "Hacked"
    assert resident.consents.active().count() == 1
    assert EqualityMonitoring.objects.get(resident=resident).sex == "female"
    assert AuditEvent.objects.count() == before
    item.refresh_from_db()
    assert item.withdrawn_at is None


def test_guessing_a_resident_id_reveals_nothing(client, adviser):
    client.force_login(adviser)
    assert client.get(reverse("people:detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/residents/12345/").status_code == 404


@pytest.mark.parametrize("role", [Role.ANALYST, Role.EMPLOYER_CONTACT, Role.PROGRAMME_MANAGER])
def test_roles_without_resident_access_cannot_list(client, staff, resident, role):
    client.force_login(staff[role.value])
    assert client.get(reverse("people:list")).status_code == 403
    assert client.get(reverse("people:register")).status_code == 403


@pytest.mark.parametrize("role", [Role.TUTOR, Role.VIEWER])
def test_read_only_roles_cannot_register(client, staff, role):
    client.force_login(staff[role.value])
    assert client.get(reverse("people:register")).status_code == 403


def test_equality_answers_hidden_from_adviser_but_shown_to_administrator(client, staff, resident):
    client.force_login(staff["adviser"])
    body = client.get(reverse("people:detail", args=[resident.public_id])).content.decode()
    assert "Recorded" in body
    assert "Female" not in body
    client.force_login(staff["administrator"])
    page = client.get(reverse("people:equality", args=[resident.public_id]))
    assert page.status_code == 200
    assert (
        'value="female" id="id_sex_0" class="govuk-radios__input" checked' in page.content.decode()
    )


def test_adviser_can_record_equality_once_when_none_exists(client, staff, council):
    fresh = ResidentFactory(organisation=council, user=staff["adviser"])
    client.force_login(staff["adviser"])
    url = reverse("people:equality", args=[fresh.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"sex": "prefer_not_to_say", "disability": "yes", "submission_token": str(uuid.uuid4())},
    )
    assert response.status_code == 302
    record = EqualityMonitoring.objects.get(resident=fresh)
    assert (record.sex, record.disability, record.religion) == ("prefer_not_to_say", "yes", "")
    assert client.get(url).status_code == 302  # cannot read it back


def test_unauthenticated_users_are_sent_to_sign_in(client, resident):
    for url in [reverse("people:list"), *resident_urls(resident)]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("staff:sign-in"))


def test_list_shows_only_own_organisation(client, staff, other_staff, council, other_council):
    ResidentFactory(organisation=council, user=staff["adviser"], last_name="Ownorg")
    ResidentFactory(organisation=other_council, user=other_staff["adviser"], last_name="Otherorg")
    client.force_login(staff["viewer"])
    body = client.get(reverse("people:list")).content.decode()
    assert "Ownorg" in body
    assert "Otherorg" not in body
    assert Resident.objects.count() == 2
