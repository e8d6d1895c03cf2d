"""Enrolment, the waiting list, attendance and completion through the services."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.skills.models import OVERALL, Evidence, PassportLevel
from skillspassport.training import services
from skillspassport.training.models import (
    Attendance,
    Cohort,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Session,
)
from skillspassport.training.services import TrainingError, outcomes

from .conftest import make_cohort, mark, today


def levels(resident):
    return dict(PassportLevel.objects.filter(resident=resident).values_list("strand_code", "level"))


def enrol(cohort, resident, actor):
    return services.enrolment_create(actor=actor, cohort=cohort, resident=resident)


def test_cohort_venue_gets_its_areas_from_the_postcode(cohort):
    assert cohort.venue_postcode == "L20 1AD"
    assert cohort.lsoa_id == "E01007009"
    assert cohort.ward_id == "E05000942"


def test_full_cohort_puts_people_on_the_waiting_list_in_order(cohort, learners, tutor):
    first, second, third, fourth = (enrol(cohort, r, tutor) for r in learners)
    assert [first.status, second.status] == [EnrolmentStatus.ENROLLED] * 2
    assert first.enrolled_at is not None
    assert (third.status, third.waiting_position) == (EnrolmentStatus.WAITING, 1)
    assert (fourth.status, fourth.waiting_position) == (EnrolmentStatus.WAITING, 2)
    assert third.enrolled_at is None
    events = AuditEvent.objects.filter(action=AuditAction.ENROLLED)
    assert events.count() == 4
    assert "waiting list (number 2)" in events.get(resident=learners[3]).summary


def test_withdrawing_moves_the_first_waiting_person_into_the_place(cohort, learners, tutor):
    first, _second, third, fourth = (enrol(cohort, r, tutor) for r in learners)
    moved = services.enrolment_withdraw(actor=tutor, enrolment=first, reason="Moved away")
    assert moved is not None
    assert moved.pk == third.pk
    first.refresh_from_db()
    third.refresh_from_db()
    fourth.refresh_from_db()
    assert (first.status, first.withdrawal_reason) == (EnrolmentStatus.WITHDRAWN, "Moved away")
    assert third.status == EnrolmentStatus.ENROLLED
    assert third.enrolled_at is not None
    assert third.waiting_position is None
    assert fourth.waiting_position == 1
    assert Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.ENROLMENT_CHANGED).count() == 2


def test_a_withdrawn_learner_is_told_to_join_another_cohort(cohort, learners, tutor):
    first = enrol(cohort, learners[0], tutor)
    services.enrolment_withdraw(actor=tutor, enrolment=first, reason="Moved away")
    with pytest.raises(TrainingError, match="cannot rejoin it: enrol them on another cohort"):
        enrol(cohort, learners[0], tutor)
    first.refresh_from_db()
    assert first.status == EnrolmentStatus.WITHDRAWN


def test_leaving_the_waiting_list_closes_the_gap(cohort, learners, tutor):
    *_placed, third, fourth = (enrol(cohort, r, tutor) for r in learners)
    assert services.enrolment_withdraw(actor=tutor, enrolment=third, reason="Found work") is None
    fourth.refresh_from_db()
    assert fourth.waiting_position == 1


def test_withdrawal_needs_a_reason_and_leaves_the_place(cohort, learners, tutor):
    enrolment = enrol(cohort, learners[0], tutor)
    with pytest.raises(TrainingError, match="reason"):
        services.enrolment_withdraw(actor=tutor, enrolment=enrolment, reason="   ")
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED


def test_enrolling_twice_is_refused_and_nothing_saved(cohort, learners, tutor):
    enrol(cohort, learners[0], tutor)
    with pytest.raises(TrainingError, match="already on this course"):
        enrol(cohort, learners[0], tutor)
    assert Enrolment.objects.filter(cohort=cohort).count() == 1


def test_full_cohort_with_closed_waiting_list_refuses(course, tutor, learners):
    cohort = make_cohort(course, tutor, capacity=1, waiting=False)
    enrol(cohort, learners[0], tutor)
    with pytest.raises(TrainingError, match="full and its waiting list is closed"):
        enrol(cohort, learners[1], tutor)
    assert Enrolment.objects.filter(cohort=cohort).count() == 1
    assert not AuditEvent.objects.filter(resident=learners[1], action=AuditAction.ENROLLED).exists()


def test_enrolment_at_any_point_of_a_cohorts_life(course, tutor, learners):
    started = make_cohort(course, tutor, start=today() - timedelta(days=2))
    ending_today = make_cohort(course, tutor, start=today() - timedelta(days=30), end=today())
    finished = make_cohort(
        course, tutor, start=today() - timedelta(days=60), end=today() - timedelta(days=1)
    )
    late = enrol(started, learners[0], tutor)
    assert late.status == EnrolmentStatus.ENROLLED
    assert timezone.localdate(late.enrolled_at) == today()
    assert enrol(ending_today, learners[0], tutor).status == EnrolmentStatus.ENROLLED
    past = enrol(finished, learners[0], tutor)
    # Recorded after the event: the place dates from the course's first day.
    assert past.status == EnrolmentStatus.ENROLLED
    assert timezone.localdate(past.enrolled_at) == finished.start_date
    assert "recorded after the course ended" in (
        AuditEvent.objects.filter(resident=learners[0], action=AuditAction.ENROLLED)
        .order_by("-pk")
        .first()
        .summary
    )


def test_a_finished_cohort_that_was_full_keeps_no_waiting_list(course, tutor, learners):
    finished = make_cohort(
        course,
        tutor,
        start=today() - timedelta(days=60),
        end=today() - timedelta(days=1),
        capacity=1,
    )
    enrol(finished, learners[0], tutor)
    with pytest.raises(TrainingError, match="places on this course were taken"):
        enrol(finished, learners[1], tutor)
    assert not Enrolment.objects.filter(resident=learners[1]).exists()


def test_referral_records_the_referring_organisation(cohort, council, adviser):
    from skillspassport.people.tests.factories import ResidentFactory

    resident = ResidentFactory(organisation=council, user=adviser)
    enrolment = services.enrolment_create(
        actor=adviser,
        cohort=cohort,
        resident=resident,
        source=EnrolmentSource.REFERRAL,
        referring_organisation=council,
    )
    assert (enrolment.source, enrolment.referring_organisation) == ("referral", council)
    with pytest.raises(TrainingError, match="which organisation"):
        services.enrolment_create(
            actor=adviser,
            cohort=make_cohort(cohort.course, cohort.tutor),
            resident=resident,
            source=EnrolmentSource.REFERRAL,
        )


def test_weekly_sessions_within_the_cohort_dates(cohort, tutor):
    added = services.sessions_add(
        actor=tutor,
        cohort=cohort,
        first_date=cohort.start_date,
        start_time=time(10),
        end_time=time(12),
        weeks=6,
    )
    assert len(added) == 6
    assert timezone.localtime(added[-1].starts_at).date() == cohort.start_date + timedelta(weeks=5)
    with pytest.raises(TrainingError, match="already a session"):
        services.sessions_add(
            actor=tutor,
            cohort=cohort,
            first_date=cohort.start_date,
            start_time=time(10),
            end_time=time(11),
        )
    with pytest.raises(TrainingError, match="between the cohort's start"):
        services.sessions_add(
            actor=tutor,
            cohort=cohort,
            first_date=cohort.start_date,
            start_time=time(14),
            end_time=time(15),
            weeks=8,
        )
    assert Session.objects.filter(cohort=cohort).count() == 6


def running_cohort(course, tutor, learners, places=2):
    """A cohort that started last week with learners already placed (set up directly)."""
    cohort = make_cohort(course, tutor, capacity=places)
    for resident in learners[:places]:
        enrol(cohort, resident, tutor)
    Cohort.objects.filter(pk=cohort.pk).update(
        start_date=today() - timedelta(days=14), end_date=today() - timedelta(days=1)
    )
    cohort.refresh_from_db()
    start = timezone.now() - timedelta(days=7)
    session = Session.objects.create(
        cohort=cohort, starts_at=start, ends_at=start + timedelta(hours=2)
    )
    return cohort, session


def test_attendance_for_enrolled_learners_and_refused_for_anyone_else(course, tutor, learners):
    cohort, session = running_cohort(course, tutor, learners)
    placed = list(Enrolment.objects.filter(cohort=cohort))
    changed = services.attendance_record(
        actor=tutor, session=session, marks={placed[0].pk: "present", placed[1].pk: "excused"}
    )
    assert changed == 2
    assert AuditEvent.objects.filter(action=AuditAction.ATTENDANCE_RECORDED).count() == 2
    other = make_cohort(course, tutor)
    stranger = enrol(other, learners[3], tutor)
    with pytest.raises(TrainingError, match="enrolled on the course"):
        services.attendance_record(
            actor=tutor, session=session, marks={placed[0].pk: "absent", stranger.pk: "present"}
        )
    assert Attendance.objects.get(enrolment=placed[0]).mark == "present"
    assert not Attendance.objects.filter(enrolment=stranger).exists()


def test_attendance_for_a_future_session_is_refused(cohort, tutor, learners):
    enrolment = enrol(cohort, learners[0], tutor)
    (session,) = services.sessions_add(
        actor=tutor,
        cohort=cohort,
        first_date=cohort.start_date,
        start_time=time(10),
        end_time=time(12),
    )
    with pytest.raises(TrainingError, match="once the session has started"):
        services.attendance_record(actor=tutor, session=session, marks={enrolment.pk: "present"})


def test_completion_records_course_evidence_and_raises_the_passport(course, tutor, learners):
    cohort, session = running_cohort(course, tutor, learners)
    enrolment = Enrolment.objects.get(cohort=cohort, resident=learners[0])
    mark(session, enrolment, tutor)
    assert levels(learners[0]).get("digital", "") == ""
    services.enrolment_complete(actor=tutor, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    evidence = Evidence.objects.filter(resident=learners[0])
    assert {e.descriptor_id for e in evidence} == {d.pk for d in course.descriptors.all()}
    assert {(e.method, e.shown_on, e.recorded_by_id) for e in evidence} == {
        ("course_completion", cohort.end_date, tutor.pk)
    }
    # The digital foundation is the digital half of Bronze: the digital strand now shows it.
    assert levels(learners[0])["digital"] == "bronze"
    assert AuditEvent.objects.filter(
        action=AuditAction.COURSE_COMPLETED, resident=learners[0]
    ).exists()
    with pytest.raises(TrainingError, match="completed"):
        services.enrolment_complete(actor=tutor, enrolment=enrolment)
    assert Evidence.objects.filter(resident=learners[0]).count() == evidence.count()


def test_completion_before_the_end_date_is_refused(cohort, tutor, learners):
    enrolment = enrol(cohort, learners[0], tutor)
    with pytest.raises(TrainingError, match="record the outcome then"):
        services.enrolment_complete(actor=tutor, enrolment=enrolment)
    assert not Evidence.objects.filter(resident=learners[0]).exists()


def test_completion_is_all_or_nothing(course, tutor, learners, monkeypatch):
    cohort, session = running_cohort(course, tutor, learners)
    enrolment = Enrolment.objects.get(cohort=cohort, resident=learners[0])
    mark(session, enrolment, tutor)

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(outcomes, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.enrolment_complete(actor=tutor, enrolment=enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert not Evidence.objects.filter(resident=learners[0]).exists()
    assert levels(learners[0]).get(OVERALL, "") == ""


def test_non_completion_needs_a_reason(course, tutor, learners):
    cohort, _session = running_cohort(course, tutor, learners)
    enrolment = Enrolment.objects.get(cohort=cohort, resident=learners[1])
    with pytest.raises(TrainingError, match="reason"):
        services.enrolment_not_complete(actor=tutor, enrolment=enrolment, reason="")
    services.enrolment_not_complete(actor=tutor, enrolment=enrolment, reason="Illness")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.non_completion_reason) == ("not_completed", "Illness")
    assert not Evidence.objects.filter(resident=learners[1]).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_capacity_holds_under_concurrent_enrolments(council):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    import threading

    from django.db import close_old_connections

    from skillspassport.accounts.models import OrganisationKind, Role
    from skillspassport.accounts.tests.factories import (
        MembershipFactory,
        OrganisationFactory,
        UserFactory,
    )
    from skillspassport.people.tests.factories import ResidentFactory
    from skillspassport.skills.models import ScaleStep

    from .conftest import foundation_descriptors

    provider = OrganisationFactory(
        name="Race Provider", kind=OrganisationKind.PROVIDER, council=council
    )
    tutor = UserFactory(email="race@provider.test")
    MembershipFactory(user=tutor, organisation=provider, role=Role.TUTOR)
    course = services.course_save(
        actor=tutor,
        provider=provider,
        title="Race",
        description="",
        descriptors=foundation_descriptors(),
        level=ScaleStep.objects.filter(code="foundation").first(),
        delivery_mode="online",
        funding_source="other",
        hours=1,
    )
    cohort = make_cohort(course, tutor, capacity=3, waiting=False)
    residents = [ResidentFactory(organisation=provider, user=tutor) for _ in range(8)]
    barrier = threading.Barrier(len(residents))
    outcomes: list[str] = []

    def attempt(resident):
        try:
            barrier.wait()
            enrol(cohort, resident, tutor)
            outcomes.append("ok")
        except TrainingError:
            outcomes.append("full")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in residents]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["full"] * 5 + ["ok"] * 3
    assert Enrolment.objects.filter(cohort=cohort, status="enrolled").count() == 3
