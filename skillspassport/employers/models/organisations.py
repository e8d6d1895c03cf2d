"""Employers, their sites and compact pledges, roles and the opportunities they offer."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

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
        """Published, not past its closing date and not closed early by `day`."""
        return self.filter(withdrawn_at__isnull=True, closing_on__gte=day).filter(
            Q(closed_early_on__isnull=True) | Q(closed_early_on__gt=day)
        )


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
    withdrawn_at = models.DateTimeField(
        "Unpublished",
        null=True,
        blank=True,
        help_text="When it was taken down; None while published.",
    )
    closed_early_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day it closed before its closing date: no referrals from that day on.",
    )

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

    def is_open_on(self, day: date) -> bool:
        """Whether it takes referrals on `day` (the rule of `OpportunityQuerySet.open_on`)."""
        closed_early = self.closed_early_on is not None and self.closed_early_on <= day
        return self.withdrawn_at is None and self.closing_on >= day and not closed_early
