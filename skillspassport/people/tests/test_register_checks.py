"""The checks at registration: possible duplicates side by side, a postcode outside the
council's area, and age (a guardian's consent under 16, none under 14)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.models import ConsentRecord, Resident
from skillspassport.people.tests.factories import ResidentFactory

URL = reverse("people:register")


def post_data(**overrides):
    data = {
        "submission_token": str(uuid.uuid4()),
        "first_name": "Kevin",
        "last_name": "Adams",
        "date_of_birth_0": "3",
        "date_of_birth_1": "7",
        "date_of_birth_2": "1984",
        "email": "",
        "phone": "",
        "address_line_1": "4 Stanley Road",
        "postcode": "L20 1AD",
        "preferred_contact": "post",
        "scheme_basis": "consent",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def born_years_ago(years: int, days: int = 0) -> dict[str, str]:
    today = timezone.localdate()
    born = today.replace(year=today.year - years) + timedelta(days=days)
    return {
        "date_of_birth_0": str(born.day),
        "date_of_birth_1": str(born.month),
        "date_of_birth_2": str(born.year),
    }


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


@pytest.fixture
def kevin(council, adviser):
    return ResidentFactory(
        organisation=council,
        user=adviser,
        first_name="Kevin",
        last_name="Adams",
        date_of_birth=date(1984, 7, 3),
        email="",
        postcode="L20 1AD",
        preferred_contact="post",
        address_line_1="4 Stanley Road",
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"first_name": "Kev"}, "First name may be a short form"),
        ({"last_name": "Adamss"}, "last name nearly the same"),
        ({"date_of_birth_0": "7", "date_of_birth_1": "3"}, "day and month swapped"),
    ],
)
def test_the_reported_variants_are_shown_side_by_side_and_nothing_is_saved(
    adviser_client, kevin, overrides, reason
):
    response = adviser_client.post(URL, post_data(**overrides))
    body = response.content.decode()
    assert response.status_code == 200
    assert "This person may already be registered" in body
    assert reason in body
    assert "You entered" in body
    assert "Already registered" in body
    assert "3 July 1984" in body
    assert reverse("people:detail", args=[kevin.public_id]) in body
    assert "This is the same person" in body
    assert Resident.objects.count() == 1


def test_a_different_person_needs_a_reason_which_is_kept_and_audited(adviser_client, kevin):
    data = post_data(first_name="Kev", confirm_new="on")
    response = adviser_client.post(URL, data)
    assert response.status_code == 200
    assert "Enter why you are sure they are a different person" in response.content.decode()
    assert Resident.objects.count() == 1

    data["different_reason"] = "  His father: born the same year,   checked with him "
    response = adviser_client.post(URL, data)
    assert response.status_code == 302
    new = Resident.objects.exclude(pk=kevin.pk).get()
    assert new.duplicate_override_reason == "His father: born the same year, checked with him"
    event = AuditEvent.objects.get(resident=new, action=AuditAction.CREATED)
    assert "different person from 1 possible match" in event.summary
    assert event.fields == ["duplicate_override_reason"]


def test_a_hostile_or_huge_reason_is_refused_or_kept_as_text(adviser_client, kevin):
    data = post_data(first_name="Kev", confirm_new="on", different_reason="x" * 501)
    response = adviser_client.post(URL, data)
    assert "500 characters or fewer" in response.content.decode()
    assert Resident.objects.count() == 1
    data["different_reason"] = "<script>alert(1)</script>"
    response = adviser_client.post(URL, data, follow=True)
    assert "<script>alert(1)" not in response.content.decode()
    assert Resident.objects.filter(duplicate_override_reason__startswith="<script>").exists()


def test_duplicates_are_looked_for_in_blocks_not_across_every_resident(
    adviser_client, council, adviser, kevin
):
    ResidentFactory.create_batch(30, organisation=council, user=adviser, postcode="L20 0AH")
    with CaptureQueriesContext(connection) as queries:
        adviser_client.post(URL, post_data(first_name="Kev"))
    reads = [q["sql"] for q in queries if 'FROM "people_resident"' in q["sql"]]
    assert reads, "the check reads residents"
    assert all("LIMIT" in sql and "WHERE" in sql for sql in reads)


@pytest.fixture
def sefton(council):
    council.local_authority_code = "E08000014"
    council.save()
    return council


@pytest.mark.parametrize(
    ("postcode", "message"),
    [
        ("L10 0AD", "L10 0AD is in Knowsley, not Sefton"),
        ("SW1A 1AA", "SW1A 1AA is not a postcode in or near Sefton"),
    ],
)
def test_a_postcode_outside_the_council_warns_and_needs_a_reason(
    adviser_client, sefton, postcode, message
):
    data = post_data(postcode=postcode)
    response = adviser_client.post(URL, data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The postcode may be outside the council" in body
    assert message in body
    assert Resident.objects.count() == 0

    data["outside_area_shown"] = "1"
    response = adviser_client.post(URL, data)
    assert "Enter why you are registering them with this council" in response.content.decode()
    assert Resident.objects.count() == 0

    data["outside_area_reason"] = "Moving to Bootle next month"
    response = adviser_client.post(URL, data, follow=True)
    body = response.content.decode()
    assert "Registered from outside the council's area: Moving to Bootle next month" in body
    resident = Resident.objects.get()
    assert resident.outside_area_reason == "Moving to Bootle next month"
    event = AuditEvent.objects.get(resident=resident, action=AuditAction.CREATED)
    assert "outside the council's area" in event.summary


def test_a_postcode_in_the_council_area_needs_no_reason(adviser_client, sefton):
    response = adviser_client.post(URL, post_data(postcode="L20 0AH"))
    assert response.status_code == 302
    assert Resident.objects.get().outside_area_reason == ""


def test_under_16_needs_a_parent_or_guardians_consent(adviser_client):
    data = post_data(**born_years_ago(15))
    response = adviser_client.post(URL, data)
    body = response.content.decode()
    assert "The resident is under 16: enter the parent or guardian&#x27;s full name" in body
    assert "enter their relationship to the resident" in body
    assert Resident.objects.count() == 0

    today = timezone.localdate()
    data |= {
        "guardian_name": "Maria Adams",
        "guardian_relationship": "Mother",
        "guardian_consented_on_0": str(today.day),
        "guardian_consented_on_1": str(today.month),
        "guardian_consented_on_2": str(today.year),
        "consents": ["contact"],
    }
    response = adviser_client.post(URL, data, follow=True)
    assert "Given by Maria Adams (Mother)" in response.content.decode()
    records = ConsentRecord.objects.filter(resident=Resident.objects.get())
    assert records.count() == 2
    assert {
        (r.guardian_name, r.guardian_relationship, r.guardian_consented_on) for r in records
    } == {("Maria Adams", "Mother", today)}


def test_a_guardian_consent_date_in_the_future_is_refused(adviser_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    data = post_data(
        **born_years_ago(15),
        guardian_name="Maria Adams",
        guardian_relationship="Mother",
        guardian_consented_on_0=str(tomorrow.day),
        guardian_consented_on_1=str(tomorrow.month),
        guardian_consented_on_2=str(tomorrow.year),
    )
    response = adviser_client.post(URL, data)
    assert (
        "Date the parent or guardian gave consent must be in the past" in response.content.decode()
    )
    assert Resident.objects.count() == 0


def test_16_and_over_give_their_own_consent(adviser_client):
    response = adviser_client.post(URL, post_data(**born_years_ago(16)))
    assert response.status_code == 302
    assert ConsentRecord.objects.get().guardian_name == ""


@pytest.mark.parametrize("years", [6, 13])
def test_under_14_cannot_be_registered(adviser_client, years):
    response = adviser_client.post(URL, post_data(**born_years_ago(years)))
    body = response.content.decode()
    assert response.status_code == 200
    assert "The resident must be 14 or older to join the scheme" in body
    assert Resident.objects.count() == 0


def test_consent_for_a_resident_under_16_records_the_guardian(client, adviser, council):
    today = timezone.localdate()
    young = ResidentFactory(
        organisation=council,
        user=adviser,
        date_of_birth=today.replace(year=today.year - 15),
        consents={},
    )
    client.force_login(adviser)
    url = reverse("people:consent-add", args=[young.public_id])
    data = {
        "submission_token": str(uuid.uuid4()),
        "purpose": "contact",
        "lawful_basis": "consent",
    }
    response = client.post(url, data)
    assert "The resident is under 16" in response.content.decode()
    assert not ConsentRecord.objects.filter(resident=young).exists()
    data |= {
        "guardian_name": "Sam Adams",
        "guardian_relationship": "Foster carer",
        "guardian_consented_on_0": str(today.day),
        "guardian_consented_on_1": str(today.month),
        "guardian_consented_on_2": str(today.year),
    }
    assert client.post(url, data).status_code == 302
    assert ConsentRecord.objects.get(resident=young).guardian_relationship == "Foster carer"
