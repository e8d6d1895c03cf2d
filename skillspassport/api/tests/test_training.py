"""A training provider's learner records system: cohorts, enrolment, registers, completion."""

from __future__ import annotations

import pytest

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.models import ConsentPurpose, ConsentRecord, LawfulBasis
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Evidence, PassportLevel
from skillspassport.training.models import Attendance, Enrolment, EnrolmentStatus
from skillspassport.training.tests.test_services import running_cohort


@pytest.fixture
def lrs(partner, provider):
    return partner(provider, ["residents:read", "training"])


def test_completion_through_the_api_adds_verified_evidence_and_recomputes_the_level(
    lrs, course, tutor, learners
):
    cohort, session = running_cohort(course, tutor, learners)
    enrolment = Enrolment.objects.get(cohort=cohort, resident=learners[0])
    assert not PassportLevel.objects.filter(resident=learners[0], level="bronze").exists()
    url = f"/api/v1/cohorts/{cohort.pk}/enrolments/{enrolment.pk}/completion"
    below = lrs.post(url, {"outcome": "completed"})  # no attendance: below the threshold
    assert below.status_code == 422
    assert "give a reason" in below.json()["detail"]
    marked = lrs.post(
        f"/api/v1/cohorts/{cohort.pk}/sessions/{session.pk}/attendance",
        {"marks": [{"enrolment": enrolment.pk, "mark": "present"}]},
    )
    assert marked.status_code == 201, marked.content

    response = lrs.post(
        f"/api/v1/cohorts/{cohort.pk}/enrolments/{enrolment.pk}/completion",
        {"outcome": "completed"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["enrolment"]["status"] == "completed"
    assert {"strand": "digital", "from_level": "", "to_level": "bronze"} in body["level_changes"]
    evidence = Evidence.objects.filter(resident=learners[0])
    assert {e.descriptor_id for e in evidence} == {d.pk for d in course.descriptors.all()}
    assert all(e.is_verified for e in evidence)
    assert {(e.method, e.recorded_by_id) for e in evidence} == {
        ("course_completion", lrs.account.pk)
    }
    assert PassportLevel.objects.get(resident=learners[0], strand_code="digital").level == "bronze"
    event = AuditEvent.objects.get(action=AuditAction.COURSE_COMPLETED, resident=learners[0])
    assert event.user_id == lrs.account.pk
    # Twice is refused, and adds nothing.
    again = lrs.post(
        f"/api/v1/cohorts/{cohort.pk}/enrolments/{enrolment.pk}/completion",
        {"outcome": "completed"},
    )
    assert again.status_code == 422
    assert Evidence.objects.filter(resident=learners[0]).count() == evidence.count()


def test_non_completion_needs_a_reason(lrs, course, tutor, learners):
    cohort, _session = running_cohort(course, tutor, learners)
    enrolment = Enrolment.objects.get(cohort=cohort, resident=learners[0])
    url = f"/api/v1/cohorts/{cohort.pk}/enrolments/{enrolment.pk}/completion"
    assert lrs.post(url, {"outcome": "not_completed"}).status_code == 422
    response = lrs.post(url, {"outcome": "not_completed", "reason": "Moved away"})
    assert response.status_code == 201
    assert response.json()["level_changes"] == []
    assert not Evidence.objects.filter(resident=learners[0]).exists()


def test_enrol_and_register_attendance(lrs, cohort, course, tutor, learners):
    response = lrs.post(
        f"/api/v1/cohorts/{cohort.pk}/enrolments", {"resident": str(learners[0].public_id)}
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "enrolled"
    listed = lrs.get(f"/api/v1/cohorts/{cohort.pk}/enrolments").json()
    assert [e["resident"] for e in listed["results"]] == [str(learners[0].public_id)]
    assert AuditEvent.objects.filter(
        action=AuditAction.LISTED, resident=learners[0], user=lrs.account
    ).exists()

    running, session = running_cohort(course, tutor, learners[1:])
    placed = list(Enrolment.objects.filter(cohort=running).order_by("pk"))
    url = f"/api/v1/cohorts/{running.pk}/sessions/{session.pk}/attendance"
    marks = [{"enrolment": placed[0].pk, "mark": "present"}]
    response = lrs.post(url, {"marks": marks})
    assert response.status_code == 201
    assert response.json() == {"session": session.pk, "changed": 1}
    # Someone not on the cohort: the whole register is refused.
    stranger = {"enrolment": Enrolment.objects.get(cohort=cohort).pk, "mark": "absent"}
    response = lrs.post(url, {"marks": [{"enrolment": placed[1].pk, "mark": "absent"}, stranger]})
    assert response.status_code == 422
    assert Attendance.objects.filter(session=session).count() == 1


def test_a_provider_cannot_touch_another_providers_cohorts(
    partner, other_provider, other_tutor, lrs, course, tutor, learners
):
    cohort, session = running_cohort(course, tutor, learners)
    enrolment = Enrolment.objects.filter(cohort=cohort).first()
    elsewhere = partner(other_provider, ["residents:read", "training"])
    assert elsewhere.get("/api/v1/cohorts").json()["count"] == 0
    for response in (
        elsewhere.get(f"/api/v1/cohorts/{cohort.pk}/enrolments"),
        elsewhere.post(
            f"/api/v1/cohorts/{cohort.pk}/enrolments", {"resident": str(learners[3].public_id)}
        ),
        elsewhere.post(
            f"/api/v1/cohorts/{cohort.pk}/sessions/{session.pk}/attendance",
            {"marks": [{"enrolment": enrolment.pk, "mark": "present"}]},
        ),
        elsewhere.post(
            f"/api/v1/cohorts/{cohort.pk}/enrolments/{enrolment.pk}/completion",
            {"outcome": "completed"},
        ),
    ):
        assert response.status_code == 404, response.content
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert not Evidence.objects.filter(resident=enrolment.resident).exists()
    # Nor read the other provider's learners.
    assert elsewhere.get(f"/api/v1/residents/{learners[0].public_id}").status_code == 404


def test_a_provider_sees_a_resident_only_while_they_share_their_record(
    lrs, council, adviser, cohort
):
    resident = ResidentFactory(organisation=council, user=adviser)
    url = f"/api/v1/residents/{resident.public_id}"
    assert lrs.get(url).status_code == 404
    consent = ConsentRecord.objects.create(
        resident=resident,
        purpose=ConsentPurpose.SHARE_PROVIDERS,
        lawful_basis=LawfulBasis.CONSENT,
        given_by=adviser,
    )
    body = lrs.get(url).json()
    assert body["shared_only"] is True
    assert body["email"] is None
    assert body["postcode"] is None
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEWED, resident=resident, user=lrs.account
    ).exists()
    from skillspassport.people.services import consent_withdraw

    consent_withdraw(user=adviser, resident=resident, consent_id=consent.pk)
    assert lrs.get(url).status_code == 404
    ids = [r["id"] for r in lrs.get("/api/v1/residents").json()["results"]]
    assert str(resident.public_id) not in ids
