"""Bad input on the resident's other forms: edit, consent, withdrawal, equality — and CSRF."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from skillspassport.people.models import ConsentRecord, EqualityMonitoring, Resident
from skillspassport.people.tests.factories import ResidentFactory


@pytest.fixture
def resident(council, adviser):
    return ResidentFactory(
        organisation=council, user=adviser, first_name="Jo", last_name="Bloggs", phone=""
    )


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def edit_post(resident, **overrides):
    data = {
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "date_of_birth_0": str(resident.date_of_birth.day),
        "date_of_birth_1": str(resident.date_of_birth.month),
        "date_of_birth_2": str(resident.date_of_birth.year),
        "email": resident.email,
        "phone": resident.phone,
        "postcode": resident.postcode,
        "preferred_contact": resident.preferred_contact,
    }
    data.update(overrides)
    return data


def snapshot(resident):
    return Resident.objects.filter(pk=resident.pk).values().get()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date_of_birth_0": "30", "date_of_birth_1": "2"}, "Date of birth must be a real date"),
        ({"date_of_birth_2": "3000"}, "Date of birth must be in the past"),
        ({"postcode": "ZZZ"}, "Enter a real postcode"),
        ({"first_name": "x" * 5000}, "First name must be 100 characters or fewer"),
        ({"last_name": ""}, "Enter the resident&#x27;s last name"),
        ({"email": "jo@@example"}, "Enter an email address in the correct format"),
        ({"preferred_contact": "phone"}, "Enter a phone number, or choose another way"),
    ],
)
def test_edit_bad_input_changes_nothing(adviser_client, resident, overrides, message):
    before = snapshot(resident)
    url = reverse("people:edit", args=[resident.public_id])
    response = adviser_client.post(url, edit_post(resident, **overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert snapshot(resident) == before


def test_edit_moves_areas_with_the_postcode_and_never_guesses(adviser_client, resident):
    url = reverse("people:edit", args=[resident.public_id])
    adviser_client.post(url, edit_post(resident, postcode="l200ah"))
    resident.refresh_from_db()
    assert (resident.postcode, resident.lsoa_id, resident.ward_id) == (
        "L20 0AH",
        "E01007019",
        "E05000937",
    )
    response = adviser_client.post(url, edit_post(resident, postcode="TR1 1AA"), follow=True)
    resident.refresh_from_db()
    assert (resident.lsoa_id, resident.ward_id, resident.local_authority_id) == (None, None, None)
    assert "is not in the postcode lookup" in response.content.decode()


def test_edit_with_no_change_says_so(adviser_client, resident):
    url = reverse("people:edit", args=[resident.public_id])
    response = adviser_client.post(url, edit_post(resident), follow=True)
    assert "Nothing was changed" in response.content.decode()


def consent_post(**overrides):
    data = {
        "purpose": "put_forward",
        "lawful_basis": "consent",
        "note": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"purpose": None}, "Select the purpose"),
        ({"lawful_basis": None}, "Select the lawful basis"),
        ({"purpose": "marketing"}, "Select the purpose from the list"),
        ({"note": "n" * 501}, "Note must be 500 characters or fewer"),
        ({"submission_token": ""}, "This form has expired"),
        ({"purpose": "scheme"}, "This purpose already has an active record"),
    ],
)
def test_consent_bad_input_saves_nothing(adviser_client, resident, overrides, message):
    count = ConsentRecord.objects.count()
    url = reverse("people:consent-add", args=[resident.public_id])
    response = adviser_client.post(url, consent_post(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert ConsentRecord.objects.count() == count


def test_consent_double_submission_records_once(adviser_client, resident):
    count = ConsentRecord.objects.count()
    url = reverse("people:consent-add", args=[resident.public_id])
    data = consent_post()
    first = adviser_client.post(url, data)
    second = adviser_client.post(url, data)
    assert ConsentRecord.objects.count() == count + 1
    assert second.status_code == 302
    assert second.url == first.url


def withdraw_url(resident, consent):
    return reverse("people:consent-withdraw", args=[resident.public_id, consent.pk])


def test_withdrawal_with_overlong_reason_is_refused(adviser_client, resident):
    consent = resident.consents.get()
    response = adviser_client.post(
        withdraw_url(resident, consent),
        {"reason": "r" * 501, "submission_token": str(uuid.uuid4())},
        follow=True,
    )
    assert "Reason must be 500 characters or fewer" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_at is None


def test_withdrawing_twice_gives_a_message_not_an_error(adviser_client, resident):
    consent = resident.consents.get()
    for _ in range(2):
        response = adviser_client.post(
            withdraw_url(resident, consent),
            {"reason": "Moved away", "submission_token": str(uuid.uuid4())},
            follow=True,
        )
        assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert "That consent record is not active" in response.content.decode()


def test_another_residents_consent_cannot_be_withdrawn_through_this_one(
    adviser_client, resident, council
):
    other = ResidentFactory(organisation=council, user=resident.created_by)
    response = adviser_client.post(
        withdraw_url(resident, other.consents.get()),
        {"reason": "", "submission_token": str(uuid.uuid4())},
        follow=True,
    )
    assert "That consent record is not active" in response.content.decode()
    assert not ConsentRecord.objects.filter(withdrawn_at__isnull=False).exists()


def test_equality_answer_outside_the_list_is_refused(client, staff, resident):
    client.force_login(staff["administrator"])
    url = reverse("people:equality", args=[resident.public_id])
    response = client.post(url, {"sex": "robot", "submission_token": str(uuid.uuid4())})
    assert response.status_code == 200
    assert "Select one of the answers listed" in response.content.decode()
    assert not EqualityMonitoring.objects.filter(resident=resident).exists()


@pytest.mark.parametrize("form", ["edit", "consent-add", "equality", "evidence"])
def test_every_form_refuses_a_missing_csrf_token(adviser, resident, form):
    client = Client(enforce_csrf_checks=True)
    client.force_login(adviser)
    urls = {
        "edit": (reverse("people:edit", args=[resident.public_id]), edit_post(resident)),
        "consent-add": (
            reverse("people:consent-add", args=[resident.public_id]),
            consent_post(),
        ),
        "equality": (
            reverse("people:equality", args=[resident.public_id]),
            {"sex": "female", "submission_token": str(uuid.uuid4())},
        ),
        "evidence": (
            reverse("skills:evidence-record", args=[resident.public_id, "digital"]),
            {"descriptors": ["1"], "method": "observed_adviser"},
        ),
    }
    before = snapshot(resident)
    consents = ConsentRecord.objects.count()
    url, data = urls[form]
    response = client.post(url, data)
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert snapshot(resident) == before
    assert ConsentRecord.objects.count() == consents
    assert not EqualityMonitoring.objects.filter(resident=resident).exists()
