"""The pages for cohorts as courses really run: what a tutor, an adviser and a council
administrator see and can do, and what bad or hostile input gets."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.models import ConsentPurpose
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Evidence
from skillspassport.training import services
from skillspassport.training.models import (
    Attendance,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Session,
    TrainingPolicy,
)

from .conftest import make_cohort, mark, today


def enrol(cohort, resident, actor):
    return services.enrolment_create(actor=actor, cohort=cohort, resident=resident)


def date_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def cohort_post(cohort, **overrides):
    data = {
        "venue_name": cohort.venue_name,
        "venue_postcode": cohort.venue_postcode,
        **date_fields("start_date", cohort.start_date),
        **date_fields("end_date", cohort.end_date),
        "capacity": cohort.capacity,
        "waiting_list_open": "on",
        "tutor": cohort.tutor_id,
    }
    data.update(overrides)
    return data


def ran_last_month(course, tutor, learners, places=3, weeks=2):
    start = today() - timedelta(days=30)
    cohort = make_cohort(
        course, tutor, start=start, end=start + timedelta(weeks=3), capacity=places
    )
    placed = [enrol(cohort, r, tutor) for r in learners[:places]]
    held = services.sessions_add(
        actor=tutor,
        cohort=cohort,
        first_date=start,
        start_time=time(10),
        end_time=time(12),
        weeks=weeks,
    )
    return cohort, placed, held


def test_a_cohort_ending_today_offers_sessions_enrolment_and_changes(
    client, tutor, course, learners
):
    cohort = make_cohort(course, tutor, start=today() - timedelta(days=20), end=today())
    client.force_login(tutor)
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert reverse("training:sessions-add", args=[cohort.pk]) in page
    assert reverse("training:enrol", args=[cohort.pk]) in page
    assert reverse("training:cohort-edit", args=[cohort.pk]) in page
    assert reverse("training:cohort-cancel", args=[cohort.pk]) in page
    response = client.post(
        reverse("training:enrol", args=[cohort.pk]), {"resident": str(learners[0].public_id)}
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(resident=learners[0]).status == EnrolmentStatus.ENROLLED


def test_a_finished_cohort_says_enrolling_records_a_past_place(client, tutor, course):
    cohort = make_cohort(
        course, tutor, start=today() - timedelta(days=60), end=today() - timedelta(days=30)
    )
    client.force_login(tutor)
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert "Record a learner who was on it" in page
    assert "add the sessions it held" in page


def test_cohort_pages_take_past_dates_but_refuse_absurd_ones(client, tutor, course):
    client.force_login(tutor)
    url = reverse("training:cohort-create", args=[course.pk])
    base = cohort_post(make_cohort(course, tutor))
    old = today().replace(year=today().year - 8)
    refused = client.post(url, {**base, **date_fields("start_date", old)})
    assert refused.status_code == 400
    assert "The start date must be within the last 5 years" in refused.content.decode()
    start, end = today() - timedelta(days=70), today() - timedelta(days=40)
    ok = client.post(
        url, {**base, **date_fields("start_date", start), **date_fields("end_date", end)}
    )
    assert ok.status_code == 302
    assert Cohort.objects.filter(start_date=start, end_date=end).exists()


def test_edit_cohort_page_saves_and_refuses_bad_input(client, tutor, cohort, learners):
    for r in learners[:2]:
        enrol(cohort, r, tutor)
    client.force_login(tutor)
    url = reverse("training:cohort-edit", args=[cohort.pk])
    page = client.get(url).content.decode()
    assert 'value="Bootle Library"' in page
    bad = client.post(url, cohort_post(cohort, capacity="lots", venue_postcode="nowhere"))
    assert bad.status_code == 400
    assert "Enter a real postcode" in bad.content.decode()
    too_few = client.post(url, cohort_post(cohort, capacity=1))
    assert too_few.status_code == 400
    assert "2 learners hold places" in too_few.content.decode()
    hostile = "<script>alert(1)</script> Hall"
    ok = client.post(url, cohort_post(cohort, venue_name=hostile, capacity=5))
    assert ok.status_code == 302
    cohort.refresh_from_db()
    assert (cohort.venue_name, cohort.capacity) == (hostile, 5)
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_cancel_page_needs_a_reason_then_shows_the_cohort_cancelled(
    client, tutor, cohort, learners
):
    placed = enrol(cohort, learners[0], tutor)
    client.force_login(tutor)
    url = reverse("training:cohort-cancel", args=[cohort.pk])
    assert "1 learner with a place" in client.get(url).content.decode()
    empty = client.post(url, {"reason": "   "})
    assert empty.status_code == 400
    assert "Enter the reason" in empty.content.decode()
    assert not Cohort.objects.get(pk=cohort.pk).is_cancelled
    assert client.post(url, {"reason": "Tutor unavailable"}).status_code == 302
    placed.refresh_from_db()
    assert placed.status == EnrolmentStatus.CANCELLED
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert "Cancelled" in page
    assert "Tutor unavailable" in page
    assert reverse("training:enrol", args=[cohort.pk]) not in page
    assert "Cancelled" in client.get(reverse("training:index")).content.decode()
    refused = client.post(
        reverse("training:enrol", args=[cohort.pk]), {"resident": str(learners[1].public_id)}
    )
    assert "cancelled, so nobody can join it" in refused.content.decode()
    assert not Enrolment.objects.filter(resident=learners[1]).exists()
    edit = client.get(reverse("training:cohort-edit", args=[cohort.pk]))
    assert edit.status_code == 302


def test_deleting_a_session_with_marks_asks_for_confirmation(client, tutor, course, learners):
    cohort, placed, held = ran_last_month(course, tutor, learners)
    mark(held[0], placed[0], tutor)
    client.force_login(tutor)
    url = reverse("training:session-delete", args=[cohort.pk, held[0].pk])
    assert "Attendance is recorded for 1 learner" in client.get(url).content.decode()
    unconfirmed = client.post(url, {})
    assert unconfirmed.status_code == 400
    assert "confirm that it is removed" in unconfirmed.content.decode()
    assert Attendance.objects.count() == 1
    assert client.post(url, {"remove_attendance": "on"}).status_code == 302
    assert not Session.objects.filter(pk=held[0].pk).exists()
    assert not Attendance.objects.exists()
    plain = reverse("training:session-delete", args=[cohort.pk, held[1].pk])
    assert client.post(plain, {}).status_code == 302
    assert not Session.objects.filter(cohort=cohort).exists()


def test_register_marks_everyone_not_marked_as_present(client, tutor, course, learners):
    cohort, placed, held = ran_last_month(course, tutor, learners)
    client.force_login(tutor)
    url = reverse("training:register", args=[cohort.pk, held[0].pk])
    assert "marking everyone not marked as present" in client.get(url).content.decode()
    response = client.post(url, {f"mark-{placed[1].pk}": "absent", "everyone_else_present": "1"})
    assert response.status_code == 302
    marks = dict(Attendance.objects.values_list("enrolment_id", "mark"))
    assert marks == {placed[0].pk: "present", placed[1].pk: "absent", placed[2].pk: "present"}
    tampered = client.post(url, {"mark-999999": "present", "everyone_else_present": "1"})
    assert tampered.status_code == 400
    assert dict(Attendance.objects.values_list("enrolment_id", "mark")) == marks


def test_outcome_page_below_the_threshold_needs_a_reason(client, tutor, course, learners):
    cohort, placed, held = ran_last_month(course, tutor, learners)
    mark(held[0], placed[0], tutor)  # 1 of 2: 50%
    client.force_login(tutor)
    url = reverse("training:outcome", args=[cohort.pk, placed[0].pk])
    assert "attended 1 of 2 sessions, 50%" in client.get(url).content.decode()
    refused = client.post(url, {"outcome": "completed"})
    assert refused.status_code == 400
    assert "below the 75% the council asks for" in refused.content.decode()
    assert not Evidence.objects.exists()
    ok = client.post(url, {"outcome": "completed", "override_reason": "Missed one: ill"})
    assert ok.status_code == 302
    placed[0].refresh_from_db()
    assert placed[0].completion_override_reason == "Missed one: ill"


def test_bulk_completion_from_the_cohort_page(client, tutor, course, learners):
    cohort, placed, held = ran_last_month(course, tutor, learners)
    for s in held:
        mark(s, placed[0], tutor)
        mark(s, placed[1], tutor)
    client.force_login(tutor)
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert "Complete the selected learners" in page
    url = reverse("training:complete-many", args=[cohort.pk])
    response = client.post(url, {"enrolment": [e.pk for e in placed]})
    assert response.status_code == 200
    html = response.content.decode()
    assert placed[2].resident.full_name in html
    assert "No sessions" not in html
    assert "attended 0 of 2 sessions" in html
    done = Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED)
    assert set(done.values_list("pk", flat=True)) == {placed[0].pk, placed[1].pk}
    empty = client.post(url, {"enrolment": [placed[2].pk], f"reason-{placed[2].pk}": " "})
    assert empty.status_code == 400
    assert "Enter the reason to complete" in empty.content.decode()
    final = client.post(
        url, {"enrolment": [placed[2].pk], f"reason-{placed[2].pk}": "Register lost"}
    )
    assert final.status_code == 302
    assert done.count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.COURSE_COMPLETED).count() == 3
    assert client.post(url, {"enrolment": ["x1"]}).status_code == 404
    nothing = client.post(url, {})
    assert nothing.status_code == 302


def test_new_cohort_pages_are_404_for_another_providers_tutor(
    client, other_tutor, course, tutor, learners
):
    cohort, placed, held = ran_last_month(course, tutor, learners)
    client.force_login(other_tutor)
    for url in (
        reverse("training:cohort-edit", args=[cohort.pk]),
        reverse("training:cohort-cancel", args=[cohort.pk]),
        reverse("training:session-delete", args=[cohort.pk, held[0].pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url, {"reason": "x", "remove_attendance": "on"}).status_code == 404
    complete = reverse("training:complete-many", args=[cohort.pk])
    assert client.post(complete, {"enrolment": [placed[0].pk]}).status_code == 404
    assert not Cohort.objects.get(pk=cohort.pk).is_cancelled
    assert Session.objects.filter(cohort=cohort).count() == 2
    assert not Evidence.objects.exists()


def test_policy_page_for_council_administrators_only(client, staff, council, tutor):
    url = reverse("training:policy")
    client.force_login(tutor)
    assert client.get(url).status_code == 403
    client.force_login(staff["adviser"])
    assert client.get(url).status_code == 403
    client.force_login(staff["administrator"])
    assert 'value="75"' in client.get(url).content.decode()
    bad = client.post(url, {"completion_attendance_percent": "150"})
    assert bad.status_code == 400
    assert not TrainingPolicy.objects.exists()
    assert client.post(url, {"completion_attendance_percent": "60"}).status_code == 302
    assert TrainingPolicy.objects.get(council=council).completion_attendance_percent == 60


def test_adviser_refers_to_current_and_past_cohorts_but_not_cancelled_ones(
    client, adviser, council, course, tutor
):
    running = make_cohort(course, tutor, start=today() - timedelta(days=3))
    past = make_cohort(
        course, tutor, start=today() - timedelta(days=60), end=today() - timedelta(days=30)
    )
    cancelled = make_cohort(course, tutor)
    services.cohort_cancel(actor=tutor, cohort=cancelled, reason="No tutor")
    resident = ResidentFactory(organisation=council, user=adviser)
    client.force_login(adviser)
    url = reverse("training:resident", args=[resident.public_id])
    page = client.get(url).content.decode()
    assert f'value="{running.pk}"' in page
    assert "(under way: joins late)" in page
    assert f'value="{past.pk}"' in page
    assert "(ended: records that they had a place)" in page
    assert f'value="{cancelled.pk}"' not in page
    response = client.post(url, {"cohort": past.pk}, follow=True)
    assert "had a place on this course, which has ended" in response.content.decode()
    enrolment = Enrolment.objects.get(resident=resident)
    assert (enrolment.cohort, enrolment.source) == (past, "referral")
    assert client.post(url, {"cohort": cancelled.pk}).status_code == 400
    assert Enrolment.objects.filter(resident=resident).count() == 1


@pytest.mark.parametrize("shares", [True, False])
def test_tutor_finds_and_enrols_only_residents_who_share_with_providers(
    client, tutor, council, adviser, course, shares
):
    purposes = {ConsentPurpose.SCHEME.value: "consent"}
    if shares:
        purposes[ConsentPurpose.SHARE_PROVIDERS.value] = "consent"
    resident = ResidentFactory(
        organisation=council, user=adviser, first_name="Zanele", consents=purposes
    )
    running = make_cohort(course, tutor, start=today() - timedelta(days=3))
    client.force_login(tutor)
    url = reverse("training:enrol", args=[running.pk])
    page = client.get(url, {"q": "Zanele"}).content.decode()
    assert (f'value="{resident.public_id}"' in page) is shares
    response = client.post(url, {"resident": str(resident.public_id)})
    assert response.status_code == (302 if shares else 404)
    assert Enrolment.objects.filter(resident=resident).exists() is shares


def test_council_administrators_find_the_policy_from_the_training_page(client, staff, tutor):
    client.force_login(staff["administrator"])
    assert reverse("training:policy") in client.get(reverse("training:index")).content.decode()
    client.force_login(tutor)
    assert reverse("training:policy") not in client.get(reverse("training:index")).content.decode()
