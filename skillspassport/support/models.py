"""Employment support casework: cases opened from referrals, action plans, case notes,
personal budgets (per-council policy, a ledger per resident), devices and data SIMs, paid work
placements, and the job starts recorded from a case.

Access to every object here goes through `support.selectors.case_get_for_user` (or the
approver's `spend_get_for_approver`); nothing is fetched bare in a view.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date
from decimal import Decimal
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Sum
from django.utils import timezone

from skillspassport.core.money import pounds
from skillspassport.core.querysets import RecordQuerySet

DEFAULT_CAP = Decimal("500.00")
DEFAULT_THRESHOLD = Decimal("100.00")


class ReferralSource(models.TextChoices):
    JOBCENTRE = "jobcentre", "Jobcentre Plus"
    SOCIAL_CARE = "social_care", "Social care"
    SELF = "self", "Self-referral"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class CaseOutcome(models.TextChoices):
    JOB_START = "job_start", "Job start"
    TRAINING = "training", "Training or education"
    VOLUNTEERING = "volunteering", "Volunteering"
    MOVED_AWAY = "moved_away", "Moved away"
    NOT_ENGAGING = "not_engaging", "No longer engaging"
    OTHER = "other", "Other"


class CaseQuerySet(RecordQuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.filter(closed_on__isnull=True)

    def referred_between(self, first: date, last: date) -> CaseQuerySet:
        """Cases whose referral in is dated on the days `first` to `last` (both included)."""
        return self._on_days("referred_on", first, last)

    def opened_between(self, first: date, last: date) -> CaseQuerySet:
        """Cases opened on the days `first` to `last` (both included)."""
        return self._on_days("opened_on", first, last)

    def of_organisations(self, organisation_ids: Collection[int]) -> CaseQuerySet:
        """Cases held by the organisations' employment services."""
        return self.filter(organisation_id__in=list(organisation_ids))


