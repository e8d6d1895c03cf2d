"""Reads about training. Every cohort page fetches its cohort through `cohort_get_for_user`.

Provider staff (RUN_TRAINING) see their own organisation's courses and cohorts and the learners
enrolled in them; they do not thereby gain the right to open a learner's full resident record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from skillspassport.accounts.access import Scope, scope_for
from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability, roles_with
from skillspassport.core import disclosure
from skillspassport.people.models import Resident
from skillspassport.skills.models import Descriptor
from skillspassport.targeting.models import TargetingPlan
from skillspassport.training.models import (
    DEFAULT_COMPLETION_PERCENT,
    HOLDS_PLACE,
    PROVIDER_KINDS,
    Attendance,
    AttendanceMark,
    Cohort,
    Course,
    Enrolment,
    EnrolmentStatus,
    Invitation,
    Session,
    TrainingPolicy,
)


def training_scope(*, user: User) -> Scope:
    """Where the user runs training: their providers, voluntary bodies and councils with
    RUN_TRAINING, and the councils whose schemes those work in."""
    return scope_for(user, Capability.RUN_TRAINING).of_kinds(*PROVIDER_KINDS)


def training_organisation_ids(*, user: User) -> frozenset[int]:
    """Organisations (providers, voluntary bodies, councils) whose training the user runs."""
    return training_scope(user=user).organisation_ids


def training_organisations(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(id__in=training_organisation_ids(user=user))


def course_get_for_user(*, user: User, course_id: int) -> Course:
    """A course of an organisation whose training the user runs; Http404 otherwise."""
    course = (
        Course.objects.select_related("provider", "level__strand")
        .filter(pk=course_id, provider_id__in=training_organisation_ids(user=user))
        .first()
    )
    if course is None:
        raise Http404("No such course")
    return course


def cohort_get_for_user(*, user: User, cohort_id: int) -> Cohort:
    """A cohort of an organisation whose training the user runs; Http404 otherwise, so that
    staff of other organisations (and guessed ids) learn nothing."""
    cohort = (
        Cohort.objects.select_related(
            "course__provider", "course__level__strand", "tutor", "ward", "targeting_plan"
        )
        .filter(pk=cohort_id, course__provider_id__in=training_organisation_ids(user=user))
        .first()
    )
    if cohort is None:
        raise Http404("No such cohort")
    return cohort


def tutors_for(*, course: Course) -> QuerySet[User]:
    """Active staff of the course's provider who run training (to lead a cohort)."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation=course.provider,
        memberships__role__in=roles_with(Capability.RUN_TRAINING),
    ).distinct()


def tutor_default(*, course: Course, user: User) -> int | None:
    """The user's id if they may lead a cohort of the course (the cohort form's first choice)."""
    return user.pk if tutors_for(course=course).filter(pk=user.pk).exists() else None


def course_descriptors(*, course: Course) -> QuerySet[Descriptor]:
    """The skills a course already fetched for the user teaches, with their strands."""
    return course.descriptors.select_related("area__strand")


def invitations_count(*, cohort: Cohort) -> int:
    """How many residents have been invited to a cohort already fetched for the user."""
    return Invitation.objects.filter(cohort=cohort).count()


def enrolment_get_for_cohort(*, cohort: Cohort, enrolment_id: int) -> Enrolment:
    """An enrolment of a cohort already fetched through `cohort_get_for_user`."""
    enrolment = (
        Enrolment.objects.select_related("resident", "cohort")
        .filter(pk=enrolment_id, cohort=cohort)
        .first()
    )
    if enrolment is None:
        raise Http404("No such enrolment")
    return enrolment


def session_get_for_cohort(*, cohort: Cohort, session_id: int) -> Session:
    session = Session.objects.filter(pk=session_id, cohort=cohort).first()
    if session is None:
        raise Http404("No such session")
    return session


def plan_get_for_user(*, user: User, plan_id: int) -> TargetingPlan:
    """A targeting plan of a council in whose scheme the user runs training; Http404 otherwise."""
    councils = training_scope(user=user).council_ids
    plan = (
        TargetingPlan.objects.select_related("council")
        .filter(pk=plan_id, council_id__in=councils)
        .first()
    )
    if plan is None:
        raise Http404("No such plan")
    return plan


def plans_for_user(*, user: User) -> QuerySet[TargetingPlan]:
    councils = training_scope(user=user).council_ids
    return TargetingPlan.objects.filter(council_id__in=councils).order_by("name")


def _with_counts(cohorts: QuerySet[Cohort]) -> QuerySet[Cohort]:
    return cohorts.annotate(
        places_taken=Count("enrolments", filter=Q(enrolments__status__in=HOLDS_PLACE)),
        waiting=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING)),
    )


