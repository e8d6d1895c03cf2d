"""Open data per small area (by dataset and vintage), targeting runs and saved plans."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class IndicatorDataset(models.Model):
    """One dataset vintage (e.g. IoD 2025). A newer vintage is a new row beside the old one."""

    code = models.CharField(max_length=60)
    vintage = models.CharField(max_length=10)
    label = models.CharField(max_length=200)
    geography = models.CharField(max_length=10, help_text="lsoa11 or lsoa21")
    source = models.CharField(max_length=300, help_text="File(s) it was read from.")
    source_sha256 = models.CharField(max_length=64)
    areas = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["code", "-vintage"]
        constraints = [
            models.UniqueConstraint(fields=["code", "vintage"], name="one_dataset_per_vintage")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.vintage})"


class AreaIndicators(models.Model):
    """Every indicator of one dataset for one area. A missing value is JSON null."""

    dataset = models.ForeignKey(IndicatorDataset, on_delete=models.CASCADE, related_name="rows")
    area_code = models.CharField(max_length=9)
    values = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dataset", "area_code"], name="one_row_per_area")
        ]
        indexes = [models.Index(fields=["area_code"])]

    def __str__(self) -> str:
        return f"{self.area_code} in {self.dataset_id}"


class AreaGeography(models.Model):
    """Where an LSOA sits: its name, ward, local authority and combined authority."""

    code = models.CharField(max_length=9)
    vintage = models.PositiveSmallIntegerField()  # 2011 or 2021
    name = models.CharField(max_length=100)
    msoa_code = models.CharField(max_length=9, blank=True)
    msoa_name = models.CharField(max_length=100, blank=True)
    ward_code = models.CharField(max_length=9, blank=True)
    ward_name = models.CharField(max_length=100, blank=True)
    local_authority_code = models.CharField(max_length=9, db_index=True)
    local_authority_name = models.CharField(max_length=100)
    combined_authority_code = models.CharField(max_length=9, blank=True, db_index=True)
    best_fit_2021 = models.CharField(
        max_length=9, blank=True, help_text="For a 2011 LSOA: the ONS best-fit 2021 LSOA."
    )
    category = models.CharField(
        max_length=60, blank=True, help_text="Internet User Classification 2018 group."
    )

    class Meta:
        ordering = ["vintage", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "vintage"], name="one_geography_per_vintage")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class TargetingRun(models.Model):
    """One scoring: method version, weights, base and inputs, with every area's result."""

    council = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    method = models.JSONField(help_text="Preset, version, components and weights as used.")
    base = models.CharField(max_length=20)
    datasets = models.JSONField(help_text="The dataset vintages read.")
    results = models.JSONField(help_text="Per area: score, rank, components and drivers.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.method.get('label', 'Run')} ({self.base}), {self.created_at:%d %b %Y}"


class TargetingPlan(models.Model):
    """Priority areas chosen from a run, with the reasons, for outreach and training."""

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="targeting_plans"
    )
    run = models.ForeignKey(TargetingRun, on_delete=models.PROTECT, related_name="plans")
    name = models.CharField(max_length=150)
    rationale = models.TextField(max_length=4000)
    area_codes = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="unique_plan_name")]

    def __str__(self) -> str:
        return self.name
