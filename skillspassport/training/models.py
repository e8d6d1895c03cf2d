"""Courses run by providers, their cohorts and sessions, enrolment with a waiting list,
attendance, completion, and invitations to programmes planned for target areas."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from skillspassport.core.querysets import RecordQuerySet


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    ONLINE = "online", "Online"
    BLENDED = "blended", "Blended"


class FundingSource(models.TextChoices):
    ADULT_SKILLS_FUND = "asf", "Adult Skills Fund"
    UKSPF = "ukspf", "UK Shared Prosperity Fund"
    COUNCIL = "council", "Council"
    EMPLOYER = "employer", "Employer"
    OTHER = "other", "Other"


PROVIDER_KINDS = ("provider", "voluntary", "council")


class Course(models.Model):
    provider = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="courses"
    )
    title = models.CharField(max_length=150)
    description = models.TextField(max_length=3000, blank=True)
    descriptors = models.ManyToManyField(
        "skills.Descriptor",
        related_name="courses",
        help_text="The framework descriptors the course teaches; completion evidences them.",
    )
    level = models.ForeignKey(
        "skills.ScaleStep",
        on_delete=models.PROTECT,
        related_name="courses",
        help_text="The step of the strand's scale the course aims at.",
    )
    delivery_mode = models.CharField(max_length=10, choices=DeliveryMode.choices)
    funding_source = models.CharField(max_length=10, choices=FundingSource.choices)
    hours = models.PositiveSmallIntegerField(help_text="Guided learning hours.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "title"], name="unique_course_title"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="course_has_hours"),
        ]

    def __str__(self) -> str:
        return self.title


class Cohort(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="cohorts")
    venue_name = models.CharField(max_length=150)
    venue_postcode = models.CharField(max_length=8)
    lsoa = models.ForeignKey(
        "areas.Lsoa", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        "areas.Ward", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField()
    capacity = models.PositiveSmallIntegerField()
    waiting_list_open = models.BooleanField(default=True)
    tutor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cohorts_taught"
    )
    targeting_plan = models.ForeignKey(
        "targeting.TargetingPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cohorts",
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="cohort_ends_after_start"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="cohort_has_places"),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True, cancellation_reason="")
                | (Q(cancelled_at__isnull=False) & ~Q(cancellation_reason="")),
                name="cancelled_cohort_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title}, {self.venue_name}, from {self.start_date:%-d %B %Y}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def in_plan_area(self) -> bool:
        return bool(
            self.targeting_plan_id
            and self.lsoa_id
            and self.lsoa_id in (self.targeting_plan.area_codes or [])  # type: ignore[union-attr]
        )


class Session(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "starts_at"], name="unique_session_time"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.starts_at):%a %-d %b %Y, %H:%M}"


class EnrolmentStatus(models.TextChoices):
    WAITING = "waiting", "On the waiting list"
    ENROLLED = "enrolled", "Enrolled"
    WITHDRAWN = "withdrawn", "Withdrawn"
    COMPLETED = "completed", "Completed"
    NOT_COMPLETED = "not_completed", "Did not complete"
    CANCELLED = "cancelled", "Cohort cancelled"


HOLDS_PLACE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NOT_COMPLETED)


class EnrolmentSource(models.TextChoices):
    DIRECT = "direct", "Enrolled by the provider"
    REFERRAL = "referral", "Referred by an adviser"
    INVITATION = "invitation", "Invited from a targeting plan"


class EnrolmentQuerySet(RecordQuerySet["Enrolment"]):
    def started_between(self, first: date, last: date) -> EnrolmentQuerySet:
        """Training starts: learners who took a place on the days `first` to `last`. A place
        ended by the cohort's cancellation before its first day was never a start."""
        return self._within_days("enrolled_at", first, last).exclude(
            status=EnrolmentStatus.CANCELLED, withdrawn_at__date__lt=F("cohort__start_date")
        )

    def completed_between(self, first: date, last: date) -> EnrolmentQuerySet:
        """Training completions: completions recorded on the days `first` to `last`."""
        return self.filter(status=EnrolmentStatus.COMPLETED)._within_days(
            "outcome_recorded_at", first, last
        )

    def on_courses_of(self, provider_ids: Collection[int]) -> EnrolmentQuerySet:
        """Enrolments on courses the organisations run."""
        return self.filter(cohort__course__provider_id__in=list(provider_ids))


class Enrolment(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.PROTECT, related_name="enrolments")
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, related_name="enrolments"
    )
    status = models.CharField(max_length=15, choices=EnrolmentStatus.choices)
    waiting_position = models.PositiveSmallIntegerField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=EnrolmentSource.choices)
    referring_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_referrals",
    )
    requested_at = models.DateTimeField(default=timezone.now)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    enrolled_at = models.DateTimeField(
        null=True, blank=True, help_text="When the learner took a place (a training start)."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawal_reason = models.CharField(max_length=500, blank=True)
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    non_completion_reason = models.CharField(max_length=500, blank=True)
    completion_override_reason = models.CharField(
        max_length=500,
        blank=True,
        help_text="Why the learner was completed below the council's attendance threshold.",
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["resident__last_name", "resident__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "resident"], name="unique_enrolment"),
            models.CheckConstraint(
                condition=Q(status="waiting", waiting_position__isnull=False)
                | (~Q(status="waiting") & Q(waiting_position__isnull=True)),
                name="waiting_list_has_position",
            ),
            models.CheckConstraint(
                condition=~Q(source="referral") | Q(referring_organisation__isnull=False),
                name="referral_has_organisation",
            ),
        ]
        indexes = [models.Index(fields=["cohort", "status"])]

    def __str__(self) -> str:
        return f"{self.resident} on {self.cohort}"


DEFAULT_COMPLETION_PERCENT = 75


class TrainingPolicy(models.Model):
    """A council's rule for completing a course: the share of a cohort's sessions held (less
    any excused absences) a learner must have attended. Below it, completion needs a reason."""

    council = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="training_policy",
        limit_choices_to={"kind": "council"},
    )
    completion_attendance_percent = models.PositiveSmallIntegerField(
        default=DEFAULT_COMPLETION_PERCENT,
        help_text="Attendance (per cent of sessions held) needed to complete a course.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "training policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(completion_attendance_percent__lte=100),
                name="completion_percent_at_most_100",
            )
        ]

    def __str__(self) -> str:
        return f"Training policy of {self.council}"


class AttendanceMark(models.TextChoices):
    PRESENT = "present", "Present"
    ABSENT = "absent", "Absent"
    EXCUSED = "excused", "Excused absence"


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    mark = models.CharField(max_length=10, choices=AttendanceMark.choices)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="unique_attendance")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} at {self.session_id}: {self.mark}"


class Invitation(models.Model):
    """A resident from a plan's outreach list invited to a cohort."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="invitations")
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, related_name="training_invitations"
    )
    plan = models.ForeignKey(
        "targeting.TargetingPlan", on_delete=models.PROTECT, related_name="invitations"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "resident"], name="unique_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.resident} invited to {self.cohort}"
