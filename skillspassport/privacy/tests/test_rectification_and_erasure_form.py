"""Correcting details keeps the earlier values; the erasure form and command refuse anything
but the resident's own reference."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.privacy.models import Erasure, ResidentRevision
from skillspassport.privacy.selectors import resident_reference
from skillspassport.privacy.services import resident_erase


@pytest.fixture
def resident(council, staff):
    return ResidentFactory(
        organisation=council,
        user=staff["adviser"],
        first_name="Ottoline",
        last_name="Bramwell",
        email="ottoline@example.org",
    )


def _edit(client, resident, **changes):
    data = {
        "first_name": resident.first_name,
        "last_name": resident.last_name,
        "date_of_birth_0": resident.date_of_birth.day,
        "date_of_birth_1": resident.date_of_birth.month,
        "date_of_birth_2": resident.date_of_birth.year,
        "email": resident.email,
        "phone": resident.phone,
        "postcode": resident.postcode,
        "preferred_contact": resident.preferred_contact,
    } | changes
    return client.post(reverse("people:edit", args=[resident.public_id]), data)


@pytest.mark.django_db
def test_a_correction_keeps_the_earlier_values_and_the_log_names_fields_only(
    client, staff, resident
):
    client.force_login(staff["adviser"])
    assert (
        _edit(client, resident, last_name="Bramwell-Hart", email="o.bh@example.org").status_code
        == 302
    )
    revision = ResidentRevision.objects.get(resident=resident)
    assert revision.fields == ["email", "last_name"]
    assert revision.previous == {"email": "ottoline@example.org", "last_name": "Bramwell"}
    assert revision.changed_by == staff["adviser"]
    event = AuditEvent.objects.get(resident=resident, action=AuditAction.UPDATED)
    assert sorted(event.fields) == ["email", "last_name"]
    assert event.changes == {}
    assert "Bramwell" not in event.summary
    assert "ottoline" not in event.summary

    client.force_login(staff["administrator"])
    page = client.get(reverse("privacy:resident", args=[resident.public_id])).content.decode()
    assert "ottoline@example.org" in page
    assert "Bramwell" in page

    resident_erase(
        user=staff["administrator"],
        resident=resident,
        confirmation=resident_reference(resident.public_id),
    )
    revision.refresh_from_db()
    assert revision.previous == {}
    assert revision.fields == ["email", "last_name"]
    page = client.get(reverse("privacy:resident", args=[resident.public_id])).content.decode()
    assert "ottoline@example.org" not in page
    assert "values erased" in page


@pytest.mark.django_db
def test_saving_without_changes_keeps_no_revision(client, staff, resident):
    client.force_login(staff["adviser"])
    _edit(client, resident)
    assert not ResidentRevision.objects.exists()


@pytest.mark.django_db
def test_the_erasure_form_needs_the_reference(client, staff, resident):
    client.force_login(staff["administrator"])
    page = reverse("privacy:erase", args=[resident.public_id])
    html = client.get(page).content.decode()
    reference = resident_reference(resident.public_id)
    assert reference in html
    token = re.search(r'name="submission_token" value="([^"]+)"', html)[1]
    for typed, message in [("", "Enter the resident"), ("ABCDEF12", "does not match")]:
        response = client.post(page, {"confirmation": typed, "submission_token": token})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not Erasure.objects.exists()
    response = client.post(page, {"confirmation": f" {reference} ", "submission_token": token})
    assert response.status_code == 302
    assert Erasure.objects.get(resident=resident).erased_by == staff["administrator"]
    # A second post of the same form, and a new visit, erase nothing more.
    assert (
        client.post(page, {"confirmation": reference, "submission_token": token}).status_code == 302
    )
    assert client.get(page).status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.RESIDENT_ERASED).count() == 1
    detail = client.get(reverse("people:detail", args=[resident.public_id])).content.decode()
    assert "Erased resident" in detail
    assert "Ottoline" not in detail


@pytest.mark.django_db
def test_the_erasure_command_refuses_a_wrong_reference(resident):
    with pytest.raises(CommandError, match="reference"):
        call_command("erase_resident", str(resident.public_id), "--confirm", "WRONG123")
    with pytest.raises(CommandError, match="--confirm"):
        call_command("erase_resident", str(resident.public_id), "--no-input")
    assert not Erasure.objects.exists()
