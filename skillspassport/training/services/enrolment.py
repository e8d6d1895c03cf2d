"""Writes about training: courses, cohorts, sessions, enrolment and the waiting list,
attendance, completion (which records verified evidence) and invitations.

Every write that changes who holds a place locks the cohort row first, so capacity holds when
several people enrol at once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.areas.selectors import areas_for_postcode
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.people.models import Resident
from skillspassport.skills.models import Descriptor, EvidenceMethod, ScaleStep
from skillspassport.skills.services import EvidenceError, LevelChange, evidence_record
from skillspassport.targeting.models import TargetingPlan
from skillspassport.targeting.outreach import outreach_list
from skillspassport.training.models import (
    HOLDS_PLACE,
    Attendance,
    AttendanceMark,
    Cohort,
    Course,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Invitation,
    Session,
)

MAX_WEEKS = 52


class TrainingError(Exception):
    """A request the training rules refuse; the message is shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Courses and cohorts ------------------------------------------------------------------


@transaction.atomic
def course_save(
    *,
    actor: User,
    provider: Organisation,
    title: str,
    description: str,
    descriptors: Iterable[Descriptor],
    level: ScaleStep,
    delivery_mode: str,
    funding_source: str,
    hours: int,
    course: Course | None = None,
) -> Course:
    """Create a course (or change `course`); the title is unique within the provider."""
    descriptors = list(descriptors)
    if not descriptors:
        raise TrainingError("Choose at least one skill the course teaches.")
    clash = Course.objects.filter(provider=provider, title__iexact=title.strip())
    if course is not None:
        clash = clash.exclude(pk=course.pk)
    if clash.exists():
        raise TrainingError(f"{provider} already has a course called “{title.strip()}”.")
    if course is None:
        course = Course(provider=provider, created_by=actor)
    course.title = title.strip()
    course.description = description.strip()
    course.level = level
    course.delivery_mode = delivery_mode
    course.funding_source = funding_source
    course.hours = hours
    course.save()
    course.descriptors.set(descriptors)
    return course


@transaction.atomic
def cohort_create(
    *,
    actor: User,
    course: Course,
    venue_name: str,
    venue_postcode: str,
    start_date: date,
    end_date: date,
    capacity: int,
    waiting_list_open: bool,
    tutor: User,
    targeting_plan: TargetingPlan | None = None,
) -> Cohort:
    if end_date < start_date:
        raise TrainingError("The end date must be on or after the start date.")
    postcode = normalise_postcode(venue_postcode) or venue_postcode.strip().upper()
    areas = areas_for_postcode(postcode)
    return Cohort.objects.create(
        course=course,
        venue_name=venue_name.strip(),
        venue_postcode=postcode,
        lsoa_id=areas.lsoa_code,
        ward_id=areas.ward_code,
        start_date=start_date,
        end_date=end_date,
        capacity=capacity,
        waiting_list_open=waiting_list_open,
        tutor=tutor,
        targeting_plan=targeting_plan,
        created_by=actor,
    )


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at))


@transaction.atomic
def sessions_add(
    *,
    actor: User,
    cohort: Cohort,
    first_date: date,
    start_time: time,
    end_time: time,
    weeks: int = 1,
) -> list[Session]:
    """Add one session, or one a week for `weeks` weeks, inside the cohort's dates."""
    if end_time <= start_time:
        raise TrainingError("The session must end after it starts.")
    if not 1 <= weeks <= MAX_WEEKS:
        raise TrainingError(f"Number of weeks must be between 1 and {MAX_WEEKS}.")
    days = [first_date + timedelta(weeks=n) for n in range(weeks)]
    if days[0] < cohort.start_date or days[-1] > cohort.end_date:
        raise TrainingError(
            f"Sessions must fall between the cohort's start ({cohort.start_date:%-d %B %Y}) "
            f"and end ({cohort.end_date:%-d %B %Y})."
        )
    starts = [_aware(d, start_time) for d in days]
    taken = set(
        Session.objects.filter(cohort=cohort, starts_at__in=starts).values_list(
            "starts_at", flat=True
        )
    )
    if taken:
        first = timezone.localtime(min(taken))
        raise TrainingError(f"There is already a session at {first:%H:%M on %-d %B %Y}.")
    return Session.objects.bulk_create(
        Session(cohort=cohort, starts_at=s, ends_at=_aware(d, end_time))
        for s, d in zip(starts, days, strict=True)
    )


