"""Input that used to give a server error: each now gets a clear message instead."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django import forms

from skillspassport.core.forms import GovukDateField, GovukForm, ModelMultipleChoiceField
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor

HUGE = "99999999999999999999"


class DateForm(GovukForm):
    when = GovukDateField(label="Start date", past_only=False)


@pytest.mark.parametrize(
    "parts",
    [[HUGE, "1", "2026"], ["1", HUGE, "2026"], ["31", "2", "2026"], ["²", "1", "2026"]],
)
def test_a_day_or_month_no_date_can_have_is_a_message(parts):
    form = DateForm({"when_0": parts[0], "when_1": parts[1], "when_2": parts[2]})
    assert not form.is_valid()
    assert form.errors["when"][0].startswith("Start date must be a real date")


def test_a_real_date_is_still_accepted():
    form = DateForm({"when_0": "27", "when_1": "3", "when_2": "1985"})
    assert form.is_valid()
    assert form.cleaned_data["when"] == date(1985, 3, 27)


def test_registering_with_a_huge_day_of_birth_shows_the_form_again(client, adviser):
    client.force_login(adviser)
    response = client.post(
        "/residents/register",
        {
            "first_name": "Jo",
            "date_of_birth_0": HUGE,
            "date_of_birth_1": "1",
            "date_of_birth_2": "1985",
        },
    )
    assert response.status_code == 200
    assert "Date of birth must be a real date" in response.content.decode()


class SkillsForm(forms.Form):
    skills = ModelMultipleChoiceField(
        queryset=Descriptor.objects.all(),
        error_messages={"invalid_pk_value": "Select skills from the list"},
    )


@pytest.mark.django_db
@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, "1e309"])
def test_a_choice_id_too_big_for_the_database_is_not_one_of_the_choices(value):
    real = Descriptor.objects.order_by("pk").first()
    assert real is not None
    form = SkillsForm({"skills": [str(real.pk), value]})
    assert not form.is_valid()
    assert form.errors["skills"] == ["Select skills from the list"]


@pytest.mark.django_db
def test_real_choices_are_still_accepted():
    picked = list(Descriptor.objects.order_by("pk")[:2])
    form = SkillsForm({"skills": [str(d.pk) for d in picked]})
    assert form.is_valid()
    assert list(form.cleaned_data["skills"]) == picked


def test_a_nul_in_a_search_is_a_message_not_a_database_error(client, adviser):
    client.force_login(adviser)
    response = client.get("/residents/", {"q": "Smith\x00"})
    assert response.status_code == 400
    assert "invisible control character" in response.content.decode()
    assert client.get("/residents/", {"q": "Smith"}).status_code == 200


def test_a_nul_in_a_form_field_is_a_message(client, adviser):
    client.force_login(adviser)
    response = client.post("/residents/register", {"first_name": "Jo\x00"})
    assert response.status_code == 400
    assert "invisible control character" in response.content.decode()


def test_a_nul_in_a_share_token_is_a_message(client, db):
    response = client.get("/c/abc%00def/")
    assert response.status_code == 400
    assert "invisible control character" in response.content.decode()


def test_a_nul_sent_to_the_api_is_answered_in_json(client, db):
    response = client.get("/credentials/status/abc%00/revocation")
    assert response.status_code == 400
    assert response.json()["verified"] is False


def test_staff_who_are_also_employer_contacts_see_checks_of_starts_without_a_referral(
    client, council, staff
):
    """An administrator holds every capability, the employer portal's too; a job start found
    without a referral has no referral page to link to, and the list broke on it."""
    from skillspassport.employers.services import job_start_record

    resident = ResidentFactory(organisation=council, user=staff["adviser"], last_name="Starter")
    job_start_record(
        actor=staff["adviser"],
        resident=resident,
        employer_name="Found it myself Ltd",
        role_title="Warehouse operative",
        contract="permanent",
        started_on=date.today() - timedelta(weeks=13),  # noqa: DTZ011
        hours_per_week=Decimal(30),
    )
    client.force_login(staff["administrator"])
    response = client.get("/employers/sustainment/")
    assert response.status_code == 200
    assert f"/residents/{resident.public_id}/" in response.content.decode()
