"""Funds with weighted appraisal criteria, proposals and their appraisal, and funded projects.

Outputs of a project are never stored: they are counted from the records behind them by the
registry in `skillspassport.funding.outputs`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from skillspassport.core.money import pounds


class Fund(models.Model):
    council = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="funds",
        limit_choices_to={"kind": "council"},
    )
    name = models.CharField(max_length=200)
    funder = models.CharField(max_length=200)
    total_budget = models.DecimalField(max_digits=12, decimal_places=2)
    opens_on = models.DateField()
    closes_on = models.DateField()
    min_assessors = models.PositiveSmallIntegerField(
        default=2,
        help_text="Independent assessors (no conflict of interest, scores given) needed before "
        "any decision.",
    )
    approval_limit = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Approvals above this amount need a second approver. Blank: no second approver.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="unique_fund_name"),
            models.CheckConstraint(condition=Q(total_budget__gt=0), name="fund_budget_positive"),
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="fund_dates"),
            models.CheckConstraint(condition=Q(min_assessors__gte=1), name="fund_min_assessors"),
            models.CheckConstraint(
                condition=Q(approval_limit__isnull=True) | Q(approval_limit__gt=0),
                name="fund_approval_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One appraisal criterion of a fund: scored 0..max_score, counted with its weight."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=150)
    guidance = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField()
    max_score = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["fund", "position", "id"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["fund", "name"], name="unique_criterion_name"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight"),
            models.CheckConstraint(condition=Q(max_score__gte=1), name="criterion_max_score"),
        ]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    PENDING = "", "Being assessed"
    AWAITING_SECOND = "second", "Approved, awaiting a second approver"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


# Decisions that commit the fund's money (a first approval holds it until confirmed or reversed).
COMMITTING = (Decision.APPROVED, Decision.AWAITING_SECOND)


class Proposal(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="proposals")
    applicant_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="funding_proposals",
    )
    applicant_name = models.CharField(
        max_length=200, blank=True, help_text="For an applicant that is not an organisation here."
    )
    title = models.CharField(max_length=200)
    summary = models.TextField(max_length=5000)
    amount_requested = models.DecimalField(max_digits=12, decimal_places=2)
    submitted_on = models.DateField()
    target_outputs = models.TextField(max_length=2000, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    amount_approved = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    decision_reasons = models.TextField(max_length=4000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    second_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    second_approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["fund", "submitted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_organisation__isnull=False) | ~Q(applicant_name=""),
                name="proposal_has_applicant",
            ),
            models.CheckConstraint(
                condition=Q(amount_requested__gt=0), name="proposal_amount_positive"
            ),
            models.CheckConstraint(
                condition=(
                    Q(decision="", amount_approved__isnull=True, decided_at__isnull=True)
                    | Q(
                        decision__in=["approved", "second"],
                        amount_approved__gt=0,
                        amount_approved__lte=F("amount_requested"),
                        decided_at__isnull=False,
                    )
                    | Q(decision="declined", amount_approved__isnull=True, decided_at__isnull=False)
                ),
                name="proposal_decision_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def applicant(self) -> str:
        if self.applicant_organisation_id is not None:
            return str(self.applicant_organisation)
        return self.applicant_name


class DecisionAction(models.TextChoices):
    APPROVED = "approved", "Approved"
    FIRST_APPROVAL = "first", "Approved, for a second approver to confirm"
    CONFIRMED = "confirmed", "Approval confirmed by a second approver"
    DECLINED = "declined", "Declined"
    REVERSED = "reversed", "Decision reversed"


class DecisionRecord(models.Model):
    """Every decision on a proposal, in order, never changed: who decided what, when and why."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="decisions")
    action = models.CharField(max_length=10, choices=DecisionAction.choices)
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    reasons = models.TextField(max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.decided_at:%d %b %Y})"


class Conflict(models.TextChoices):
    NOT_DECLARED = "", "Not declared yet"
    NONE = "none", "No conflict of interest"
    CONFLICT = "conflict", "Conflict of interest"


class Assessment(models.Model):
    """An assessor assigned to a proposal: their declaration of interests and their scores."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="assessments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="funding_assessments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    conflict = models.CharField(max_length=10, choices=Conflict.choices, blank=True)
    conflict_details = models.TextField(max_length=2000, blank=True)
    declared_at = models.DateTimeField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["proposal", "assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "assessor"], name="one_assessment_each"),
            models.CheckConstraint(
                condition=~Q(conflict="conflict") | ~Q(conflict_details=""),
                name="conflict_has_details",
            ),
            models.CheckConstraint(
                condition=Q(conflict="") | Q(declared_at__isnull=False),
                name="declaration_dated",
            ),
            models.CheckConstraint(
                condition=Q(scored_at__isnull=True) | Q(conflict="none"),
                name="scored_only_without_conflict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.proposal}"


class Declaration(models.Model):
    """An assessor's declaration of interests, kept for ever: a change is a new declaration
    with the reason for it, and the assessment shows the latest."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="declarations"
    )
    conflict = models.CharField(max_length=10, choices=Conflict.choices)
    details = models.TextField(max_length=2000, blank=True)
    reason = models.TextField(max_length=2000, blank=True)
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["assessment", "declared_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_conflict_display()} ({self.declared_at:%d %b %Y})"


class Score(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    comment = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["assessment", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="one_score_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


class Project(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="projects")
    proposal = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="project"
    )
    name = models.CharField(max_length=200)
    lead_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="led_projects"
    )
    delivery_organisations = models.ManyToManyField(
        "accounts.Organisation", related_name="delivered_projects"
    )
    budget = models.DecimalField(max_digits=12, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField()
    targeting_plan = models.ForeignKey(
        "targeting.TargetingPlan",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "name"], name="unique_project_name"),
            models.CheckConstraint(condition=Q(budget__gt=0), name="project_budget_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="project_dates"),
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """How many of an output measure (a code in `funding.outputs.MEASURES`) a project aims for."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="targets")
    measure = models.CharField(max_length=40)
    target = models.PositiveIntegerField()

    class Meta:
        ordering = ["project", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "measure"], name="one_target_per_measure"),
            models.CheckConstraint(condition=Q(target__gte=1), name="target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.target}"


class Agreement(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="agreement")
    reference = models.CharField(max_length=60, blank=True)
    signed_on = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(value__gt=0), name="agreement_value_positive"),
        ]

    def __str__(self) -> str:
        return f"Agreement for {self.project}"


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", "Not yet due or in progress"
    COMPLETED = "completed", "Completed"


class Milestone(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="milestones")
    description = models.CharField(max_length=300)
    due_on = models.DateField()
    payment_amount = models.DecimalField(max_digits=12, decimal_places=2)
    status = models.CharField(
        max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.PENDING
    )
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agreement", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(payment_amount__gte=0), name="milestone_payment_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(status="pending", completed_on__isnull=True)
                | Q(status="completed", completed_on__isnull=False),
                name="milestone_completed_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class SpendCategory(models.TextChoices):
    STAFF = "staff", "Staff"
    EQUIPMENT = "equipment", "Devices and equipment"
    CONNECTIVITY = "connectivity", "Data and connectivity"
    VENUES = "venues", "Venues"
    TRAINING = "training", "Training delivery"
    MARKETING = "marketing", "Outreach and marketing"
    OTHER = "other", "Other"


class Spend(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="spend")
    spent_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    category = models.CharField(max_length=20, choices=SpendCategory.choices)
    description = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name_plural = "spend"
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="spend_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{pounds(self.amount)} on {self.spent_on}"
