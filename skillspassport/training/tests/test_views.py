"""The training pages: forms refuse bad input with clear messages and keep data intact."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from skillspassport.skills.models import PassportLevel, ScaleStep
from skillspassport.targeting.models import TargetingPlan, TargetingRun
from skillspassport.training import services
from skillspassport.training.models import (
    Attendance,
    Cohort,
    Course,
    Enrolment,
    Invitation,
    Session,
)

from .conftest import foundation_descriptors, framework, make_cohort, mark, today


def course_data(**overrides):
    descriptors = foundation_descriptors()
    data = {
        "title": "Digital skills for work",
        "description": "Email, documents and online safety at work.",
        "level": ScaleStep.objects.get(
            strand__framework=framework(), strand__code="digital", code="foundation"
        ).pk,
        "delivery_mode": "blended",
        "funding_source": "ukspf",
        "hours": "20",
        "descriptors": [d.pk for d in descriptors[:3]],
    }
    data.update(overrides)
    return data


def test_index_lists_upcoming_first_with_constant_queries(
    client, tutor, course, django_assert_num_queries
):
    later = make_cohort(course, tutor, start=today() + timedelta(days=30))
    sooner = make_cohort(course, tutor, start=today() + timedelta(days=3))
    make_cohort(course, tutor, start=today() - timedelta(days=90), end=today() - timedelta(days=30))
    client.force_login(tutor)
    client.get(reverse("training:index"))
    with django_assert_num_queries(10):
        response = client.get(reverse("training:index"))
    html = response.content.decode()
    assert html.index(f"/training/cohorts/{sooner.pk}/") < html.index(
        f"/training/cohorts/{later.pk}/"
    )
    assert "Finished cohorts" in html
    for _ in range(3):
        make_cohort(course, tutor)
    with django_assert_num_queries(10):
        client.get(reverse("training:index"))


def test_create_course_with_skills_grouped_by_strand(client, tutor, provider):
    client.force_login(tutor)
    page = client.get(reverse("training:course-create")).content.decode()
    assert "Numeracy" in page
    assert "Skills the course teaches" in page
    data = course_data(provider=provider.pk)
    response = client.post(reverse("training:course-create"), data)
    assert response.status_code == 302
    course = Course.objects.get(title="Digital skills for work")
    assert course.descriptors.count() == 3
    assert course.provider == provider


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "", "hours": "", "descriptors": []}, "Enter the course title"),
        ({"hours": "twelve"}, "Guided learning hours must be a whole number"),
        ({"hours": "0"}, "Guided learning hours must be 1 or more"),
        ({"title": "x" * 5000}, "Course title must be 150 characters or fewer"),
        ({"descriptors": ["99999999"]}, "Select skills from the list"),
        ({"descriptors": []}, "Select at least one skill the course teaches"),
        ({"level": "<script>alert(1)</script>"}, "Select the level the course aims at from"),
    ],
)
def test_course_form_refuses_bad_input(client, tutor, provider, course, overrides, message):
    client.force_login(tutor)
    before = Course.objects.count()
    response = client.post(
        reverse("training:course-create"), course_data(provider=provider.pk, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert Course.objects.count() == before


def test_hostile_text_is_escaped_and_duplicate_title_refused(client, tutor, provider, course):
    client.force_login(tutor)
    client.post(
        reverse("training:course-create"),
        course_data(provider=provider.pk, title="<script>alert(1)</script>"),
    )
    page = client.get(reverse("training:index")).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;" in page
    response = client.post(
        reverse("training:course-create"),
        course_data(provider=provider.pk, title="get online: FIRST steps"),
    )
    assert "already has a course called" in response.content.decode()
    assert Course.objects.filter(title__iexact="get online: first steps").count() == 1


def test_edit_course_keeps_its_skills_chosen(client, tutor, course):
    client.force_login(tutor)
    page = client.get(reverse("training:course-edit", args=[course.pk])).content.decode()
    assert page.count("checked") >= course.descriptors.count()


def cohort_data(start, end, **overrides):
    data = {
        "venue_name": "Bootle Library",
        "venue_postcode": "l20 1ad",
        "start_date_0": start.day,
        "start_date_1": start.month,
        "start_date_2": start.year,
        "end_date_0": end.day,
        "end_date_1": end.month,
        "end_date_2": end.year,
        "capacity": "12",
        "waiting_list_open": "on",
    }
    data.update(overrides)
    return data


def test_create_cohort_in_a_plan_area(client, tutor, course, council, staff):
    plan = make_plan(council, staff)
    client.force_login(tutor)
    start = today() + timedelta(days=10)
    response = client.post(
        reverse("training:cohort-create", args=[course.pk]),
        cohort_data(start, start + timedelta(weeks=6), tutor=tutor.pk, targeting_plan=plan.pk),
    )
    cohort = Cohort.objects.get()
    assert response.status_code == 302
    assert (cohort.ward_id, cohort.in_plan_area) == ("E05000942", True)
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert "Venue in a priority area" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"venue_postcode": "NOT A POSTCODE"}, "Enter a real postcode"),
        ({"capacity": "0"}, "Places must be 1 or more"),
        ({"capacity": "<script>"}, "Places must be a whole number"),
        ({"start_date_1": "13"}, "Start date must be a real date"),
        ({"venue_name": ""}, "Enter the venue"),
        ({"tutor": "999999"}, "Select the tutor from the list"),
    ],
)
def test_cohort_form_refuses_bad_input(client, tutor, course, overrides, message):
    client.force_login(tutor)
    start = today() + timedelta(days=10)
    data = cohort_data(start, start + timedelta(weeks=6), tutor=tutor.pk)
    data.update(overrides)
    response = client.post(reverse("training:cohort-create", args=[course.pk]), data)
    assert message in response.content.decode()
    assert not Cohort.objects.exists()


def test_end_before_start_is_refused(client, tutor, course):
    client.force_login(tutor)
    start = today() + timedelta(days=10)
    data = cohort_data(start, start - timedelta(days=1), tutor=tutor.pk)
    response = client.post(reverse("training:cohort-create", args=[course.pk]), data)
    assert "End date must be on or after the start date" in response.content.decode()
    assert not Cohort.objects.exists()


def test_weekly_sessions_from_the_page_and_bad_times(client, tutor, cohort):
    client.force_login(tutor)
    url = reverse("training:sessions-add", args=[cohort.pk])
    d = cohort.start_date
    base = {"first_date_0": d.day, "first_date_1": d.month, "first_date_2": d.year}
    bad = client.post(url, {**base, "start_time": "10:00", "end_time": "09:00", "weeks": "3"})
    assert "End time must be after the start time" in bad.content.decode()
    worse = client.post(url, {**base, "start_time": "<b>", "end_time": "11:00", "weeks": "3"})
    assert "Start time: enter a time" in worse.content.decode()
    assert not Session.objects.exists()
    client.post(url, {**base, "start_time": "10:00", "end_time": "12:00", "weeks": "3"})
    assert Session.objects.filter(cohort=cohort).count() == 3


def test_enrol_from_search_then_duplicate_gets_a_message(client, tutor, cohort, learners):
    client.force_login(tutor)
    url = reverse("training:enrol", args=[cohort.pk])
    page = client.get(url, {"q": learners[0].first_name}).content.decode()
    assert learners[0].full_name in page
    response = client.post(url, {"resident": str(learners[0].public_id)})
    assert response.status_code == 302
    again = client.post(url, {"resident": str(learners[0].public_id)})
    assert again.status_code == 400
    assert "already on this course" in again.content.decode()
    assert client.post(url, {"resident": "<script>"}).status_code == 400
    assert Enrolment.objects.count() == 1


def test_cohort_page_shows_learners_and_waiting_list(client, tutor, cohort, learners):
    for resident in learners:
        services.enrolment_create(actor=tutor, cohort=cohort, resident=resident)
    client.force_login(tutor)
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert "2 taken of 2" in page
    assert learners[3].full_name in page
    assert "Waiting list" in page


def ended_cohort(course, tutor, learners):
    cohort = make_cohort(course, tutor, capacity=3)
    for resident in learners[:2]:
        services.enrolment_create(actor=tutor, cohort=cohort, resident=resident)
    Cohort.objects.filter(pk=cohort.pk).update(
        start_date=today() - timedelta(days=30), end_date=today()
    )
    start = timezone.now() - timedelta(days=7)
    session = Session.objects.create(
        cohort=cohort, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    return cohort, session


def test_register_saves_all_marks_and_refuses_tampering(client, tutor, course, learners):
    cohort, session = ended_cohort(course, tutor, learners)
    a, b = Enrolment.objects.filter(cohort=cohort).order_by("pk")
    client.force_login(tutor)
    url = reverse("training:register", args=[cohort.pk, session.pk])
    assert learners[0].full_name in client.get(url).content.decode()
    tampered = client.post(url, {f"mark-{a.pk}": "present", "mark-999999": "present"})
    assert tampered.status_code == 400
    assert "enrolled on the course" in tampered.content.decode()
    assert client.post(url, {f"mark-{a.pk}": "<script>"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert not Attendance.objects.exists()
    client.post(url, {f"mark-{a.pk}": "present", f"mark-{b.pk}": "absent"})
    assert dict(Attendance.objects.values_list("enrolment_id", "mark")) == {
        a.pk: "present",
        b.pk: "absent",
    }


def test_outcome_page_completes_and_the_passport_changes(client, tutor, course, learners):
    cohort, session = ended_cohort(course, tutor, learners)
    enrolment = Enrolment.objects.get(cohort=cohort, resident=learners[0])
    mark(session, enrolment, tutor)
    client.force_login(tutor)
    url = reverse("training:outcome", args=[cohort.pk, enrolment.pk])
    missing = client.post(url, {"outcome": "not_completed", "reason": "   "})
    assert "Enter why the learner did not complete" in missing.content.decode()
    response = client.post(url, {"outcome": "completed"})
    assert response.status_code == 302
    level = PassportLevel.objects.get(resident=learners[0], strand_code="digital").level
    assert level == "bronze"


def test_withdraw_page_needs_a_reason(client, tutor, cohort, learners):
    enrolment = services.enrolment_create(actor=tutor, cohort=cohort, resident=learners[0])
    client.force_login(tutor)
    url = reverse("training:withdraw", args=[cohort.pk, enrolment.pk])
    assert "Enter the reason" in client.post(url, {"reason": " "}).content.decode()
    huge = client.post(url, {"reason": "x" * 5000})
    assert "500 characters or fewer" in huge.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"
    client.post(url, {"reason": "Started work"})
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn"


def make_plan(council, staff):
    run = TargetingRun.objects.create(
        council=council, method={}, base="council", datasets=[], results=[]
    )
    return TargetingPlan.objects.create(
        council=council,
        run=run,
        name="Bootle priority",
        rationale="High exclusion.",
        area_codes=["E01007009"],
        created_by=staff["administrator"],
    )


def test_plan_page_invites_consenting_residents_and_shows_reach(
    client, tutor, course, council, staff, provider
):
    from skillspassport.people.tests.factories import ResidentFactory

    plan = make_plan(council, staff)
    cohort = make_cohort(course, tutor, plan=plan)
    willing = ResidentFactory(
        organisation=provider, user=tutor, consents={"scheme": "consent", "contact": "consent"}
    )
    unwilling = ResidentFactory(organisation=provider, user=tutor)
    client.force_login(tutor)
    url = reverse("training:plan", args=[plan.pk])
    page = client.get(url).content.decode()
    assert willing.full_name in page
    assert unwilling.full_name not in page
    refused = client.post(url, {"cohort": cohort.pk, "resident": [unwilling.pk]})
    assert refused.status_code == 400
    assert "outreach list" in refused.content.decode()
    assert client.post(url, {"cohort": cohort.pk, "resident": []}).status_code == 400
    assert not Invitation.objects.exists()
    client.post(url, {"cohort": cohort.pk, "resident": [willing.pk]})
    assert Invitation.objects.get().resident == willing
    enrolment = services.enrolment_create(actor=tutor, cohort=cohort, resident=willing)
    assert enrolment.source == "invitation"
    page = client.get(url).content.decode()
    assert "fewer than 5" in page
