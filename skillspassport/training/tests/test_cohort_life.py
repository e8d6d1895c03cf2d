"""Cohorts as courses really run: recorded after the event, changed, cancelled, sessions added
and deleted at any time, completion against the council's attendance threshold, in bulk."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.skills.models import Evidence, PassportLevel
from skillspassport.training import services
from skillspassport.training.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    Session,
    TrainingPolicy,
)
from skillspassport.training.services import TrainingError

from .conftest import make_cohort, mark, today


def enrol(cohort, resident, actor):
    return services.enrolment_create(actor=actor, cohort=cohort, resident=resident)


def past_cohort(course, tutor, learners, *, places=3, sessions=4):
    """A cohort that ran last month, recorded now: its learners and weekly sessions."""
    start = today() - timedelta(days=40)
    cohort = make_cohort(
        course, tutor, start=start, end=start + timedelta(weeks=4), capacity=places
    )
    placed = [enrol(cohort, r, tutor) for r in learners[:places]]
    held = services.sessions_add(
        actor=tutor,
        cohort=cohort,
        first_date=start,
        start_time=time(10),
        end_time=time(12),
        weeks=sessions,
    )
    return cohort, placed, held


def update(cohort, tutor, **changes):
    data = {
        "venue_name": cohort.venue_name,
        "venue_postcode": cohort.venue_postcode,
        "start_date": cohort.start_date,
        "end_date": cohort.end_date,
        "capacity": cohort.capacity,
        "waiting_list_open": cohort.waiting_list_open,
        "tutor": cohort.tutor,
        "targeting_plan": cohort.targeting_plan,
    }
    data.update(changes)
    return services.cohort_update(actor=tutor, cohort=cohort, **data)


# --- Recording cohorts after they ran ---------------------------------------------------------


def test_a_cohort_can_be_recorded_after_it_ran_but_not_absurdly_long_ago(course, tutor):
    ran = make_cohort(
        course, tutor, start=today() - timedelta(days=100), end=today() - timedelta(days=60)
    )
    assert ran.pk
    with pytest.raises(TrainingError, match="within the last 5 years"):
        make_cohort(course, tutor, start=today().replace(year=today().year - 6))
    with pytest.raises(TrainingError, match="within 3 years from today"):
        make_cohort(course, tutor, start=today(), end=today() + timedelta(days=5 * 365))
    with pytest.raises(TrainingError, match="on or after the start"):
        make_cohort(course, tutor, start=today(), end=today() - timedelta(days=1))


def test_sessions_and_registers_can_be_added_after_the_course_ended(course, tutor, learners):
    _cohort, placed, held = past_cohort(course, tutor, learners)
    assert len(held) == 4
    changed = services.attendance_record(
        actor=tutor, session=held[0], marks={e.pk: "present" for e in placed}
    )
    assert changed == 3


# --- Changing a cohort ----------------------------------------------------------------------


def test_changing_a_cohort_is_audited_and_new_places_fill_from_the_waiting_list(
    cohort, tutor, learners
):
    for resident in learners[:3]:
        enrol(cohort, resident, tutor)
    waiting = Enrolment.objects.get(resident=learners[2])
    assert waiting.status == EnrolmentStatus.WAITING
    moved = update(cohort, tutor, capacity=4, venue_name="Crosby Library")
    assert [e.pk for e in moved] == [waiting.pk]
    waiting.refresh_from_db()
    assert (waiting.status, waiting.waiting_position) == (EnrolmentStatus.ENROLLED, None)
    cohort.refresh_from_db()
    assert (cohort.capacity, cohort.venue_name) == (4, "Crosby Library")
    event = AuditEvent.objects.get(action=AuditAction.RULES_CHANGED)
    assert event.changes["capacity"] == [2, 4]
    assert event.changes["venue_name"] == ["Bootle Library", "Crosby Library"]


def test_a_cohort_change_that_breaks_its_learners_or_sessions_is_refused(course, tutor, learners):
    cohort, placed, held = past_cohort(course, tutor, learners)
    with pytest.raises(TrainingError, match="3 learners hold places"):
        update(cohort, tutor, capacity=2)
    with pytest.raises(TrainingError, match="2 sessions would fall outside the new dates"):
        update(cohort, tutor, end_date=cohort.start_date + timedelta(days=10))
    mark(held[0], placed[0], tutor)
    for s in held[1:]:
        mark(s, placed[0], tutor)
    services.enrolment_complete(actor=tutor, enrolment=placed[0])
    with pytest.raises(TrainingError, match="dates cannot change"):
        update(cohort, tutor, end_date=cohort.end_date + timedelta(days=1))
    cohort.refresh_from_db()
    assert cohort.capacity == 3
    assert not AuditEvent.objects.filter(action=AuditAction.RULES_CHANGED).exists()


# --- Cancelling a cohort ----------------------------------------------------------------------


def test_cancelling_ends_every_place_without_evidence_and_takes_nobody_new(cohort, tutor, learners):
    placed = [enrol(cohort, r, tutor) for r in learners[:3]]
    with pytest.raises(TrainingError, match="reason"):
        services.cohort_cancel(actor=tutor, cohort=cohort, reason="   ")
    affected = services.cohort_cancel(actor=tutor, cohort=cohort, reason="Venue flooded")
    assert affected == 3
    cohort.refresh_from_db()
    assert cohort.is_cancelled
    assert cohort.cancellation_reason == "Venue flooded"
    for e in placed:
        e.refresh_from_db()
        assert (e.status, e.waiting_position) == (EnrolmentStatus.CANCELLED, None)
        assert e.withdrawal_reason == "Cohort cancelled: Venue flooded"
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.ENROLMENT_CHANGED).count() == 3
    assert AuditEvent.objects.filter(
        action=AuditAction.RULES_CHANGED, summary__startswith="Cancelled cohort"
    ).exists()
    with pytest.raises(TrainingError, match="cancelled"):
        enrol(cohort, learners[3], tutor)
    with pytest.raises(TrainingError, match="cancelled"):
        services.sessions_add(
            actor=tutor,
            cohort=cohort,
            first_date=cohort.start_date,
            start_time=time(10),
            end_time=time(11),
        )
    with pytest.raises(TrainingError, match="already cancelled"):
        services.cohort_cancel(actor=tutor, cohort=cohort, reason="Again")
    # Places ended before the course began were never training starts.
    first, last = today() - timedelta(days=1), today() + timedelta(days=1)
    assert Enrolment.objects.started_between(first, last).count() == 0


def test_a_cohort_with_outcomes_recorded_cannot_be_cancelled(course, tutor, learners):
    cohort, placed, _held = past_cohort(course, tutor, learners)
    services.enrolment_not_complete(actor=tutor, enrolment=placed[0], reason="Moved away")
    with pytest.raises(TrainingError, match="cannot be cancelled"):
        services.cohort_cancel(actor=tutor, cohort=cohort, reason="Mistake")
    cohort.refresh_from_db()
    assert not cohort.is_cancelled
    assert Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED).count() == 2


# --- Deleting sessions ----------------------------------------------------------------------


def test_deleting_a_session_with_attendance_needs_confirmation(course, tutor, learners):
    cohort, placed, held = past_cohort(course, tutor, learners)
    mark(held[0], placed[0], tutor)
    mark(held[0], placed[1], tutor, "absent")
    with pytest.raises(TrainingError, match="confirm"):
        services.session_delete(actor=tutor, session=held[0])
    assert Attendance.objects.count() == 2
    removed = services.session_delete(actor=tutor, session=held[0], remove_attendance=True)
    assert removed == 2
    assert not Session.objects.filter(pk=held[0].pk).exists()
    assert not Attendance.objects.exists()
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.ATTENDANCE_RECORDED, summary__contains="mark removed"
        ).count()
        == 2
    )
    assert services.session_delete(actor=tutor, session=held[1]) == 0
    assert Session.objects.filter(cohort=cohort).count() == 2


# --- Completion against the council's attendance threshold -----------------------------------


def test_completion_with_no_sessions_held_needs_a_reason(course, tutor, learners):
    start = today() - timedelta(days=20)
    cohort = make_cohort(course, tutor, start=start, end=today() - timedelta(days=1))
    enrolment = enrol(cohort, learners[0], tutor)
    with pytest.raises(TrainingError, match="No sessions are recorded"):
        services.enrolment_complete(actor=tutor, enrolment=enrolment)
    assert not Evidence.objects.exists()
    services.enrolment_complete(
        actor=tutor, enrolment=enrolment, override_reason="Register kept on paper"
    )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED
    assert enrolment.completion_override_reason == "Register kept on paper"
    event = AuditEvent.objects.get(action=AuditAction.COURSE_COMPLETED)
    assert "completion_override_reason" in event.fields
    assert "Register kept on paper" not in event.summary


def test_threshold_is_the_councils_and_excused_absences_do_not_count(
    course, tutor, learners, council
):
    _cohort, placed, held = past_cohort(course, tutor, learners)
    a, b, c = placed
    for s in held[:3]:
        mark(s, a, tutor)  # 3 of 4: 75%
    for s in held[:2]:
        mark(s, b, tutor)  # 2 of 4: 50%
    mark(held[0], c, tutor)
    mark(held[1], c, tutor, "excused")
    mark(held[2], c, tutor, "excused")  # 1 of 2 that count: 50%
    services.enrolment_complete(actor=tutor, enrolment=a)
    with pytest.raises(TrainingError, match="attended 2 of 4 sessions, 50%, below the 75%"):
        services.enrolment_complete(actor=tutor, enrolment=b)
    TrainingPolicy.objects.create(council=council, completion_attendance_percent=50)
    services.enrolment_complete(actor=tutor, enrolment=b)
    services.enrolment_complete(actor=tutor, enrolment=c)
    assert Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED).count() == 3
    assert not Enrolment.objects.exclude(completion_override_reason="").exists()


def test_training_policy_is_audited_and_bounded(council, staff):
    admin = staff["administrator"]
    with pytest.raises(TrainingError, match="between 0 and 100"):
        services.training_policy_set(
            actor=admin, council=council, completion_attendance_percent=101
        )
    services.training_policy_set(actor=admin, council=council, completion_attendance_percent=60)
    services.training_policy_set(actor=admin, council=council, completion_attendance_percent=80)
    assert TrainingPolicy.objects.get(council=council).completion_attendance_percent == 80
    changes = [
        e.changes["completion_attendance_percent"]
        for e in AuditEvent.objects.filter(action=AuditAction.RULES_CHANGED).order_by("pk")
    ]
    assert changes == [[None, 60], [60, 80]]


# --- Completing in bulk ----------------------------------------------------------------------


def test_bulk_completion_completes_those_above_and_lists_those_below(course, tutor, learners):
    cohort, placed, held = past_cohort(course, tutor, learners)
    a, b, c = placed
    for s in held:
        mark(s, a, tutor)
        mark(s, b, tutor)
    mark(held[0], c, tutor)
    result = services.enrolments_complete(
        actor=tutor, cohort=cohort, enrolment_ids=[a.pk, b.pk, c.pk]
    )
    assert {e.pk for e in result.completed} == {a.pk, b.pk}
    assert [(e.pk, "25%" in why) for e, why in result.needs_reason] == [(c.pk, True)]
    # Exactly what single completion records: evidence for each skill and the new level.
    skills = course.descriptors.count()
    for e in (a, b):
        assert Evidence.objects.filter(resident=e.resident).count() == skills
        assert (
            PassportLevel.objects.get(resident=e.resident, strand_code="digital").level == "bronze"
        )
    assert not Evidence.objects.filter(resident=c.resident).exists()
    again = services.enrolments_complete(
        actor=tutor, cohort=cohort, enrolment_ids=[c.pk], reasons={c.pk: "Caught up at home"}
    )
    assert [e.pk for e in again.completed] == [c.pk]
    c.refresh_from_db()
    assert c.completion_override_reason == "Caught up at home"


def test_bulk_completion_refuses_strangers_and_repeats_as_a_whole(course, tutor, learners):
    cohort, placed, held = past_cohort(course, tutor, learners)
    for s in held:
        mark(s, placed[0], tutor)
    other = make_cohort(course, tutor)
    stranger = enrol(other, learners[3], tutor)
    with pytest.raises(TrainingError, match="Only learners on this cohort"):
        services.enrolments_complete(
            actor=tutor, cohort=cohort, enrolment_ids=[placed[0].pk, stranger.pk]
        )
    with pytest.raises(TrainingError, match="Select at least one"):
        services.enrolments_complete(actor=tutor, cohort=cohort, enrolment_ids=[])
    assert not Evidence.objects.exists()
    services.enrolment_complete(actor=tutor, enrolment=placed[0])
    with pytest.raises(TrainingError, match="cannot be recorded again"):
        services.enrolments_complete(
            actor=tutor,
            cohort=cohort,
            enrolment_ids=[placed[0].pk, placed[1].pk],
            reasons={placed[1].pk: "x"},
        )
    assert Enrolment.objects.filter(status=EnrolmentStatus.COMPLETED).count() == 1


def test_bulk_completion_before_the_end_is_refused(cohort, tutor, learners):
    enrolment = enrol(cohort, learners[0], tutor)
    with pytest.raises(TrainingError, match="record the outcomes then"):
        services.enrolments_complete(
            actor=tutor, cohort=cohort, enrolment_ids=[enrolment.pk], reasons={enrolment.pk: "x"}
        )
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.ENROLLED
    assert not Evidence.objects.exists()
