"""Six-monthly monitoring reports. A published report is frozen: its figures are a snapshot."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class MonitoringReport(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    council = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="monitoring_reports"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    period_label = models.CharField(max_length=100)
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    narratives = models.JSONField(default=dict, blank=True, help_text="Recommendation -> text.")
    snapshot = models.JSONField(
        null=True, blank=True, help_text="Every figure and table, frozen when published."
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    interim = models.BooleanField(
        default=False,
        help_text="Published before its period ended: figures for the period to date.",
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "period_start", "period_end", "version"],
                name="one_report_version_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.period_label} (version {self.version})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def status_label(self) -> str:
        """What the report is, in words for every page of its PDF."""
        if self.superseded_by_id is not None:
            return "superseded by a later version"
        if self.is_published and self.interim:
            return "interim report of the period to date"
        return self.get_status_display().lower()


class ReportPdf(models.Model):
    """The PDF of a report as it stood when it was made (made as background work).

    `fingerprint` is a digest of everything the PDF shows, so the same figures and narratives
    are made into a PDF once; a published report's figures never change, so its PDF is made
    once and kept.
    """

    report = models.ForeignKey(MonitoringReport, on_delete=models.CASCADE, related_name="pdfs")
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=MonitoringReport.Status.choices)
    data = models.BinaryField()
    made_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "fingerprint"], name="one_pdf_per_report_contents"
            )
        ]

    def __str__(self) -> str:
        return f"PDF of {self.report} ({self.made_at:%Y-%m-%d %H:%M})"
