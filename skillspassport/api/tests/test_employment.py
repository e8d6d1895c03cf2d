"""Jobcentre referrals in, and an employer's recruitment system: opportunities, referral
outcomes and sustainment checks."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from skillspassport.accounts.models import OrganisationKind
from skillspassport.accounts.tests.factories import OrganisationFactory
from skillspassport.api.tests.conftest import make_resident, resident_body
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.employers import services as employer_services
from skillspassport.employers.models import JobStart, Opportunity, Referral, SustainmentCheck
from skillspassport.people.models import ConsentPurpose
from skillspassport.people.services import consent_withdraw
from skillspassport.support.models import Case


@pytest.fixture
def ats(partner, employer):
    return partner(employer, ["employer"])


@pytest.fixture
def referral(council, adviser, opportunity):
    resident = make_resident(council, adviser, digital="silver", overall="silver")
    referral = employer_services.referral_create(
        actor=adviser, opportunity=opportunity, resident=resident
    )
    Referral.objects.filter(pk=referral.pk).update(referred_at=timezone.now() - timedelta(days=30))
    referral.refresh_from_db()
    return referral


def test_jobcentre_referral_in_opens_a_case(partner, council):
    jobcentre = OrganisationFactory(
        name="Bootle Jobcentre", kind=OrganisationKind.JOBCENTRE, council=council
    )
    crm = partner(jobcentre, ["residents:write", "casework"])
    resident_id = crm.post("/api/v1/residents", resident_body()).json()["id"]
    today = timezone.localdate()
    body = {
        "resident": resident_id,
        "referral_source": "jobcentre",
        "referred_on": (today - timedelta(days=2)).isoformat(),
        "referring_organisation": "Bootle Jobcentre Plus",
        "referral_contact": "Work coach J. Smith",
    }
    response = crm.post("/api/v1/referrals-in", body)
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.referral_source, case.opened_on, case.opened_by) == (
        "jobcentre",
        today,
        crm.account,
    )
    assert AuditEvent.objects.filter(action=AuditAction.CASE_OPENED, user=crm.account).exists()
    # One open case per resident: a second referral in is refused, clearly.
    again = crm.post("/api/v1/referrals-in", body)
    assert again.status_code == 422
    assert "open case" in again.json()["detail"]
    future = crm.post(
        "/api/v1/referrals-in", {**body, "referred_on": (today + timedelta(days=3)).isoformat()}
    )
    assert future.status_code == 422


def test_employer_posts_and_lists_its_opportunities_only(ats, employer, other_employer):
    closing = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = ats.post(
        "/api/v1/opportunities",
        {
            "title": "  Warehouse   operative ",
            "opportunity_type": "job",
            "places": 3,
            "closing_on": closing,
            "minimum": {"digital": "bronze"},
            "hours_per_week": "37.5",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["employer"], body["title"], body["minimum"]["digital"]) == (
        employer.pk,
        "Warehouse operative",
        "bronze",
    )
    theirs = ats.post(
        "/api/v1/opportunities",
        {
            "employer": other_employer.pk,
            "title": "Designer",
            "opportunity_type": "job",
            "places": 1,
            "closing_on": closing,
        },
    )
    assert theirs.status_code == 404
    past = ats.post(
        "/api/v1/opportunities",
        {"title": "Late", "opportunity_type": "job", "places": 1, "closing_on": "2020-01-01"},
    )
    assert past.status_code == 422
    assert "closing_on" in past.json()["errors"]
    listed = ats.get("/api/v1/opportunities").json()["results"]
    assert {o["employer"] for o in listed} == {employer.pk}
    assert Opportunity.objects.filter(employer=other_employer).count() == 0


def test_employer_records_outcomes_through_to_sustainment(ats, referral):
    listed = ats.get("/api/v1/referrals").json()["results"]
    assert [r["id"] for r in listed] == [referral.pk]
    assert listed[0]["resident"]["last_name"] == referral.resident.last_name
    assert AuditEvent.objects.filter(
        action=AuditAction.REFERRAL_VIEWED, resident=referral.resident, user=ats.account
    ).exists()
    url = f"/api/v1/referrals/{referral.pk}/outcomes"
    today = timezone.localdate()
    assert ats.post(url, {"stage": "interviewed", "on": str(today)}).status_code == 201
    early = ats.post(url, {"stage": "started", "on": str(today), "hours_per_week": "30"})
    assert early.status_code == 422
    assert "interviewed" in early.json()["detail"]
    assert ats.post(url, {"stage": "offered", "on": str(today)}).status_code == 201
    no_hours = ats.post(url, {"stage": "started", "on": str(today)})
    assert no_hours.status_code == 422
    assert "hours_per_week" in no_hours.json()["errors"]
    started = ats.post(url, {"stage": "started", "on": str(today), "hours_per_week": "30"})
    assert started.status_code == 201, started.content
    assert started.json()["status"] == "started"
    job = JobStart.objects.get(resident=referral.resident)
    checks = list(SustainmentCheck.objects.filter(job_start=job).order_by("weeks"))
    assert [c.weeks for c in checks] == [13, 26]
    # "Still in work" cannot be recorded before the check falls due, whoever records it.
    early_check = ats.post(
        f"/api/v1/sustainment-checks/{checks[0].pk}",
        {"outcome": "in_work", "checked_on": str(today)},
    )
    assert early_check.status_code == 422, early_check.content
    record = ats.post(
        f"/api/v1/sustainment-checks/{checks[0].pk}",
        {"outcome": "not_in_work", "checked_on": str(today)},
    )
    assert record.status_code == 201, record.content
    assert record.json()["outcome"] == "not_in_work"
    twice = ats.post(
        f"/api/v1/sustainment-checks/{checks[0].pk}",
        {"outcome": "not_in_work", "checked_on": str(today)},
    )
    assert twice.status_code == 422
    checks[0].refresh_from_db()
    assert (checks[0].outcome, checks[0].checked_by) == ("not_in_work", ats.account)


def test_another_employer_sees_and_changes_nothing(partner, other_employer, referral):
    rival = partner(other_employer, ["employer"])
    assert rival.get("/api/v1/referrals").json()["count"] == 0
    response = rival.post(
        f"/api/v1/referrals/{referral.pk}/outcomes",
        {"stage": "interviewed", "on": str(timezone.localdate())},
    )
    assert response.status_code == 404
    referral.refresh_from_db()
    assert referral.status == "referred"
    assert rival.get(f"/api/v1/residents/{referral.resident.public_id}").status_code == 403


def test_withdrawn_consent_hides_the_resident_from_the_employer(ats, referral, adviser):
    consent = referral.resident.consents.active().get(purpose=ConsentPurpose.PUT_FORWARD)
    consent_withdraw(user=adviser, resident=referral.resident, consent_id=consent.pk)
    (listed,) = ats.get("/api/v1/referrals").json()["results"]
    assert listed["resident"] is None
    assert listed["status"] == "withdrawn"
