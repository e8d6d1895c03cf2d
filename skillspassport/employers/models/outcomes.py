"""Referrals to opportunities, job starts and their sustainment checks."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone

from skillspassport.core.querysets import RecordQuerySet
from skillspassport.employers.models.organisations import Opportunity, OpportunityType


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    INTERVIEW_BOOKED = "interview_booked", "Interview booked"
    INTERVIEWED = "interviewed", "Interviewed"
    OFFERED = "offered", "Offered"
    STARTED = "started", "Started"
    UNSUCCESSFUL = "unsuccessful", "Unsuccessful"
    DECLINED = "declined", "Declined by the resident"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (
    ReferralStatus.REFERRED,
    ReferralStatus.INTERVIEW_BOOKED,
    ReferralStatus.INTERVIEWED,
    ReferralStatus.OFFERED,
)


class WithdrawalCause(models.TextChoices):
    RECORDED = "recorded", "Withdrawn by the adviser or the employer"
    CONSENT = "consent", "The resident withdrew consent to be put forward to employers"


FULFILLED_ON = "fulfilled_on"  # the annotation `with_fulfilled_on` adds


class ReferralQuerySet(RecordQuerySet["Referral"]):
    def with_fulfilled_on(self) -> ReferralQuerySet:
        """Referrals on pledged opportunities, each with `fulfilled_on`: the day it reached what
        the pledge promises — an interview for a guaranteed-interview pledge, a start for the
        others — or None while it has not. The one definition of a pledge fulfilled."""
        interview = Q(opportunity__pledge__opportunity_type=OpportunityType.GUARANTEED_INTERVIEW)
        return self.filter(opportunity__pledge__isnull=False).annotate(
            **{
                FULFILLED_ON: Case(
                    When(interview, then=F("interviewed_on")),
                    default=F("started_on"),
                    output_field=models.DateField(),
                )
            }
        )

    def pledges_fulfilled_between(self, first: date, last: date) -> ReferralQuerySet:
        """Referrals that fulfilled their pledge on the days `first` to `last`."""
        return self.with_fulfilled_on().filter(
            **{f"{FULFILLED_ON}__gte": first, f"{FULFILLED_ON}__lte": last}
        )


class Referral(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="referrals")
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, related_name="referrals"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=16, choices=ReferralStatus, default=ReferralStatus.REFERRED
    )
    interview_at = models.DateTimeField(
        null=True, blank=True, help_text="When the interview is (or was) booked for."
    )
    interviewed_on = models.DateField(null=True, blank=True)
    offered_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(
        null=True, blank=True, help_text="The day it was unsuccessful or the resident declined."
    )
    closed_stage = models.CharField(max_length=16, choices=ReferralStatus, blank=True)
    closed_note = models.CharField(max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_stage = models.CharField(max_length=16, choices=ReferralStatus, blank=True)
    withdrawal_reason = models.CharField(max_length=500, blank=True)
    withdrawal_cause = models.CharField(
        max_length=10,
        choices=WithdrawalCause,
        blank=True,
        help_text="Why the referral closed: withdrawn by someone, or consent withdrawn.",
    )
    job_start = models.OneToOneField(
        "employers.JobStart",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "resident"],
                condition=~Q(status="withdrawn"),
                name="one_live_referral_per_opportunity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resident} → {self.opportunity}"

    @property
    def is_open(self) -> bool:
        """Still on its way: referred, interview booked, interviewed or offered."""
        return self.status in OPEN_STATUSES


class ContractType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed term or temporary"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    ZERO_HOURS = "zero_hours", "Zero hours"
    SELF_EMPLOYED = "self_employed", "Self-employed"


class StartKind(models.TextChoices):
    """What a resident started. Only jobs and apprenticeships are checked for sustainment."""

    JOB = "job", "Job"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    WORK_EXPERIENCE = "work_experience", "Work experience"
    PAID_PLACEMENT = "paid_placement", "Paid placement"


SUSTAINED_KINDS = (StartKind.JOB, StartKind.APPRENTICESHIP)

START_KIND_OF_OPPORTUNITY = {
    OpportunityType.JOB: StartKind.JOB,
    OpportunityType.GUARANTEED_INTERVIEW: StartKind.JOB,
    OpportunityType.APPRENTICESHIP: StartKind.APPRENTICESHIP,
    OpportunityType.WORK_EXPERIENCE: StartKind.WORK_EXPERIENCE,
    OpportunityType.PAID_PLACEMENT: StartKind.PAID_PLACEMENT,
}


class JobStartQuerySet(RecordQuerySet["JobStart"]):
    def started_between(self, first: date, last: date) -> JobStartQuerySet:
        """Job starts with a start date on the days `first` to `last` (both included)."""
        return self._on_days("started_on", first, last)


class JobStart(models.Model):
    """A resident starting work — from a referral or found another way."""

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, related_name="job_starts"
    )
    employer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="job_starts",
        help_text="The scheme employer, if the job is with one.",
    )
    employer_name = models.CharField(max_length=200)
    role_title = models.CharField(max_length=150)
    kind = models.CharField(
        max_length=16,
        choices=StartKind,
        default=StartKind.JOB,
        help_text="Only jobs and apprenticeships get 13- and 26-week sustainment checks.",
    )
    is_tech_role = models.BooleanField(default=False)
    contract = models.CharField(max_length=16, choices=ContractType)
    started_on = models.DateField()
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    hourly_wage = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = JobStartQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=80),
                name="job_start_hours",
            ),
            models.CheckConstraint(
                condition=Q(hourly_wage__isnull=True) | Q(hourly_wage__gte=0),
                name="job_start_wage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_title}, {self.employer_name} from {self.started_on:%d %B %Y}"


class SustainmentOutcome(models.TextChoices):
    DUE = "", "Not checked yet"
    IN_WORK = "in_work", "Still in work"
    NOT_IN_WORK = "not_in_work", "No longer in work"
    UNKNOWN = "unknown", "Could not be confirmed"


class SustainmentCheckQuerySet(RecordQuerySet["SustainmentCheck"]):
    resident_path = "job_start__resident"

    def sustained(self, weeks: int) -> SustainmentCheckQuerySet:
        """The `weeks`-week checks of jobs and apprenticeships that found the resident still in
        work. A check recorded on another kind of start (before work experience stopped getting
        checks) is kept as history but is not a job sustained."""
        return self.filter(
            weeks=weeks, outcome=SustainmentOutcome.IN_WORK, job_start__kind__in=SUSTAINED_KINDS
        )

    def due_between(self, first: date, last: date) -> SustainmentCheckQuerySet:
        """Checks due (the job start plus their weeks) on the days `first` to `last`."""
        return self._on_days("due_on", first, last)

    def sustained_between(self, weeks: int, first: date, last: date) -> SustainmentCheckQuerySet:
        """Jobs sustained `weeks` weeks on the days `first` to `last`: the check found the
        resident in work and fell due on those days, the day the job reached `weeks` weeks
        (docs/adr/0015-what-sustained-means.md). Not by the job start's date: a job started
        near the end of a period is sustained in a later one."""
        return self.sustained(weeks).due_between(first, last)


class SustainmentCheck(models.Model):
    """The 13- and 26-week checks scheduled when a job starts."""

    job_start = models.ForeignKey(JobStart, on_delete=models.CASCADE, related_name="checks")
    weeks = models.PositiveSmallIntegerField()
    due_on = models.DateField(db_index=True)
    outcome = models.CharField(max_length=12, choices=SustainmentOutcome, blank=True)
    checked_on = models.DateField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=300, blank=True)

    objects = SustainmentCheckQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["job_start", "weeks"], name="unique_check_weeks"),
        ]

    def __str__(self) -> str:
        return f"{self.weeks}-week check due {self.due_on:%d %B %Y}"
