"""Writes about who holds a place: enrolment and the waiting list, and invitations from a
targeting plan.

Every write that changes who holds a place locks the cohort row first, so capacity holds when
several people enrol at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.people.models import Resident
from skillspassport.targeting.models import TargetingPlan
from skillspassport.targeting.outreach import outreach_list
from skillspassport.training import notifications
from skillspassport.training.models import (
    HOLDS_PLACE,
    Cohort,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    Invitation,
)
from skillspassport.training.services.errors import TrainingError

# --- Enrolment and the waiting list ---------------------------------------------------------


def lock_cohort(cohort: Cohort) -> Cohort:
    return Cohort.objects.select_for_update().get(pk=cohort.pk)


def places_taken(cohort: Cohort) -> int:
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

    Allowed at any point of the cohort's life: before it starts, while it runs (a late
    joiner), and after it ended, to record who was on it (then there is no waiting list and
    the place dates from the first day). Never on a cancelled cohort.

    The caller has checked that `actor` may act for the cohort (provider staff) or for the
    resident (a referring adviser).
    """
    cohort = lock_cohort(cohort)
    if cohort.is_cancelled:
        raise TrainingError("This cohort was cancelled, so nobody can join it.")
    finished = cohort.end_date < timezone.localdate()
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
    if places_taken(cohort) < cohort.capacity:
        enrolment.status = EnrolmentStatus.ENROLLED
        # Recorded after the course ended: the place was taken when the course began.
        enrolment.enrolled_at = (
            timezone.make_aware(datetime.combine(cohort.start_date, time.min)) if finished else now
        )
        summary = f"place on {cohort}"
        if finished:
            summary += ", recorded after the course ended"
    elif finished:
        raise TrainingError(
            f"All {cohort.capacity} places on this course were taken, so nobody else can be "
            "recorded as having been on it: change the number of places first if that is wrong."
        )
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
    if source == EnrolmentSource.REFERRAL:
        notifications.learner_referred(enrolment)
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
    cohort = lock_cohort(enrolment.cohort)
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
    return move_in_waiting(actor, cohort, request)


def _close_gap(cohort: Cohort, position: int) -> None:
    Enrolment.objects.filter(
        cohort=cohort, status=EnrolmentStatus.WAITING, waiting_position__gt=position
    ).update(waiting_position=F("waiting_position") - 1)


def move_in_waiting(actor: User, cohort: Cohort, request: Any) -> Enrolment | None:
    if places_taken(cohort) >= cohort.capacity:
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
    if cohort.is_cancelled:
        raise TrainingError("This cohort was cancelled, so nobody can be invited to it.")
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