class Case(models.Model):
    """One period of employment support for a resident, from a referral in to an outcome."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    resident = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="cases")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="The organisation responsible for the resident's record.",
    )
    adviser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases"
    )
    referral_source = models.CharField(max_length=16, choices=ReferralSource)
    referred_on = models.DateField()
    referring_organisation = models.CharField(max_length=200)
    referral_contact = models.CharField(max_length=200, blank=True)
    opened_on = models.DateField()
    next_review_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=CaseOutcome, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "organisation"],
                condition=Q(closed_on__isnull=True),
                name="one_open_case_per_resident_per_organisation",
            ),
            models.CheckConstraint(
                condition=(Q(closed_on__isnull=True) & Q(outcome=""))
                | (Q(closed_on__isnull=False) & ~Q(outcome="") & Q(closed_on__gte=F("opened_on"))),
                name="case_closed_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(opened_on__gte=F("referred_on")), name="case_opened_after_referral"
            ),
        ]
        indexes = [models.Index(fields=["adviser", "closed_on", "next_review_on"])]

    def __str__(self) -> str:
        return f"Case for {self.resident} opened {self.opened_on:%d %B %Y}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    DROPPED = "dropped", "No longer relevant"


class Goal(models.Model):
    """One goal in a case's action plan."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(max_length=500)
    target_on = models.DateField()
    status = models.CharField(max_length=12, choices=GoalStatus, default=GoalStatus.NOT_STARTED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target_on", "id"]

    def __str__(self) -> str:
        return self.text


class AppendOnlyNotes(models.QuerySet["CaseNote"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Case notes cannot be changed once written.")

    def delete(self) -> NoReturn:
        raise PermissionError("Case notes cannot be changed once written.")


class CaseNote(models.Model):
    """A note on a case. Append-only: a correction is a further note."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField(max_length=5000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    objects = AppendOnlyNotes.as_manager()

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Note by {self.author} at {self.written_at:%d/%m/%Y %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("Case notes cannot be changed once written.")
        super().save(*args, **kwargs)


class BudgetPolicy(models.Model):
    """A council's personal budget rules: the cap per person and the approval threshold."""

    council = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.CASCADE,
        related_name="budget_policy",
        limit_choices_to={"kind": "council"},
    )
    cap = models.DecimalField(
        "Cap per person",
        max_digits=8,
        decimal_places=2,
        default=DEFAULT_CAP,
        help_text="Approved and awaiting spends for one resident never total more than this.",
    )
    approval_threshold = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=DEFAULT_THRESHOLD,
        help_text="Spends above this need approval by someone other than the requester.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "budget policies"
        constraints = [
            models.CheckConstraint(condition=Q(cap__gt=0), name="budget_cap_positive"),
            models.CheckConstraint(
                condition=Q(approval_threshold__gte=0) & Q(approval_threshold__lte=F("cap")),
                name="budget_threshold_within_cap",
            ),
        ]

    def __str__(self) -> str:
        return f"Budget policy for {self.council}"


class BudgetLedger(models.Model):
    """One row per resident. Spends lock this row, so the cap holds under concurrent requests."""

    resident = models.OneToOneField(
        "people.Resident", on_delete=models.CASCADE, related_name="budget_ledger"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Budget ledger for {self.resident}"


class SpendCategory(models.TextChoices):
    TRAVEL = "travel", "Travel"
    EQUIPMENT = "equipment", "Equipment"
    TRAINING = "training", "Training"
    LICENCES = "licences", "Licences"
    OTHER = "other", "Other"


class SpendStatus(models.TextChoices):
    APPROVED = "approved", "Approved"
    AWAITING = "awaiting", "Awaiting approval"
    REFUSED = "refused", "Refused"
    CANCELLED = "cancelled", "Cancelled"


# Spends that count towards the cap.
COMMITTED = (SpendStatus.APPROVED, SpendStatus.AWAITING)


def receipt_path(instance: BudgetSpend, filename: str) -> str:
    """Private storage path: never the uploaded name, never under a public URL."""
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        instance.receipt_type, "bin"
    )
    return f"private/receipts/{uuid.uuid4().hex}.{extension}"


class BudgetSpendQuerySet(RecordQuerySet["BudgetSpend"]):
    resident_path = "ledger__resident"

    def approved_between(self, first: date, last: date) -> BudgetSpendQuerySet:
        """Approved spends dated (the spend's own date) on the days `first` to `last`."""
        return self.filter(status=SpendStatus.APPROVED)._on_days("spent_on", first, last)

    def on_cases_of(self, organisation_ids: Collection[int]) -> BudgetSpendQuerySet:
        """Spends on cases held by the organisations."""
        return self.filter(case__organisation_id__in=list(organisation_ids))

    def total(self) -> Decimal:
        """The spends' amounts added up, in pounds (0.00 for none)."""
        return self.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


class BudgetSpend(models.Model):
    ledger = models.ForeignKey(BudgetLedger, on_delete=models.CASCADE, related_name="spends")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="spends")
    category = models.CharField(max_length=12, choices=SpendCategory)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    description = models.CharField(max_length=300)
    spent_on = models.DateField()
    status = models.CharField(max_length=10, choices=SpendStatus)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)
    receipt = models.FileField(upload_to=receipt_path, blank=True, max_length=200)
    receipt_type = models.CharField(max_length=40, blank=True)

    objects = BudgetSpendQuerySet.as_manager()

    class Meta:
        ordering = ["-spent_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_spend_positive"),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requested_by")),
                name="budget_spend_not_self_approved",
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        category, status = self.get_category_display().lower(), self.get_status_display()
        return f"{pounds(self.amount)} {category} ({status})"


class DecisionKind(models.TextChoices):
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"
    CANCELLED = "cancelled", "Cancelled"


class BudgetDecision(models.Model):
    """One decision on a spend: who (nobody for an approval at or below the threshold), when,
    what and why. Written with the change of the spend's status, never changed afterwards."""

    spend = models.ForeignKey(BudgetSpend, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(max_length=10, choices=DecisionKind)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["decided_at"])]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.decided_by or 'the threshold rule'}"