def cohorts_for_user(*, user: User) -> QuerySet[Cohort]:
    """The user's organisations' cohorts, upcoming and running first, then finished."""
    return _with_counts(
        Cohort.objects.filter(
            course__provider_id__in=training_organisation_ids(user=user)
        ).select_related("course__provider", "tutor", "ward")
    ).order_by("-end_date")


def cohorts_to_invite_to(*, user: User, today: date) -> QuerySet[Cohort]:
    """The user's organisations' cohorts that have not finished nor been cancelled, soonest
    first."""
    return (
        cohorts_for_user(user=user)
        .filter(end_date__gte=today, cancelled_at__isnull=True)
        .order_by("start_date")
    )


def cohorts_split(*, user: User, today: date) -> tuple[list[Cohort], list[Cohort]]:
    """(current and upcoming, soonest first; finished, latest first)."""
    cohorts = list(cohorts_for_user(user=user))
    current = sorted((c for c in cohorts if c.end_date >= today), key=lambda c: c.start_date)
    finished = [c for c in cohorts if c.end_date < today]
    return current, finished


def courses_for_user(*, user: User) -> QuerySet[Course]:
    return (
        Course.objects.filter(provider_id__in=training_organisation_ids(user=user))
        .select_related("provider", "level__strand")
        .annotate(descriptor_count=Count("descriptors", distinct=True))
    )


def cohort_learners(*, cohort: Cohort) -> list[Enrolment]:
    """Everyone on the cohort, waiting list included, with their attendance counts."""
    return list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("resident", "referring_organisation")
        .annotate(
            present=Count("attendance", filter=Q(attendance__mark="present")),
            marked=Count("attendance"),
        )
        .order_by("waiting_position", "resident__last_name", "resident__first_name", "pk")
    )


def cohort_live_learners_count(*, cohort: Cohort) -> int:
    """Learners holding a place on the cohort without an outcome yet, or waiting."""
    return Enrolment.objects.filter(
        cohort=cohort, status__in=(EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)
    ).count()


def session_marks_count(*, session: Session) -> int:
    return Attendance.objects.filter(session=session).count()


def cohort_sessions(*, cohort: Cohort) -> list[Session]:
    return list(
        Session.objects.filter(cohort=cohort).annotate(
            marked=Count("attendance"),
            present=Count("attendance", filter=Q(attendance__mark="present")),
        )
    )


def register_learners(*, session: Session) -> list[Enrolment]:
    """Learners holding a place on the session's cohort, with any mark already recorded."""
    return list(
        Enrolment.objects.filter(cohort_id=session.cohort_id, status__in=HOLDS_PLACE)
        .select_related("resident")
        .prefetch_related(
            Prefetch(
                "attendance",
                queryset=Attendance.objects.filter(session=session),
                to_attr="marks",
            )
        )
        .order_by("resident__last_name", "resident__first_name", "pk")
    )


# How far back an adviser may record that a resident was on a course that has ended.
REFERRAL_LOOKBACK_DAYS = 365


def register_marks(*, cohort: Cohort) -> dict[tuple[int, int], str]:
    """Every attendance mark on the cohort, by (enrolment id, session id)."""
    from skillspassport.training.models import Attendance

    return {
        (enrolment_id, session_id): mark
        for enrolment_id, session_id, mark in Attendance.objects.filter(
            session__cohort=cohort
        ).values_list("enrolment_id", "session_id", "mark")
    }


def registers_to_take_for(user: User, *, today: date | None = None) -> QuerySet[Session]:
    """Sessions of the cohorts the user tutors (in organisations whose training they run) that
    started today or earlier, have learners holding a place, and have no attendance recorded
    yet: the registers still to take, oldest first."""
    from skillspassport.training.models import Attendance

    today = today or timezone.localdate()
    end_of_today = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    return (
        Session.objects.filter(
            cohort__tutor=user,
            cohort__course__provider_id__in=training_organisation_ids(user=user),
            starts_at__lt=end_of_today,
        )
        .filter(~Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        .filter(Exists(Enrolment.objects.filter(cohort=OuterRef("cohort"), status__in=HOLDS_PLACE)))
        .select_related("cohort__course")
        .order_by("starts_at", "id")
    )


def cohorts_open_for_referral(*, user: User, today: date) -> QuerySet[Cohort]:
    """Cohorts of providers in the schemes where the user refers residents that are not
    cancelled: upcoming, under way (a late joiner) and, to record a place after the event,
    ended within the last REFERRAL_LOOKBACK_DAYS days."""
    councils = scope_for(user, Capability.REFER_RESIDENTS).council_ids
    return (
        Cohort.objects.filter(
            cancelled_at__isnull=True,
            end_date__gte=today - timedelta(days=REFERRAL_LOOKBACK_DAYS),
        )
        .filter(Q(course__provider__council_id__in=councils) | Q(course__provider_id__in=councils))
        .select_related("course__provider")
        .order_by("start_date", "pk")
    )


def enrolments_of_resident(*, resident: Resident) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(resident=resident)
        .select_related("cohort__course__provider", "referring_organisation")
        .order_by("-cohort__start_date", "-pk")
    )


