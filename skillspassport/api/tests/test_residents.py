"""Residents registered with consent records and read through the API, and their evidence;
idempotent creates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from skillspassport.api.models import IdempotentRequest
from skillspassport.api.tests.conftest import resident_body
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.models import ConsentRecord, Resident
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor, Evidence, LevelRuleSet


@pytest.fixture
def jobcentre(council):
    from skillspassport.accounts.models import OrganisationKind
    from skillspassport.accounts.tests.factories import OrganisationFactory

    return OrganisationFactory(
        name="Bootle Jobcentre", kind=OrganisationKind.JOBCENTRE, council=council
    )


@pytest.fixture
def crm(partner, jobcentre):
    return partner(jobcentre, ["residents:read", "residents:write", "evidence:write", "casework"])


def test_register_with_consent_records_audited_as_the_client(crm, jobcentre):
    response = crm.post("/api/v1/residents", resident_body())
    assert response.status_code == 201, response.content
    body = response.json()
    resident = Resident.objects.get(public_id=body["id"])
    assert (resident.organisation, resident.created_by) == (jobcentre, crm.account)
    assert resident.postcode == "L20 1AD"
    assert resident.ward_id == "E05000942"
    assert sorted(
        ConsentRecord.objects.filter(resident=resident).values_list("purpose", "lawful_basis")
    ) == [("scheme", "public_task"), ("share_providers", "consent")]
    assert {c["purpose"] for c in body["consents"]} == {"scheme", "share_providers"}
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATED, resident=resident, user=crm.account
    ).exists()
    read = crm.get(f"/api/v1/residents/{resident.public_id}")
    assert read.json()["last_name"] == "O'Sullivan"
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEWED, resident=resident, user=crm.account
    ).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"postcode": "NOT A POSTCODE"}, "postcode"),
        ({"first_name": "R2-D2 <script>"}, "first_name"),
        ({"phone": "12345", "preferred_contact": "phone"}, "phone"),
        ({"email": "", "preferred_contact": "email"}, "email"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth"),
        ({"consents": [{"purpose": "contact", "lawful_basis": "consent"}]}, "consents"),
        ({"consents": []}, "consents"),
        ({"first_name": "x" * 101}, "first_name"),
        ({"first_name": "Nul\x00"}, "first_name"),
    ],
)
def test_bad_input_names_the_field_and_registers_nobody(crm, change, field):
    response = crm.post("/api/v1/residents", resident_body(**change))
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]
    assert not Resident.objects.exists()


def test_possible_duplicates_are_409_until_confirmed(crm):
    assert crm.post("/api/v1/residents", resident_body()).status_code == 201
    again = crm.post("/api/v1/residents", resident_body(email="other@example.org"))
    assert again.status_code == 409
    (duplicate,) = again.json()["duplicates"]
    assert duplicate["reasons"]
    assert Resident.objects.count() == 1
    confirmed = crm.post(
        "/api/v1/residents", resident_body(email="other@example.org", confirm_not_duplicate=True)
    )
    assert confirmed.status_code == 201
    assert Resident.objects.count() == 2


def test_same_idempotency_key_and_body_gives_the_same_answer_once(crm):
    headers = {"Idempotency-Key": "lrs-2026-000123"}
    first = crm.post("/api/v1/residents", resident_body(), headers=headers)
    second = crm.post("/api/v1/residents", resident_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Resident.objects.count() == 1
    # The same key with another body is refused, and registers nobody.
    other = crm.post("/api/v1/residents", resident_body(first_name="Aoife"), headers=headers)
    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert "Idempotency-Key" in other.json()["detail"]
    assert Resident.objects.count() == 1
    # A failed request keeps no answer: the key can be used once the body is put right.
    bad = {"Idempotency-Key": "lrs-2026-000124"}
    assert (
        crm.post("/api/v1/residents", resident_body(postcode="X"), headers=bad).status_code == 422
    )
    assert not IdempotentRequest.objects.filter(key="lrs-2026-000124").exists()
    assert (
        crm.post(
            "/api/v1/residents",
            resident_body(
                first_name="Aoife", email="aoife@example.org", date_of_birth="1991-01-01"
            ),
            headers=bad,
        ).status_code
        == 201
    )


def test_keys_belong_to_one_client(crm, partner, jobcentre):
    other = partner(jobcentre, ["residents:write"])
    headers = {"Idempotency-Key": "shared-key"}
    assert crm.post("/api/v1/residents", resident_body(), headers=headers).status_code == 201
    response = other.post(
        "/api/v1/residents",
        resident_body(first_name="Aoife", email="a@example.org", date_of_birth="1970-02-02"),
        headers=headers,
    )
    assert response.status_code == 201
    assert Resident.objects.count() == 2


def test_another_organisations_residents_are_invisible(crm, partner, other_council, other_staff):
    theirs = ResidentFactory(organisation=other_council, user=other_staff["adviser"])
    assert crm.get(f"/api/v1/residents/{theirs.public_id}").status_code == 404
    assert crm.get(f"/api/v1/residents/{theirs.public_id}/evidence").status_code == 404
    response = crm.post(
        f"/api/v1/residents/{theirs.public_id}/evidence",
        {"descriptors": ["x"], "method": "observed_adviser", "shown_on": "2026-01-01"},
    )
    assert response.status_code == 404
    assert crm.get("/api/v1/residents").json()["count"] == 0
    assert not AuditEvent.objects.filter(resident=theirs, user=crm.account).exists()


def test_evidence_recorded_recomputes_levels_and_unknown_codes_are_named(crm):
    resident_id = crm.post("/api/v1/residents", resident_body()).json()["id"]
    framework = LevelRuleSet.objects.get(name="default").framework
    codes = list(
        Descriptor.objects.filter(
            framework=framework, area__strand__code="digital", level__code="foundation"
        ).values_list("code", flat=True)
    )
    url = f"/api/v1/residents/{resident_id}/evidence"
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    bad = crm.post(
        url, {"descriptors": [*codes, "NOPE-1"], "method": "observed_adviser", "shown_on": day}
    )
    assert bad.status_code == 422
    assert "NOPE-1" in bad.json()["detail"]
    assert not Evidence.objects.exists()
    course_only = crm.post(
        url, {"descriptors": codes, "method": "course_completion", "shown_on": day}
    )
    assert course_only.status_code == 422
    response = crm.post(url, {"descriptors": codes, "method": "observed_adviser", "shown_on": day})
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["evidence"]) == len(codes)
    assert all(e["verified"] for e in body["evidence"])
    assert {"strand": "digital", "from_level": "", "to_level": "bronze"} in body["level_changes"]
    listed = crm.get(url).json()
    assert listed["count"] == len(codes)
    assert (
        crm.get(url, updated_since=(timezone.now() + timedelta(hours=1)).isoformat()).json()[
            "count"
        ]
        == 0
    )


def test_updated_since_lists_only_what_changed(crm, jobcentre):
    crm.post("/api/v1/residents", resident_body())
    later = timezone.now() + timedelta(minutes=5)
    assert crm.get("/api/v1/residents").json()["count"] == 1
    assert crm.get("/api/v1/residents", updated_since=later.isoformat()).json()["count"] == 0
    assert crm.get("/api/v1/residents", updated_since="2000-01-01").json()["count"] == 1
    page = crm.get("/api/v1/residents", page_size=1, page=2)
    assert page.status_code == 404


def test_answers_are_kept_for_a_day_only(crm):
    headers = {"Idempotency-Key": "old-key"}
    assert crm.post("/api/v1/residents", resident_body(), headers=headers).status_code == 201
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(hours=25))
    # The next create forgets the stored answer (it holds the resident's details)...
    other = resident_body(first_name="Aoife", email="a@example.org", date_of_birth="1970-02-02")
    assert crm.post("/api/v1/residents", other).status_code == 201
    assert not IdempotentRequest.objects.filter(key="old-key").exists()


@pytest.mark.parametrize("key", ["has space", "x" * 256, "tab\there"])
def test_an_unusable_idempotency_key_is_400_and_creates_nothing(crm, key):
    response = crm.post("/api/v1/residents", resident_body(), headers={"Idempotency-Key": key})
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Resident.objects.exists()