class DeviceKind(models.TextChoices):
    LAPTOP = "laptop", "Laptop"
    TABLET = "tablet", "Tablet"
    SMARTPHONE = "smartphone", "Smartphone"
    DATA_SIM = "data_sim", "Data SIM"
    HOTSPOT = "hotspot", "Mobile hotspot"


class DeviceArrangement(models.TextChoices):
    LENT = "lent", "Lent"
    GIFTED = "gifted", "Gifted"


class DeviceQuerySet(RecordQuerySet["Device"]):
    resident_path = "case__resident"

    def issued_between(self, first: date, last: date) -> DeviceQuerySet:
        """Devices lent or gifted, and data SIMs issued, on the days `first` to `last`."""
        return self._on_days("issued_on", first, last)

    def issued_by(self, organisation_ids: Collection[int]) -> DeviceQuerySet:
        """Devices and SIMs the organisations issued (as the hub)."""
        return self.filter(hub_id__in=list(organisation_ids))

    def on_cases_of(self, organisation_ids: Collection[int]) -> DeviceQuerySet:
        """Devices and SIMs issued on cases held by the organisations."""
        return self.filter(case__organisation_id__in=list(organisation_ids))


class Device(models.Model):
    """A device lent or gifted, or a data SIM issued, to a resident on a case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="devices")
    hub = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The hub or organisation that issued it.",
    )
    kind = models.CharField(max_length=12, choices=DeviceKind)
    serial = models.CharField("Serial number or ICCID", max_length=40)
    issued_on = models.DateField()
    arrangement = models.CharField(max_length=8, choices=DeviceArrangement)
    due_back_on = models.DateField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True)
    condition = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(arrangement="lent")
                | (Q(due_back_on__isnull=True) & Q(returned_on__isnull=True)),
                name="device_gift_not_returned",
            ),
            models.CheckConstraint(
                condition=Q(due_back_on__isnull=True) | Q(due_back_on__gt=F("issued_on")),
                name="device_due_back_after_issue",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("issued_on")),
                name="device_returned_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"


class PlacementOutcome(models.TextChoices):
    ONGOING = "ongoing", "Ongoing"
    COMPLETED = "completed", "Completed"
    LEFT_EARLY = "left_early", "Left early"
    INTO_WORK = "into_work", "Moved into work"


class PlacementQuerySet(RecordQuerySet["Placement"]):
    resident_path = "case__resident"

    def started_between(self, first: date, last: date) -> PlacementQuerySet:
        """Paid work placements starting on the days `first` to `last` (both included)."""
        return self._on_days("starts_on", first, last)

    def on_cases_of(self, organisation_ids: Collection[int]) -> PlacementQuerySet:
        """Placements on cases held by the organisations."""
        return self.filter(case__organisation_id__in=list(organisation_ids))


class Placement(models.Model):
    """A paid work placement."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements")
    employer = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "employer"},
    )
    employer_name = models.CharField(max_length=200)
    role_title = models.CharField(max_length=150)
    weeks = models.PositiveSmallIntegerField()
    hours_per_week = models.DecimalField(max_digits=4, decimal_places=1)
    hourly_wage = models.DecimalField(max_digits=6, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()
    outcome = models.CharField(max_length=12, choices=PlacementOutcome)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="placement_dates"),
            models.CheckConstraint(condition=Q(hourly_wage__gt=0), name="placement_wage"),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0) & Q(hours_per_week__lte=48),
                name="placement_hours",
            ),
            models.CheckConstraint(
                condition=Q(weeks__gte=1) & Q(weeks__lte=52), name="placement_weeks"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role_title} at {self.employer_name}"


class CaseJobStart(models.Model):
    """Links a job start (employers.JobStart) to the case it was recorded from."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="job_start_links")
    job_start = models.OneToOneField(
        "employers.JobStart", on_delete=models.CASCADE, related_name="case_link"
    )

    def __str__(self) -> str:
        return f"{self.job_start} ({self.case})"
