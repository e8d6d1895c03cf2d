"""Registering a resident through the page, including every kind of bad input."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.models import ConsentRecord, Resident
from skillspassport.people.tests.factories import ResidentFactory

URL = reverse("people:register")


def valid_post(**overrides):
    data = {
        "submission_token": str(uuid.uuid4()),
        "first_name": "Jo",
        "last_name": "Bloggs",
        "date_of_birth_0": "27",
        "date_of_birth_1": "3",
        "date_of_birth_2": "1985",
        "email": "jo.bloggs@example.org",
        "phone": "07700 900123",
        "postcode": " l20 1ad ",
        "preferred_contact": "email",
        "scheme_basis": "consent",
        "consents": ["contact"],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def test_adviser_registers_resident_with_areas_from_postcode(adviser_client, council, adviser):
    response = adviser_client.post(URL, valid_post())
    resident = Resident.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[resident.public_id])
    assert resident.postcode == "L20 1AD"
    assert resident.lsoa_id == "E01007009"
    assert resident.ward_id == "E05000942"
    assert resident.local_authority_id == "E08000014"
    assert resident.organisation == council
    purposes = set(ConsentRecord.objects.values_list("purpose", "lawful_basis"))
    assert purposes == {("scheme", "consent"), ("contact", "consent")}
    event = AuditEvent.objects.get(action=AuditAction.CREATED)
    assert event.user == adviser
    assert event.resident == resident


def test_unknown_postcode_leaves_areas_blank_and_says_so(adviser_client):
    response = adviser_client.post(URL, valid_post(postcode="SW1A 1AA"), follow=True)
    resident = Resident.objects.get()
    assert (resident.postcode, resident.lsoa_id, resident.ward_id) == ("SW1A 1AA", None, None)
    assert resident.local_authority_id is None
    assert "is not in the postcode lookup" in response.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "Date of birth must be a real date"),
        ({"date_of_birth_1": ""}, "Date of birth must include a month"),
        ({"date_of_birth_2": "85"}, "4-digit year"),
        ({"date_of_birth_0": "x"}, "Date of birth must be a real date"),
        ({"date_of_birth_2": "2999"}, "Date of birth must be in the past"),
        (
            {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""},
            "Enter date of birth",
        ),
        ({"date_of_birth_2": "1850"}, "must be after 1 January 1900"),
        ({"postcode": "NOT A CODE"}, "Enter a real postcode"),
        ({"postcode": "L20 1A"}, "Enter a real postcode"),
        ({"postcode": ""}, "Enter the resident&#x27;s postcode"),
        ({"first_name": ""}, "Enter the resident&#x27;s first name"),
        ({"first_name": "J" * 101}, "First name must be 100 characters or fewer"),
        ({"last_name": "<script>"}, "Last name must only include letters"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"email": "a" * 250 + "@example.org"}, "254 characters or fewer"),
        ({"phone": "12345"}, "Enter a UK phone number"),
        ({"phone": "0" * 30}, "20 characters or fewer"),
        ({"address_line_1": "x" * 101}, "Address line 1 must be 100 characters or fewer"),
        (
            {"preferred_contact": "pigeon"},
            "Select how the resident would like to be contacted from",
        ),
        (
            {"preferred_contact": "phone", "phone": ""},
            "Enter a phone number, or choose another way",
        ),
        ({"scheme_basis": None}, "Select the lawful basis for holding their record"),
        ({"consents": ["everything"]}, "Select a valid choice"),
        ({"submission_token": "nonsense"}, "This form has expired"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(adviser_client, overrides, message):
    response = adviser_client.post(URL, valid_post(**overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert Resident.objects.count() == 0
    assert ConsentRecord.objects.count() == 0
    assert not AuditEvent.objects.filter(action=AuditAction.CREATED).exists()


def test_double_submission_registers_once(adviser_client):
    data = valid_post()
    first = adviser_client.post(URL, data)
    second = adviser_client.post(URL, data)
    assert Resident.objects.count() == 1
    assert second.status_code == 302
    assert second.url == first.url


def test_missing_csrf_token_is_refused_and_saves_nothing(adviser):
    client = Client(enforce_csrf_checks=True)
    client.force_login(adviser)
    response = client.post(URL, valid_post())
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert Resident.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({}, "same first name, same last name, same date of birth"),
        ({"first_name": "Joanne", "email": "JO@example.org"}, "same email address"),
        (
            {
                "first_name": "Joanne",
                "email": "",
                "phone": "+44 7700 900555",
                "preferred_contact": "text",
            },
            "same phone number",
        ),
    ],
)
def test_possible_duplicate_is_offered_before_registering(
    adviser_client, adviser, council, overrides, reason
):
    existing = ResidentFactory(
        organisation=council,
        user=adviser,
        first_name="Jo",
        last_name="Bloggs",
        email="jo@example.org",
        phone="07700900555",
    )
    data = valid_post(first_name=" jo ", last_name="BLOGGS", email="other@example.org", phone="")
    data.update(overrides)
    data = {k: v for k, v in data.items() if v != ""}
    response = adviser_client.post(URL, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "This person may already be registered" in body
    assert reverse("people:detail", args=[existing.public_id]) in body
    assert reason.capitalize() in body or reason in body
    assert Resident.objects.count() == 1
    # Confirming it is a different person, with a reason, registers them.
    data["confirm_new"] = "on"
    data["different_reason"] = "Checked date of birth and address with them"
    response = adviser_client.post(URL, data)
    assert response.status_code == 302
    assert Resident.objects.count() == 2


def test_duplicates_in_another_organisation_are_not_revealed(
    adviser_client, other_council, other_staff
):
    ResidentFactory(
        organisation=other_council,
        user=other_staff["adviser"],
        first_name="Jo",
        last_name="Bloggs",
        email="jo.bloggs@example.org",
    )
    response = adviser_client.post(URL, valid_post())
    assert response.status_code == 302
    assert Resident.objects.count() == 2
