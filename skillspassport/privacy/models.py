"""Data-subject rights: the history kept when a resident's details are corrected, the record
that a resident was erased (anonymised), and each council's retention rules."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ResidentRevision(models.Model):
    """The values a resident's details had before one change (rectification keeps history).

    `previous` maps each changed field to its old value as text. Erasure empties `previous`
    and keeps which fields changed, by whom and when.
    """

    resident = models.ForeignKey(
        "people.Resident", on_delete=models.CASCADE, related_name="revisions"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fields = models.JSONField(default=list, help_text="Names of the fields that changed.")
    previous = models.JSONField(
        default=dict, blank=True, help_text="Field name → the value it had before the change."
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["resident", "-changed_at"])]

    def __str__(self) -> str:
        return f"Change to {', '.join(self.fields)} at {self.changed_at:%Y-%m-%d %H:%M}"


class ErasureReason(models.TextChoices):
    REQUEST = "request", "The resident asked for erasure"
    RETENTION = "retention", "A retention rule"


class Erasure(models.Model):
    """That a resident's record was anonymised: when, by whom and why. Never undone."""

    resident = models.OneToOneField(
        "people.Resident", on_delete=models.PROTECT, related_name="erasure"
    )
    erased_at = models.DateTimeField(default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Blank when a scheduled retention run erased the record.",
    )
    reason = models.CharField(max_length=10, choices=ErasureReason.choices)
    rule = models.ForeignKey(
        "privacy.RetentionRule",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="erasures",
    )

    class Meta:
        ordering = ["-erased_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="retention") | Q(rule__isnull=False),
                name="retention_erasure_names_rule",
            )
        ]

    def __str__(self) -> str:
        return f"Erasure of resident {self.resident_id} at {self.erased_at:%Y-%m-%d}"


class RetentionScope(models.TextChoices):
    INACTIVE_RESIDENTS = "inactive_residents", "Residents with no activity"
    CLOSED_CASE_RESIDENTS = (
        "closed_case_residents",
        "Residents with no activity and no open case",
    )


class RetentionRule(models.Model):
    """One council's rule: anonymise the records in `scope` N years after their last activity.

    The records covered are the residents of the council and of its partner organisations.
    "Last activity" is defined in `privacy.retention.last_activity`.
    """

    council = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="retention_rules",
        limit_choices_to={"kind": "council"},
    )
    scope = models.CharField("Which records", max_length=24, choices=RetentionScope.choices)
    years = models.PositiveSmallIntegerField(
        "Anonymise this many years after the last activity",
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    active = models.BooleanField(
        default=True, help_text="Only active rules are applied by the scheduled run."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    last_applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["council", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["council", "scope"], name="one_rule_per_scope"),
            models.CheckConstraint(
                condition=Q(years__gte=1) & Q(years__lte=100), name="retention_years_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: anonymise {self.years} years after last activity"
