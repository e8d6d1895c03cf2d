"""The skills framework (versioned data), evidence and computed passport levels."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from skillspassport.core.querysets import RecordQuerySet, day_span


class FrameworkVersion(models.Model):
    code = models.CharField(max_length=20, unique=True)
    title = models.CharField(max_length=200)
    published = models.DateField()
    source_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the YAML it came from.")
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published", "-code"]

    def __str__(self) -> str:
        return self.title


class Strand(models.Model):
    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="strands"
    )
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["framework", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_strand_code")
        ]

    def __str__(self) -> str:
        return self.name


class ScaleStep(models.Model):
    """One step of a strand's own scale (e.g. Entry 3), ranked lowest first."""

    strand = models.ForeignKey(Strand, on_delete=models.CASCADE, related_name="scale")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["strand", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["strand", "code"], name="unique_scale_code"),
            models.UniqueConstraint(fields=["strand", "rank"], name="unique_scale_rank"),
        ]

    def __str__(self) -> str:
        return self.name


class SkillArea(models.Model):
    strand = models.ForeignKey(Strand, on_delete=models.CASCADE, related_name="areas")
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["strand", "position"]
        constraints = [models.UniqueConstraint(fields=["strand", "code"], name="unique_area_code")]

    def __str__(self) -> str:
        return self.name


class Descriptor(models.Model):
    """An "I can…" statement and the step of its strand's scale that it evidences.

    `code` is stable across framework versions: evidence recorded against a descriptor of an
    older version counts in a newer one that has the same code (or lists it in `replaces`).
    """

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="descriptors"
    )
    area = models.ForeignKey(SkillArea, on_delete=models.CASCADE, related_name="descriptors")
    level = models.ForeignKey(ScaleStep, on_delete=models.PROTECT, related_name="descriptors")
    code = models.CharField(max_length=30)
    text = models.CharField(max_length=300)
    context = models.CharField(max_length=20, blank=True)
    eds_qualification_area = models.CharField(max_length=60, blank=True)
    replaces = models.JSONField(default=list, blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["area__strand__position", "area__position", "level__rank", "position"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="unique_descriptor_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


class LevelRuleSet(models.Model):
    """Rules that turn evidence into Bronze/Silver/Gold, stored as data (see analytics.levels)."""

    framework = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="rule_sets"
    )
    name = models.CharField(max_length=100)
    rules = models.JSONField()
    count_self_assessed = models.BooleanField(
        default=False, help_text="Count self-assessed evidence towards levels (off by default)."
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="unique_rule_set_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.framework.code})"


class CouncilScheme(models.Model):
    """A council's choice of framework version and level rules for its scheme."""

    council = models.OneToOneField(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="scheme"
    )
    rule_set = models.ForeignKey(LevelRuleSet, on_delete=models.PROTECT, related_name="schemes")
    issue_credentials_automatically = models.BooleanField(
        default=False,
        help_text="Issue a verifiable credential as soon as a resident reaches a level.",
    )

    def __str__(self) -> str:
        return f"Scheme of {self.council}"


class EvidenceMethod(models.TextChoices):
    SELF_ASSESSED = "self_assessed", "Self-assessed by the resident"
    OBSERVED_ADVISER = "observed_adviser", "Observed by an adviser"
    OBSERVED_TUTOR = "observed_tutor", "Observed by a tutor"
    COURSE_COMPLETION = "course_completion", "Course completion"
    QUALIFICATION = "qualification", "Qualification"


class EvidenceQuerySet(RecordQuerySet["Evidence"]):
    def current(self) -> EvidenceQuerySet:
        return self.filter(withdrawn_at__isnull=True)

    def recorded_between(self, first: date, last: date) -> EvidenceQuerySet:
        """Evidence recorded on the days `first` to `last` (withdrawn or not: it was recorded)."""
        return self._within_days("recorded_at", first, last)


class Evidence(models.Model):
    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, related_name="evidence"
    )
    descriptor = models.ForeignKey(Descriptor, on_delete=models.PROTECT, related_name="evidence")
    method = models.CharField(max_length=20, choices=EvidenceMethod.choices)
    shown_on = models.DateField(help_text="When the resident showed this skill.")
    note = models.CharField(max_length=1000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawal_reason = models.CharField(max_length=500, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["-shown_on", "-recorded_at"]
        verbose_name_plural = "evidence"
        indexes = [models.Index(fields=["resident", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.descriptor.code} for resident {self.resident_id}"

    @property
    def is_verified(self) -> bool:
        return self.method != EvidenceMethod.SELF_ASSESSED


class Award(models.TextChoices):
    NONE = "", "No level yet"
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"


OVERALL = "overall"


class PassportLevel(models.Model):
    """The level a resident holds now in one strand (or `overall`), and since when."""

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, related_name="passport_levels"
    )
    strand_code = models.CharField(max_length=30)
    level = models.CharField(max_length=10, choices=Award.choices, blank=True)
    since = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "strand_code"], name="unique_level_per_strand"
            )
        ]
        indexes = [models.Index(fields=["strand_code", "level"])]

    def __str__(self) -> str:
        return f"{self.strand_code}: {self.level or 'none'}"


class PassportLevelChangeQuerySet(RecordQuerySet["PassportLevelChange"]):
    def in_strand(self, strand: str = OVERALL) -> PassportLevelChangeQuerySet:
        """Changes of one strand's level (`OVERALL`, the passport level, by default)."""
        return self.filter(strand_code=strand)

    def reached_between(
        self, level: str, first: date, last: date, strand: str = OVERALL
    ) -> PassportLevelChangeQuerySet:
        """Residents reaching `level` in `strand` on the days `first` to `last`."""
        return self.in_strand(strand).filter(to_level=level)._within_days("changed_at", first, last)

    def up_to(self, last: date) -> PassportLevelChangeQuerySet:
        """Changes made on or before the day `last`: the history behind the levels held at the
        end of that day."""
        return self.filter(changed_at__lt=day_span(last, last)[1])


class PassportLevelChange(models.Model):
    """History: every change of a strand's (or the overall) level."""

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, related_name="level_changes"
    )
    strand_code = models.CharField(max_length=30)
    from_level = models.CharField(max_length=10, choices=Award.choices, blank=True)
    to_level = models.CharField(max_length=10, choices=Award.choices, blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    framework_code = models.CharField(max_length=20)
    cause = models.CharField(max_length=200, blank=True)

    objects = PassportLevelChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_level=models.F("to_level")), name="level_changed"
            )
        ]

    def __str__(self) -> str:
        return f"{self.strand_code}: {self.from_level or 'none'} → {self.to_level or 'none'}"
