"""Writes about what happened on a course: attendance at sessions, and completion (which
records verified evidence in the passport) or non-completion."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.skills.services import EvidenceError, LevelChange, course_completion_record
from skillspassport.training.models import (
    HOLDS_PLACE,
    Attendance,
    AttendanceMark,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from skillspassport.training.services.errors import TrainingError

# --- Attendance ---------------------------------------------------------------------------


@transaction.atomic
def attendance_record(
    *, actor: User, session: Session, marks: Mapping[int, str], request: Any = None
) -> int:
    """Record present/absent/excused for learners (by enrolment id) at one session.

    Refused as a whole if any id is not a learner holding a place on the session's cohort.
    Returns how many marks were new or changed.
    """
    if session.starts_at > timezone.now():
        raise TrainingError("Attendance can only be recorded once the session has started.")
    valid_marks = set(AttendanceMark.values)
    if any(mark not in valid_marks for mark in marks.values()):
        raise TrainingError("Choose present, absent or excused for each learner.")
    learners = {
        e.pk: e
        for e in Enrolment.objects.select_related("resident").filter(
            cohort_id=session.cohort_id, status__in=HOLDS_PLACE, pk__in=list(marks)
        )
    }
    strangers = set(marks) - set(learners)
    if strangers:
        raise TrainingError("Attendance can only be recorded for learners enrolled on the course.")
    existing = {a.enrolment_id: a for a in Attendance.objects.filter(session=session)}
    changed = 0
    now = timezone.now()
    for enrolment_id, mark in marks.items():
        held = existing.get(enrolment_id)
        if held is not None and held.mark == mark:
            continue
        if held is None:
            Attendance.objects.create(
                session=session,
                enrolment_id=enrolment_id,
                mark=mark,
                recorded_by=actor,
                recorded_at=now,
            )
        else:
            held.mark, held.recorded_by, held.recorded_at = mark, actor, now
            held.save(update_fields=["mark", "recorded_by", "recorded_at"])
        changed += 1
        audit_record(
            user=actor,
            action=AuditAction.ATTENDANCE_RECORDED,
            resident=learners[enrolment_id].resident,
            summary=f"{AttendanceMark(mark).label} at session {session} of {session.cohort_id}",
            request=request,
        )
    return changed


# --- Completion -----------------------------------------------------------------------------


def _lock_outcome(enrolment: Enrolment) -> Enrolment:
    locked = (
        Enrolment.objects.select_for_update()
        .select_related("resident__organisation", "cohort__course__provider")
        .get(pk=enrolment.pk)
    )
    if locked.status != EnrolmentStatus.ENROLLED:
        raise TrainingError(
            f"An outcome cannot be recorded for {locked.resident.full_name}: "
            f"{locked.get_status_display().lower()}."
        )
    if locked.cohort.end_date > timezone.localdate():
        raise TrainingError(
            f"The course ends on {locked.cohort.end_date:%-d %B %Y}: record the outcome then."
        )
    return locked


@transaction.atomic
def enrolment_complete(
    *, actor: User, enrolment: Enrolment, request: Any = None
) -> list[LevelChange]:
    """Record completion: verified course-completion evidence for every descriptor the course
    teaches, shown on the cohort's end date, then the passport is recomputed. All or nothing."""
    enrolment = _lock_outcome(enrolment)
    cohort = enrolment.cohort
    course = cohort.course
    descriptors = list(course.descriptors.all())
    try:
        _items, changes = course_completion_record(
            user=actor,
            resident=enrolment.resident,
            descriptors=descriptors,
            shown_on=cohort.end_date,
            note=f"Completed “{course.title}” with {course.provider}",
            request=request,
        )
    except EvidenceError as exc:
        raise TrainingError(str(exc)) from exc
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.outcome_recorded_at = timezone.now()
    enrolment.outcome_recorded_by = actor
    enrolment.save(update_fields=["status", "outcome_recorded_at", "outcome_recorded_by"])
    audit_record(
        user=actor,
        action=AuditAction.COURSE_COMPLETED,
        resident=enrolment.resident,
        summary=f"completed {course.title} ({len(descriptors)} skills evidenced)",
        request=request,
    )
    return changes


@transaction.atomic
def enrolment_not_complete(
    *, actor: User, enrolment: Enrolment, reason: str, request: Any = None
) -> None:
    reason = reason.strip()
    if not reason:
        raise TrainingError("Enter the reason the learner did not complete.")
    enrolment = _lock_outcome(enrolment)
    enrolment.status = EnrolmentStatus.NOT_COMPLETED
    enrolment.non_completion_reason = reason
    enrolment.outcome_recorded_at = timezone.now()
    enrolment.outcome_recorded_by = actor
    enrolment.save(
        update_fields=[
            "status",
            "non_completion_reason",
            "outcome_recorded_at",
            "outcome_recorded_by",
        ]
    )
    audit_record(
        user=actor,
        action=AuditAction.COURSE_COMPLETED,
        resident=enrolment.resident,
        summary=f"did not complete {enrolment.cohort.course.title}",
        fields=["non_completion_reason"],
        request=request,
    )
