"""Employers, their compact pledges, roles, opportunities, referrals and job outcomes.

An employer is an `accounts.Organisation` of kind "employer"; its contacts are users with the
employer-contact role in it. Everything an employer contact may see about residents reaches
them through a `Referral` to one of their opportunities — see `selectors.py`.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone

from skillspassport.core.querysets import RecordQuerySet

LEVEL_CHOICES = [("bronze", "Bronze"), ("silver", "Silver"), ("gold", "Gold")]
STRANDS = ("digital", "numeracy", "literacy", "communication")


class SicSection(models.TextChoices):
    """UK SIC 2007 sections."""

    A = "A", "Agriculture, forestry and fishing"
    B = "B", "Mining and quarrying"
    C = "C", "Manufacturing"
    D = "D", "Electricity, gas, steam and air conditioning supply"
    E = "E", "Water supply, sewerage, waste management"
    F = "F", "Construction"
    G = "G", "Wholesale and retail trade; repair of motor vehicles"
    H = "H", "Transport and storage"
    I = "I", "Accommodation and food service activities"  # noqa: E741
    J = "J", "Information and communication"
    K = "K", "Financial and insurance activities"
    L = "L", "Real estate activities"
    M = "M", "Professional, scientific and technical activities"
    N = "N", "Administrative and support service activities"
    O = "O", "Public administration and defence"  # noqa: E741
    P = "P", "Education"
    Q = "Q", "Human health and social work activities"
    R = "R", "Arts, entertainment and recreation"
    S = "S", "Other service activities"
    T = "T", "Activities of households as employers"
    U = "U", "Activities of extraterritorial organisations"


class SizeBand(models.TextChoices):
    MICRO = "micro", "Micro (fewer than 10 employees)"
    SMALL = "small", "Small (10 to 49)"
    MEDIUM = "medium", "Medium (50 to 249)"
    LARGE = "large", "Large (250 or more)"


class OpportunityType(models.TextChoices):
    WORK_EXPERIENCE = "work_experience", "Work experience"
    GUARANTEED_INTERVIEW = "guaranteed_interview", "Guaranteed interview"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    JOB = "job", "Job"
    PAID_PLACEMENT = "paid_placement", "Paid placement"


class EmployerProfile(models.Model):
    organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="employer_profile",
        limit_choices_to={"kind": "employer"},
    )
    sector = models.CharField("Sector (SIC 2007 section)", max_length=1, choices=SicSection)
    size_band = models.CharField(max_length=10, choices=SizeBand)
    website = models.URLField(blank=True)
    joined_on = models.DateField(default=timezone.localdate)

    def __str__(self) -> str:
        return str(self.organisation)


class Site(models.Model):
    employer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="employer_sites"
    )
    name = models.CharField(max_length=120)
    postcode = models.CharField(max_length=8)
    lsoa = models.ForeignKey(
        "areas.Lsoa", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        "areas.Ward", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["employer", "name"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "name"], name="unique_site_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.postcode})"


class Pledge(models.Model):
    """One line of an employer's compact: what a passport level unlocks, how many a year."""

    employer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="pledges"
    )
    level = models.CharField(max_length=6, choices=LEVEL_CHOICES)
    opportunity_type = models.CharField(max_length=24, choices=OpportunityType)
    quantity_per_year = models.PositiveIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["employer", "starts_on", "level"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_per_year__gte=1), name="pledge_quantity"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="pledge_dates"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.employer}: {self.get_level_display()} → {self.quantity_per_year} "
            f"{self.get_opportunity_type_display().lower()} a year"
        )


class JobRole(models.Model):
    """A role an employer describes, with the skills it needs."""

    employer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="job_roles"
    )
    title = models.CharField(max_length=150)
    advert_text = models.TextField(blank=True)
    is_tech_role = models.BooleanField(
        default=False, help_text="A digital or technology role (for the gender-diversity measure)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["employer", "title"]

    def __str__(self) -> str:
        return self.title


class SkillSource(models.TextChoices):
    ADVERT = "advert", "Suggested from the advert"
    CHOSEN = "chosen", "Chosen from the framework"


class RoleSkill(models.Model):
    """An ESCO skill the employer confirmed for a role."""

    role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="skills")
    esco_uri = models.CharField(max_length=200)
    label = models.CharField(max_length=300)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["role", "-score", "label"]
        constraints = [
            models.UniqueConstraint(fields=["role", "esco_uri"], name="unique_role_skill"),
        ]

    def __str__(self) -> str:
        return self.label


class RoleNeed(models.Model):
    """A passport framework area (and level) a role needs."""

    role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="needs")
    area_code = models.CharField(max_length=60)
    strand = models.CharField(max_length=20)
    level = models.CharField(max_length=20)
    source = models.CharField(max_length=10, choices=SkillSource, default=SkillSource.CHOSEN)

    class Meta:
        ordering = ["role", "area_code"]
        constraints = [
            models.UniqueConstraint(fields=["role", "area_code"], name="unique_role_need"),
        ]

    def __str__(self) -> str:
        return f"{self.area_code} ({self.level})"


class OpportunityQuerySet(models.QuerySet["Opportunity"]):
    def open_on(self, day: object) -> OpportunityQuerySet:
        return self.filter(withdrawn_at__isnull=True, closing_on__gte=day)


class Opportunity(models.Model):
    employer = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="opportunities"
    )
    role = models.ForeignKey(
        JobRole, on_delete=models.SET_NULL, null=True, blank=True, related_name="opportunities"
    )
    pledge = models.ForeignKey(
        Pledge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
        help_text="The compact pledge this opportunity fulfils.",
    )
    title = models.CharField(max_length=150)
    opportunity_type = models.CharField(max_length=24, choices=OpportunityType)
    description = models.TextField(blank=True)
    min_digital = models.CharField(max_length=6, choices=LEVEL_CHOICES, blank=True)
    min_numeracy = models.CharField(max_length=6, choices=LEVEL_CHOICES, blank=True)
    min_literacy = models.CharField(max_length=6, choices=LEVEL_CHOICES, blank=True)
    min_communication = models.CharField(max_length=6, choices=LEVEL_CHOICES, blank=True)
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, null=True, blank=True, related_name="opportunities"
    )
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    hourly_wage = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    places = models.PositiveIntegerField()
    closing_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        ordering = ["closing_on", "id"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="opportunity_places"),
        ]
        indexes = [models.Index(fields=["employer", "closing_on"])]

    def __str__(self) -> str:
        return self.title

    def minimum_levels(self) -> dict[str, str]:
        return {strand: getattr(self, f"min_{strand}") for strand in STRANDS}


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "Referred"
    INTERVIEWED = "interviewed", "Interviewed"
    OFFERED = "offered", "Offered"
    STARTED = "started", "Started"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (ReferralStatus.REFERRED, ReferralStatus.INTERVIEWED, ReferralStatus.OFFERED)


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
        max_length=12, choices=ReferralStatus, default=ReferralStatus.REFERRED
    )
    interviewed_on = models.DateField(null=True, blank=True)
    offered_on = models.DateField(null=True, blank=True)
    started_on = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_stage = models.CharField(max_length=12, choices=ReferralStatus, blank=True)
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


class ContractType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    FIXED_TERM = "fixed_term", "Fixed term or temporary"
    APPRENTICESHIP = "apprenticeship", "Apprenticeship"
    ZERO_HOURS = "zero_hours", "Zero hours"
    SELF_EMPLOYED = "self_employed", "Self-employed"


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
        """The `weeks`-week checks that found the resident still in work."""
        return self.filter(weeks=weeks, outcome=SustainmentOutcome.IN_WORK)

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