def enrolments_with_providers_of(*, user: User, resident: Resident) -> QuerySet[Enrolment]:
    """A resident's places on the courses of the user's own training organisations."""
    return enrolments_of_resident(resident=resident).filter(
        cohort__course__provider_id__in=training_organisation_ids(user=user)
    )


# --- Attendance against the council's completion threshold ---------------------------------


def completion_percent_for(*, cohort: Cohort) -> int:
    """The attendance (per cent) the council of the cohort's provider asks for completion."""
    council = cohort.course.provider.scheme_council
    if council is None:
        return DEFAULT_COMPLETION_PERCENT
    row = TrainingPolicy.objects.filter(council=council).first()
    return row.completion_attendance_percent if row else DEFAULT_COMPLETION_PERCENT


def policy_row_of(*, council: Organisation) -> TrainingPolicy | None:
    return TrainingPolicy.objects.filter(council=council).first()


@dataclass(frozen=True)
class AttendanceSummary:
    """A learner's attendance at the sessions of a cohort that have been held."""

    held: int
    present: int
    excused: int

    @property
    def countable(self) -> int:
        """Sessions that count: those held, less the learner's excused absences."""
        return self.held - self.excused

    @property
    def percent(self) -> int | None:
        """Present as a whole per cent of the sessions that count (None when none count)."""
        return round(100 * self.present / self.countable) if self.countable > 0 else None

    def meets(self, threshold: int) -> bool:
        """At or above `threshold` per cent. With no session that counts, never met."""
        return self.countable > 0 and 100 * self.present >= threshold * self.countable

    def describe(self) -> str:
        if self.held == 0:
            return "no sessions of this cohort have been held"
        text = f"attended {self.present} of {self.held} sessions"
        if self.excused:
            text += f" ({self.excused} excused)"
        if self.percent is not None:
            text += f", {self.percent}%"
        return text


def attendance_summaries(
    *, cohort: Cohort, now: datetime | None = None
) -> dict[int, AttendanceSummary]:
    """Attendance of every enrolment on the cohort at its sessions held so far, by enrolment
    id (two queries, however many learners)."""
    now = now or timezone.now()
    held_sessions = Session.objects.filter(cohort=cohort, starts_at__lte=now)
    held = held_sessions.count()
    counts = (
        Attendance.objects.filter(session__in=held_sessions)
        .values("enrolment_id")
        .annotate(
            present=Count("pk", filter=Q(mark=AttendanceMark.PRESENT)),
            excused=Count("pk", filter=Q(mark=AttendanceMark.EXCUSED)),
        )
    )
    by_id = {row["enrolment_id"]: row for row in counts}
    ids = Enrolment.objects.filter(cohort=cohort).values_list("pk", flat=True)
    return {
        pk: AttendanceSummary(
            held=held,
            present=by_id.get(pk, {}).get("present", 0),
            excused=by_id.get(pk, {}).get("excused", 0),
        )
        for pk in ids
    }


# --- Reach of a plan's programme ------------------------------------------------------------


# A count of learners as a plan's reach shows it: the one small-numbers rule.
shown_count = disclosure.people_count


@dataclass(frozen=True)
class Reach:
    enrolled_in_areas: int | str
    enrolled_elsewhere: int | str
    completed_in_areas: int | str
    completed_elsewhere: int | str


def plan_reach(*, plan: TargetingPlan) -> Reach:
    """Learners who took a place on, and who completed, the plan's cohorts: those living in the
    plan's areas against those living elsewhere. Small counts are hidden."""
    in_areas = Q(resident__lsoa_id__in=list(plan.area_codes or []))
    counts = Enrolment.objects.filter(
        cohort__targeting_plan=plan, status__in=HOLDS_PLACE
    ).aggregate(
        enrolled_in=Count("pk", filter=in_areas),
        enrolled_out=Count("pk", filter=~in_areas),
        completed_in=Count("pk", filter=in_areas & Q(status=EnrolmentStatus.COMPLETED)),
        completed_out=Count("pk", filter=~in_areas & Q(status=EnrolmentStatus.COMPLETED)),
    )
    return Reach(
        shown_count(counts["enrolled_in"]),
        shown_count(counts["enrolled_out"]),
        shown_count(counts["completed_in"]),
        shown_count(counts["completed_out"]),
    )


def plan_cohorts(*, plan: TargetingPlan) -> QuerySet[Cohort]:
    return _with_counts(
        Cohort.objects.filter(targeting_plan=plan).select_related("course__provider")
    ).order_by("start_date")


# --- Monitoring figures -------------------------------------------------------------------


def today() -> date:
    return timezone.localdate()


def parse_public_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError):
        return None