# --- Enrolment and the waiting list ---------------------------------------------------------


def _lock(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def _places_taken(cohort: Cohort) -> int:
    return Enrolment.objects.filter(cohort=cohort, status__in=HOLDS_PLACE).count()


@transaction.atomic
def enrolment_create(
    *,
    actor: User,
    cohort: Cohort,
    resident: Resident,
    source: str = EnrolmentSource.DIRECT,
    referring_organisation: Organisation | None = None,
    request: Any = None,
) -> Enrolment:
    """Give the resident a place, or a place on the waiting list when the cohort is full.

    The caller has checked that `actor` may act for the cohort (provider staff) or for the
    resident (a referring adviser).
    """
    cohort = _lock(cohort)
    today = timezone.localdate()
    if cohort.end_date < today:
        raise TrainingError("This course has finished, so nobody can be enrolled on it.")
    if cohort.start_date < today:
        raise TrainingError("This course has already started, so new learners cannot join it.")
    existing = Enrolment.objects.filter(cohort=cohort, resident=resident).first()
    if existing is not None and existing.status == EnrolmentStatus.WITHDRAWN:
        # The withdrawn enrolment stays as it was, so past training-start figures hold.
        raise TrainingError(
            f"{resident.full_name} was withdrawn from this cohort, so cannot rejoin it: "
            "enrol them on another cohort of the course."
        )
    if existing is not None:
        raise TrainingError(
            f"{resident.full_name} is already on this course "
            f"({existing.get_status_display().lower()})."
        )
    if source == EnrolmentSource.REFERRAL and referring_organisation is None:
        raise TrainingError("A referral must say which organisation referred the resident.")
    if (
        source == EnrolmentSource.DIRECT
        and Invitation.objects.filter(cohort=cohort, resident=resident).exists()
    ):
        source = EnrolmentSource.INVITATION
    now = timezone.now()
    enrolment = Enrolment(
        cohort=cohort,
        resident=resident,
        source=source,
        referring_organisation=referring_organisation,
        requested_by=actor,
        requested_at=now,
    )
    if _places_taken(cohort) < cohort.capacity:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_at = now
        summary = f"place on {cohort}"
    elif cohort.waiting_list_open:
        last = Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.WAITING).aggregate(
            last=Max("waiting_position")
        )["last"]
        enrolment.status = EnrolmentStatus.WAITING
        enrolment.waiting_position = (last or 0) + 1
        summary = f"waiting list (number {enrolment.waiting_position}) for {cohort}"
    else:
        raise TrainingError("This course is full and its waiting list is closed.")
    try:
        with transaction.atomic():
            enrolment.save()
    except IntegrityError as exc:
        raise TrainingError(f"{resident.full_name} is already on this course.") from exc
    if source == EnrolmentSource.REFERRAL and referring_organisation is not None:
        summary += f", referred by {referring_organisation}"
    audit_record(
        user=actor, action=AuditAction.ENROLLED, resident=resident, summary=summary, request=request
    )
    return enrolment


