from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.tests.factories import ResidentFactory


@pytest.fixture
def resident(council, adviser):
    return ResidentFactory(organisation=council, user=adviser)


def test_every_view_and_change_is_logged(client, staff, resident):
    adviser = staff["adviser"]
    client.force_login(adviser)
    pid = resident.public_id
    client.get(reverse("people:detail", args=[pid]))
    client.get(reverse("people:passport", args=[pid]))
    client.post(
        reverse("people:edit", args=[pid]),
        {
            "first_name": resident.first_name,
            "last_name": "Newname",
            "date_of_birth_0": "27",
            "date_of_birth_1": "3",
            "date_of_birth_2": "1985",
            "email": resident.email,
            "postcode": "L20 0AH",
            "preferred_contact": "email",
        },
    )
    client.post(
        reverse("people:consent-add", args=[pid]),
        {
            "purpose": "put_forward",
            "lawful_basis": "consent",
            "submission_token": str(uuid.uuid4()),
        },
    )
    actions = list(
        AuditEvent.objects.filter(resident=resident)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        AuditAction.CREATED,
        AuditAction.VIEWED,
        AuditAction.PRINTED,
        AuditAction.UPDATED,
        AuditAction.CONSENT_GIVEN,
    ]
    update = AuditEvent.objects.get(resident=resident, action=AuditAction.UPDATED)
    assert update.user == adviser
    assert update.fields == ["last_name", "postcode"]
    resident.refresh_from_db()
    assert resident.ward_id == "E05000937"  # the new postcode's ward


def test_administrator_reads_the_log(client, staff, resident):
    client.force_login(staff["administrator"])
    page = client.get(reverse("people:audit", args=[resident.public_id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Registered resident" in body
    assert AuditEvent.objects.filter(resident=resident, action=AuditAction.AUDIT_VIEWED).exists()


def test_log_cannot_be_changed(resident):
    event = AuditEvent.objects.filter(resident=resident).first()
    event.summary = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(resident=resident).update(summary="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_log_is_not_in_the_django_admin(operator_client):
    assert operator_client.get("/admin/").status_code == 200
    assert operator_client.get("/admin/audit/auditevent/").status_code == 404
    assert operator_client.get("/admin/people/resident/").status_code == 404
