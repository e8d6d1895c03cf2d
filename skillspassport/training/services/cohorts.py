"""Writes that change a cohort once it exists: its details, its cancellation, and deleting
one of its sessions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.areas.selectors import areas_for_postcode
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.targeting.models import TargetingPlan
from skillspassport.training.models import (
    Attendance,
    AttendanceMark,
    Cohort,
    Enrolment,
    EnrolmentStatus,
    Session,
)
from skillspassport.training.services.courses import check_cohort_dates
from skillspassport.training.services.enrolment import (
    lock_cohort,
    move_in_waiting,
    places_taken,
)
from skillspassport.training.services.errors import TrainingError

OUTCOMES = (EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)


def _refuse_if_cancelled(cohort: Cohort) -> None:
    if cohort.is_cancelled:
        raise TrainingError("This cohort was cancelled, so it cannot be changed.")


def _plain(value: object) -> object:
    if isinstance(value, date):
        return value.isoformat()
    return value


@transaction.atomic
def cohort_update(
    *,
    actor: User,
    cohort: Cohort,
    venue_name: str,
    venue_postcode: str,
    start_date: date,
    end_date: date,
    capacity: int,
    waiting_list_open: bool,
    tutor: User,
    targeting_plan: TargetingPlan | None = None,
    request: Any = None,
) -> list[Enrolment]:
    """Change a cohort's details. Refused (nothing saved) when fewer places are left than
    learners hold, when sessions would fall outside the new dates, or when the dates change
    after outcomes are recorded (completion evidence carries the end date). New places are
    filled from the waiting list at once; returns who moved in."""
    cohort = lock_cohort(cohort)
    _refuse_if_cancelled(cohort)
    check_cohort_dates(start_date, end_date)
    taken = places_taken(cohort)
    if capacity < taken:
        raise TrainingError(
            f"{taken} learners hold places on this cohort: keep at least {taken} places, "
            "or withdraw learners first."
        )
    dates_changed = (start_date, end_date) != (cohort.start_date, cohort.end_date)
    if dates_changed:
        if Enrolment.objects.filter(cohort=cohort, status__in=OUTCOMES).exists():
            raise TrainingError(
                "Outcomes are already recorded for this cohort, so its dates cannot change: "
                "completion evidence is dated on the cohort's end date."
            )
        outside = [
            s
            for s in Session.objects.filter(cohort=cohort)
            if not start_date <= timezone.localdate(s.starts_at) <= end_date
        ]
        if outside:
            first = timezone.localtime(outside[0].starts_at)
            raise TrainingError(
                f"{len(outside)} session{'s' if len(outside) != 1 else ''} would fall outside "
                f"the new dates (the first on {first:%-d %B %Y}): delete "
                f"{'them' if len(outside) != 1 else 'it'} first or choose other dates."
            )
    postcode = normalise_postcode(venue_postcode) or venue_postcode.strip().upper()
    new = {
        "venue_name": venue_name.strip(),
        "venue_postcode": postcode,
        "start_date": start_date,
        "end_date": end_date,
        "capacity": capacity,
        "waiting_list_open": waiting_list_open,
        "tutor_id": tutor.pk,
        "targeting_plan_id": targeting_plan.pk if targeting_plan else None,
    }
    changes = {
        field: (_plain(getattr(cohort, field)), _plain(value))
        for field, value in new.items()
        if getattr(cohort, field) != value
    }
    if not changes:
        return []
    for field, value in new.items():
        setattr(cohort, field, value)
    if "venue_postcode" in changes:
        areas = areas_for_postcode(postcode)
        cohort.lsoa_id, cohort.ward_id = areas.lsoa_code, areas.ward_code
    cohort.save()
    audit_record(
        user=actor,
        action=AuditAction.RULES_CHANGED,
        organisation=cohort.course.provider,
        summary=f"Changed cohort {cohort.pk} ({cohort})",
        changes=changes,
        request=request,
    )
    moved: list[Enrolment] = []
    if cohort.end_date >= timezone.localdate():
        while (joined := move_in_waiting(actor, cohort, request)) is not None:
            moved.append(joined)
    return moved


@transaction.atomic
def cohort_cancel(*, actor: User, cohort: Cohort, reason: str, request: Any = None) -> int:
    """Cancel a cohort: everyone holding a place or waiting is marked *cohort cancelled* (their
    place is not a completion and no evidence is recorded) and the cohort takes nobody new.
    Refused once any outcome is recorded. Returns how many learners were affected."""
    reason = " ".join(reason.split())
    if not reason:
        raise TrainingError("Enter the reason the cohort is cancelled.")
    cohort = lock_cohort(cohort)
    if cohort.is_cancelled:
        raise TrainingError("This cohort is already cancelled.")
    recorded = Enrolment.objects.filter(cohort=cohort, status__in=OUTCOMES).count()
    if recorded:
        raise TrainingError(
            f"Outcomes are recorded for {recorded} learner{'s' if recorded != 1 else ''}, "
            "so this cohort ran and cannot be cancelled."
        )
    now = timezone.now()
    affected = list(
        Enrolment.objects.select_related("resident").filter(
            cohort=cohort, status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)
        )
    )
    for enrolment in affected:
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.waiting_position = None
        enrolment.withdrawn_at = now
        enrolment.withdrawal_reason = f"Cohort cancelled: {reason}"[:500]
        enrolment.save(
            update_fields=["status", "waiting_position", "withdrawn_at", "withdrawal_reason"]
        )
        audit_record(
            user=actor,
            action=AuditAction.ENROLMENT_CHANGED,
            resident=enrolment.resident,
            summary=f"place ended: cohort {cohort.pk} ({cohort}) cancelled",
            fields=["withdrawal_reason"],
            request=request,
        )
    cohort.cancelled_at = now
    cohort.cancelled_by = actor
    cohort.cancellation_reason = reason[:500]
    cohort.save(update_fields=["cancelled_at", "cancelled_by", "cancellation_reason"])
    audit_record(
        user=actor,
        action=AuditAction.RULES_CHANGED,
        organisation=cohort.course.provider,
        summary=f"Cancelled cohort {cohort.pk} ({cohort}); {len(affected)} learners affected",
        changes={"cancellation_reason": ("", cohort.cancellation_reason)},
        request=request,
    )
    return len(affected)


@transaction.atomic
def session_delete(
    *, actor: User, session: Session, remove_attendance: bool = False, request: Any = None
) -> int:
    """Delete a session. When attendance is recorded at it, `remove_attendance` must confirm
    that the marks go with it (each removal audited). Returns how many marks were removed."""
    cohort = lock_cohort(session.cohort)
    _refuse_if_cancelled(cohort)
    marks = list(Attendance.objects.select_related("enrolment__resident").filter(session=session))
    if marks and not remove_attendance:
        raise TrainingError(
            f"Attendance is recorded for {len(marks)} learner{'s' if len(marks) != 1 else ''} "
            "at this session: confirm that it is removed with the session."
        )
    when = str(session)
    for mark in marks:
        audit_record(
            user=actor,
            action=AuditAction.ATTENDANCE_RECORDED,
            resident=mark.enrolment.resident,
            summary=(
                f"{AttendanceMark(mark.mark).label} mark removed: session {when} of cohort "
                f"{cohort.pk} deleted"
            ),
            request=request,
        )
    session.delete()
    audit_record(
        user=actor,
        action=AuditAction.RULES_CHANGED,
        organisation=cohort.course.provider,
        summary=f"Deleted session {when} of cohort {cohort.pk} ({len(marks)} marks removed)",
        request=request,
    )
    return len(marks)