@transaction.atomic
def enrolment_withdraw(
    *, actor: User, enrolment: Enrolment, reason: str, request: Any = None
) -> Enrolment | None:
    """Withdraw a learner (or someone waiting). When a place frees on a cohort that has not
    finished, the first person on the waiting list is moved into it. Returns who moved in."""
    reason = reason.strip()
    if not reason:
        raise TrainingError("Enter the reason for withdrawing.")
    cohort = _lock(enrolment.cohort)
    enrolment = Enrolment.objects.select_related("resident").get(pk=enrolment.pk)
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
        raise TrainingError(
            f"{enrolment.resident.full_name} cannot be withdrawn: "
            f"{enrolment.get_status_display().lower()}."
        )
    was_waiting = enrolment.status == EnrolmentStatus.WAITING
    position = enrolment.waiting_position
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.waiting_position = None
    enrolment.withdrawn_at = timezone.now()
    enrolment.withdrawal_reason = reason
    enrolment.save(
        update_fields=["status", "waiting_position", "withdrawn_at", "withdrawal_reason"]
    )
    audit_record(
        user=actor,
        action=AuditAction.ENROLMENT_CHANGED,
        resident=enrolment.resident,
        summary=f"withdrawn from {cohort}",
        fields=["withdrawal_reason"],
        request=request,
    )
    if was_waiting:
        _close_gap(cohort, position or 0)
        return None
    if cohort.end_date < timezone.localdate():
        return None
    return _move_in_first_waiting(actor, cohort, request)


def _close_gap(cohort: Cohort, position: int) -> None:
    Enrolment.objects.filter(
        cohort=cohort, status=EnrolmentStatus.WAITING, waiting_position__gt=position
    ).update(waiting_position=F("waiting_position") - 1)


def _move_in_first_waiting(actor: User, cohort: Cohort, request: Any) -> Enrolment | None:
    if _places_taken(cohort) >= cohort.capacity:
        return None
    first = (
        Enrolment.objects.select_related("resident")
        .filter(cohort=cohort, status=EnrolmentStatus.WAITING)
        .order_by("waiting_position")
        .first()
    )
    if first is None:
        return None
    first.status = EnrolmentStatus.ENROLLED
    first.waiting_position = None
    first.enrolled_at = timezone.now()
    first.save(update_fields=["status", "waiting_position", "enrolled_at"])
    _close_gap(cohort, 1)
    audit_record(
        user=actor,
        action=AuditAction.ENROLMENT_CHANGED,
        resident=first.resident,
        summary=f"moved from the waiting list into a place on {cohort}",
        request=request,
    )
    return first


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
        _items, changes = evidence_record(
            user=actor,
            resident=enrolment.resident,
            descriptors=descriptors,
            method=EvidenceMethod.COURSE_COMPLETION,
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


# --- Invitations from a targeting plan --------------------------------------------------------


@transaction.atomic
def invitations_send(
    *,
    actor: User,
    cohort: Cohort,
    plan: TargetingPlan,
    resident_ids: Iterable[int],
    request: Any = None,
) -> int:
    """Invite residents from the plan's outreach list (only those with active consent to be
    contacted) to the cohort. Returns how many were newly invited."""
    if cohort.end_date < timezone.localdate():
        raise TrainingError("This course has finished, so nobody can be invited to it.")
    wanted = set(resident_ids)
    if not wanted:
        raise TrainingError("Choose at least one resident to invite.")
    listed = {r.pk: r for r in outreach_list(user=actor, plan=plan).residents}
    if wanted - set(listed):
        raise TrainingError(
            "Only residents on the plan's outreach list, who have agreed to be contacted, "
            "can be invited."
        )
    already = set(
        Invitation.objects.filter(cohort=cohort, resident_id__in=wanted).values_list(
            "resident_id", flat=True
        )
    )
    new = sorted(wanted - already)
    Invitation.objects.bulk_create(
        Invitation(cohort=cohort, resident_id=pk, plan=plan, invited_by=actor) for pk in new
    )
    for pk in new:
        audit_record(
            user=actor,
            action=AuditAction.INVITED,
            resident=listed[pk],
            summary=f"invited to {cohort} (plan '{plan.name}')",
            request=request,
        )
    return len(new)
