"""Writes about what happened on a course: attendance at sessions, and completion (which
records verified evidence in the passport) or non-completion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.skills.services import EvidenceError, LevelChange, course_completion_record
from skillspassport.training.models import (
    HOLDS_PLACE,
    Attendance,
    AttendanceMark,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Session,
    TrainingPolicy,
)
from skillspassport.training.selectors import (
    AttendanceSummary,
    attendance_summaries,
    completion_percent_for,
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


def shortfall(enrolment: Enrolment, summary: AttendanceSummary, threshold: int) -> str | None:
    """Why completing the learner needs a reason (below the council's threshold, or no
    session held), or None when their attendance meets it."""
    if summary.meets(threshold):
        return None
    name = enrolment.resident.full_name
    if summary.held == 0:
        return (
            f"No sessions are recorded for this cohort, so {name}'s attendance is unknown: "
            "add the sessions and registers, or give a reason to complete them anyway."
        )
    return (
        f"{name} {summary.describe()}, below the {threshold}% the council asks for: "
        "give a reason to complete them anyway."
    )


@transaction.atomic
def enrolment_complete(
    *, actor: User, enrolment: Enrolment, override_reason: str = "", request: Any = None
) -> list[LevelChange]:
    """Record completion: verified course-completion evidence for every descriptor the course
    teaches, shown on the cohort's end date, then the passport is recomputed. All or nothing.

    The learner's attendance at the sessions held (excused absences aside) must meet the
    council's threshold; below it, or with no session held, completion needs
    `override_reason`, which is kept on the enrolment."""
    enrolment = _lock_outcome(enrolment)
    cohort = enrolment.cohort
    course = cohort.course
    summary = attendance_summaries(cohort=cohort)[enrolment.pk]
    threshold = completion_percent_for(cohort=cohort)
    below = shortfall(enrolment, summary, threshold)
    override_reason = " ".join(override_reason.split())[:500]
    if below and not override_reason:
        raise TrainingError(below)
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
    enrolment.completion_override_reason = override_reason if below else ""
    enrolment.save(
        update_fields=[
            "status",
            "outcome_recorded_at",
            "outcome_recorded_by",
            "completion_override_reason",
        ]
    )
    text = f"completed {course.title} ({len(descriptors)} skills evidenced); {summary.describe()}"
    if below:
        text += f", below the {threshold}% threshold, with a reason"
    audit_record(
        user=actor,
        action=AuditAction.COURSE_COMPLETED,
        resident=enrolment.resident,
        summary=text,
        fields=["completion_override_reason"] if below else (),
        request=request,
    )
    return changes


@dataclass
class BulkCompletion:
    """What a bulk completion did: who was completed, and who needs a reason first (with why)."""

    completed: list[Enrolment] = field(default_factory=list)
    needs_reason: list[tuple[Enrolment, str]] = field(default_factory=list)


@transaction.atomic
def enrolments_complete(
    *,
    actor: User,
    cohort: Cohort,
    enrolment_ids: Iterable[int],
    reasons: Mapping[int, str] | None = None,
    request: Any = None,
) -> BulkCompletion:
    """Complete several learners of one cohort, each exactly as `enrolment_complete` does.
    Learners below the threshold without a reason in `reasons` are not completed but listed
    back with why. Anyone not a learner of the cohort still awaiting an outcome refuses the
    whole request; any other failure saves nothing."""
    wanted = set(enrolment_ids)
    if not wanted:
        raise TrainingError("Select at least one learner to complete.")
    reasons = reasons or {}
    learners = {
        e.pk: e
        for e in Enrolment.objects.select_related("resident").filter(
            cohort=cohort, pk__in=list(wanted)
        )
    }
    if wanted - set(learners):
        raise TrainingError("Only learners on this cohort can be completed.")
    waiting_outcome = [e for e in learners.values() if e.status == EnrolmentStatus.ENROLLED]
    if len(waiting_outcome) != len(learners):
        names = ", ".join(
            sorted(e.resident.full_name for e in learners.values() if e not in waiting_outcome)
        )
        raise TrainingError(f"An outcome cannot be recorded again for: {names}.")
    if cohort.end_date > timezone.localdate():
        raise TrainingError(
            f"The course ends on {cohort.end_date:%-d %B %Y}: record the outcomes then."
        )
    summaries = attendance_summaries(cohort=cohort)
    threshold = completion_percent_for(cohort=cohort)
    result = BulkCompletion()
    ordered = sorted(
        waiting_outcome, key=lambda e: (e.resident.last_name, e.resident.first_name, e.pk)
    )
    for enrolment in ordered:
        reason = " ".join(reasons.get(enrolment.pk, "").split())
        below = shortfall(enrolment, summaries[enrolment.pk], threshold)
        if below and not reason:
            result.needs_reason.append((enrolment, below))
            continue
        enrolment_complete(
            actor=actor, enrolment=enrolment, override_reason=reason, request=request
        )
        result.completed.append(enrolment)
    return result


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


# --- The council's completion threshold -----------------------------------------------------


@transaction.atomic
def training_policy_set(
    *, actor: User, council: Organisation, completion_attendance_percent: int, request: Any = None
) -> TrainingPolicy:
    """Set the attendance a council's scheme asks for completing a course (0 to 100 per cent)."""
    if not 0 <= completion_attendance_percent <= 100:
        raise TrainingError("The attendance needed must be between 0 and 100 per cent.")
    earlier = TrainingPolicy.objects.select_for_update().filter(council=council).first()
    before = earlier.completion_attendance_percent if earlier else None
    policy, _ = TrainingPolicy.objects.update_or_create(
        council=council,
        defaults={
            "completion_attendance_percent": completion_attendance_percent,
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    audit_record(
        user=actor,
        action=AuditAction.RULES_CHANGED,
        organisation=council,
        summary="Attendance needed to complete a course",
        changes={"completion_attendance_percent": (before, completion_attendance_percent)},
        request=request,
    )
    return policy
