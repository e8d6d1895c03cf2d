"""Reads about funds, proposals, appraisal, projects and their outputs.

Every view fetches a fund, proposal, assessment or project through its `*_get_for_user`
function: Http404 when the user has no funding role in the council that owns it (so guessing ids
reveals nothing), PermissionDenied when they may see it but not do what they ask.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import Organisation, User
from skillspassport.accounts.roles import Capability, roles_with
from skillspassport.funding.analytics.appraisal import (
    CriterionScore,
    Summary,
    maximum_possible,
    summarise,
    weighted_score,
)
from skillspassport.funding.models import (
    COMMITTING,
    Assessment,
    Criterion,
    DecisionRecord,
    Declaration,
    Fund,
    Milestone,
    MilestoneStatus,
    Project,
    Proposal,
    Score,
    Spend,
)
from skillspassport.funding.outputs import MEASURES, Measure
from skillspassport.people.models import Resident
from skillspassport.targeting.models import TargetingPlan

MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=14, decimal_places=2)
ZERO = Decimal("0.00")
SPEND_WARNING_SHARE = Decimal("0.9")


# --- access -------------------------------------------------------------------------------------


def funding_council_ids(*, user: User, capability: Capability) -> frozenset[int]:
    """Councils in whose scheme the user holds `capability` (through the council or a partner)."""
    return scope_for(user, capability).council_ids


def _managed(user: User) -> frozenset[int]:
    return funding_council_ids(user=user, capability=Capability.MANAGE_FUNDING)


def _assessing(user: User) -> frozenset[int]:
    return funding_council_ids(user=user, capability=Capability.ASSESS_PROPOSALS)


def may_use_funding(user: User) -> bool:
    return bool(_managed(user) or _assessing(user))


def may_manage_fund(*, user: User, fund: Fund) -> bool:
    return fund.council_id in _managed(user)


def funds_for_user(*, user: User) -> QuerySet[Fund]:
    """Funds of the councils where the user manages funding or assesses proposals."""
    return with_commitments(
        Fund.objects.filter(council_id__in=_managed(user) | _assessing(user))
    ).select_related("council")


def fund_get_for_user(*, user: User, fund_id: int, capability: Capability | None = None) -> Fund:
    try:
        fund = with_commitments(Fund.objects.select_related("council")).get(pk=fund_id)
    except (Fund.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such fund") from exc
    if fund.council_id not in _managed(user) | _assessing(user):
        raise Http404("No such fund")
    if capability is not None and fund.council_id not in funding_council_ids(
        user=user, capability=capability
    ):
        raise PermissionDenied
    return fund


def proposal_get_for_user(
    *, user: User, proposal_id: int, capability: Capability | None = None
) -> Proposal:
    """A proposal: managers of the fund's council see all; an assessor sees those assigned."""
    try:
        proposal = Proposal.objects.select_related(
            "fund__council", "applicant_organisation", "decided_by"
        ).get(pk=proposal_id)
    except (Proposal.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such proposal") from exc
    council_id = proposal.fund.council_id
    managed = council_id in _managed(user)
    assigned = (
        council_id in _assessing(user)
        and Assessment.objects.filter(proposal=proposal, assessor=user).exists()
    )
    if not (managed or assigned):
        raise Http404("No such proposal")
    if capability is not None and council_id not in funding_council_ids(
        user=user, capability=capability
    ):
        raise PermissionDenied
    return proposal


def assessment_get_for_user(*, user: User, assessment_id: int) -> Assessment:
    """The user's own assessment of a proposal; anybody else's is not found."""
    try:
        assessment = Assessment.objects.select_related(
            "proposal__fund__council", "proposal__applicant_organisation", "assessor"
        ).get(pk=assessment_id, assessor=user)
    except (Assessment.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such assessment") from exc
    if assessment.proposal.fund.council_id not in _assessing(user):
        raise Http404("No such assessment")
    return assessment


def project_get_for_user(*, user: User, project_id: int) -> Project:
    """A project, for users who manage funding in the council that owns its fund."""
    try:
        project = (
            Project.objects.select_related(
                "fund__council", "lead_organisation", "proposal", "targeting_plan"
            )
            .prefetch_related("delivery_organisations")
            .annotate(spent=_spent_subquery())
            .get(pk=project_id)
        )
    except (Project.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such project") from exc
    if project.fund.council_id not in _managed(user):
        raise Http404("No such project")
    return project


def projects_for_user(*, user: User) -> QuerySet[Project]:
    return (
        Project.objects.filter(fund__council_id__in=_managed(user))
        .select_related("fund", "lead_organisation")
        .annotate(spent=_spent_subquery())
    )


def criteria_of(*, fund_id: int) -> QuerySet[Criterion]:
    """The appraisal criteria of a fund already reached through a guarded fetch, in order."""
    return Criterion.objects.filter(fund_id=fund_id)


def councils_for_funding(*, user: User) -> QuerySet[Organisation]:
    """The councils in which the user manages funding (to create a fund in), by name."""
    return scope_for(user, Capability.MANAGE_FUNDING).councils()


def milestone_get_for_project(*, project: Project, milestone_id: int) -> Milestone:
    """A milestone of a project already fetched through `project_get_for_user`."""
    milestone = Milestone.objects.filter(pk=milestone_id, agreement__project=project).first()
    if milestone is None:
        raise Http404("No such milestone")
    return milestone


def scheme_organisations(*, council: Organisation) -> QuerySet[Organisation]:
    """The council and its partner organisations (applicants, leads and delivery partners)."""
    return Organisation.objects.filter(Q(pk=council.pk) | Q(council=council)).order_by("name")


def eligible_assessors(*, proposal: Proposal) -> QuerySet[User]:
    """Users who may assess proposals in the fund's council and are not yet assigned."""
    council = proposal.fund.council
    return (
        User.objects.filter(
            is_active=True,
            memberships__role__in=roles_with(Capability.ASSESS_PROPOSALS),
            memberships__organisation__in=scheme_organisations(council=council),
        )
        .exclude(funding_assessments__proposal=proposal)
        .distinct()
        .order_by("full_name", "email")
    )


def targeting_plans_for(*, council: Organisation) -> QuerySet[TargetingPlan]:
    return TargetingPlan.objects.filter(council=council).order_by("name")


# --- money --------------------------------------------------------------------------------------


def _spent_subquery() -> Coalesce:
    total = (
        Spend.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


def with_commitments(funds: QuerySet[Fund]) -> QuerySet[Fund]:
    """Annotate `committed`: approved proposals plus projects funded directly (no proposal)."""
    approved = (
        Proposal.objects.filter(fund=OuterRef("pk"), decision__in=COMMITTING)
        .order_by()
        .values("fund")
        .annotate(total=Sum("amount_approved"))
        .values("total")
    )
    direct = (
        Project.objects.filter(fund=OuterRef("pk"), proposal__isnull=True)
        .order_by()
        .values("fund")
        .annotate(total=Sum("budget"))
        .values("total")
    )
    return funds.annotate(
        committed=Coalesce(Subquery(approved, output_field=MONEY), Value(ZERO), output_field=MONEY)
        + Coalesce(Subquery(direct, output_field=MONEY), Value(ZERO), output_field=MONEY)
    )


def fund_remaining(*, fund: Fund) -> Decimal:
    """What is left to commit from the fund (read afresh, for services that lock the fund)."""
    fresh = with_commitments(Fund.objects.filter(pk=fund.pk)).get()
    return fund.total_budget - Decimal(fresh.committed)  # type: ignore[attr-defined]


def project_spent(*, project: Project) -> Decimal:
    total = Spend.objects.filter(project=project).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO


# --- appraisal ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessorRow:
    assessment: Assessment
    scores: list[Score | None]  # one per criterion, in the fund's order
    weighted: Decimal | None


@dataclass(frozen=True)
class Appraisal:
    criteria: list[Criterion]
    rows: list[AssessorRow]
    summary: Summary
    maximum: Decimal


def appraisal_of(proposal: Proposal, criteria: list[Criterion]) -> Appraisal:
    """Scores per assessor with their weighted score, and the mean and spread over assessors.

    Reads `proposal.assessments` and each assessment's `scores`, which callers prefetch.
    """
    rows = []
    for assessment in proposal.assessments.all():
        by_criterion = {s.criterion_id: s for s in assessment.scores.all()}
        scores = [by_criterion.get(c.pk) for c in criteria]
        weighted = None
        if assessment.scored_at is not None and all(s is not None for s in scores):
            weighted = weighted_score(
                CriterionScore(c.weight, s.score, c.max_score)
                for c, s in zip(criteria, scores, strict=True)
                if s is not None
            )
        rows.append(AssessorRow(assessment, scores, weighted))
    summary = summarise([r.weighted for r in rows if r.weighted is not None])
    return Appraisal(criteria, rows, summary, maximum_possible(c.weight for c in criteria))


def _assessments_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "assessments",
        queryset=Assessment.objects.select_related("assessor").prefetch_related("scores"),
    )


def proposals_for_fund(*, user: User, fund: Fund) -> list[tuple[Proposal, Appraisal]]:
    """The fund's proposals the user may see, each with its appraisal (fixed query count)."""
    proposals = Proposal.objects.filter(fund=fund)
    if fund.council_id not in _managed(user):
        proposals = proposals.filter(
            Exists(Assessment.objects.filter(proposal=OuterRef("pk"), assessor=user))
        )
    proposals = proposals.select_related("applicant_organisation", "decided_by").prefetch_related(
        _assessments_prefetch()
    )
    criteria = list(fund.criteria.all())
    return [(p, appraisal_of(p, criteria)) for p in proposals]


def proposal_appraisal(*, proposal: Proposal) -> Appraisal:
    fresh = Proposal.objects.prefetch_related(_assessments_prefetch()).get(pk=proposal.pk)
    return appraisal_of(fresh, list(Criterion.objects.filter(fund_id=proposal.fund_id)))


def assessments_for_user(*, user: User) -> QuerySet[Assessment]:
    """The user's assessments ('my assessments'), undecided proposals first."""
    return (
        Assessment.objects.filter(assessor=user, proposal__fund__council_id__in=_assessing(user))
        .select_related("proposal__fund", "proposal__applicant_organisation")
        .order_by("-proposal__decision", "proposal__submitted_on", "id")
    )


def assessment_of(*, user: User, proposal: Proposal) -> Assessment | None:
    """The user's own assessment of the proposal, if they are one of its assessors."""
    return Assessment.objects.filter(proposal=proposal, assessor=user).first()


def decision_history(*, proposal: Proposal) -> list[DecisionRecord]:
    return list(proposal.decisions.select_related("decided_by"))


def declaration_history(*, proposal: Proposal) -> dict[int, list[Declaration]]:
    """Each assessment's declarations, oldest first, when there has been more than one."""
    found: dict[int, list[Declaration]] = {}
    for declaration in Declaration.objects.filter(assessment__proposal=proposal):
        found.setdefault(declaration.assessment_id, []).append(declaration)
    return {k: v for k, v in found.items() if len(v) > 1}


# --- outputs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutputRow:
    measure: Measure
    target: int | None
    actual: int

    @property
    def percent(self) -> int | None:
        if not self.target:
            return None
        return round(self.actual * 100 / self.target)


def project_outputs(*, project: Project) -> list[OutputRow]:
    """Every registered measure with the project's target (if any) and the counted actual."""
    targets = dict(project.targets.values_list("measure", "target"))
    return [
        OutputRow(measure, targets.get(code), measure.records(project).count())
        for code, measure in MEASURES.items()
    ]


def measure_get(code: str) -> Measure:
    try:
        return MEASURES[code]
    except KeyError as exc:
        raise Http404("No such output measure") from exc


@dataclass(frozen=True)
class DrillDown:
    measure: Measure
    visible: QuerySet[Any]  # records whose resident the viewer may see
    total: int
    hidden: int


def output_records_for_user(*, user: User, project: Project, measure: Measure) -> DrillDown:
    """The records behind a project's actual: those about residents the viewer may see, and a
    count of the rest. Visibility is `Resident.objects.visible_to`, the rule of the residents'
    pages."""
    records = measure.records(project)
    visible_residents = Resident.objects.visible_to(user).values("pk")
    path = measure.resident_path
    if path:
        visible = records.filter(**{f"{path}__in": visible_residents}).select_related(
            path, *measure.related
        )
    else:
        visible = records.filter(pk__in=visible_residents)
        if measure.related:
            visible = visible.select_related(*measure.related)
    visible = visible.order_by(f"-{measure.date_path}", "-pk")
    total = records.count()
    return DrillDown(measure, visible, total, total - visible.count())


def record_resident(record: Any, measure: Measure) -> Resident:
    obj = record
    for part in filter(None, measure.resident_path.split("__")):
        obj = getattr(obj, part)
    resident: Resident = obj
    return resident


def record_date(record: Any, measure: Measure) -> Any:
    obj = record
    for part in measure.date_path.split("__"):
        obj = getattr(obj, part)
    resident: Resident = obj
    return resident


def milestones_of(*, project: Project) -> list[Milestone]:
    return list(Milestone.objects.filter(agreement__project=project))


def spend_of(*, project: Project) -> QuerySet[Spend]:
    return Spend.objects.filter(project=project).select_related("recorded_by")


# --- figures for the monitoring report ----------------------------------------------------------
# Each takes the organisations to count for (None = all) and a [start, end) period.


def _projects_for(organisation_ids: Collection[int] | None) -> QuerySet[Project]:
    projects = Project.objects.all()
    if organisation_ids is not None:
        projects = projects.filter(
            Q(lead_organisation_id__in=organisation_ids)
            | Q(delivery_organisations__in=organisation_ids)
            | Q(fund__council_id__in=organisation_ids)
        ).distinct()
    return projects


def projects_active_count(
    organisation_ids: Collection[int] | None, start: datetime, end: datetime
) -> int:
    """Projects running at any time in the period."""
    return (
        _projects_for(organisation_ids)
        .filter(starts_on__lt=end.date(), ends_on__gte=start.date())
        .count()
    )


def proposals_decided_count(
    organisation_ids: Collection[int] | None,
    start: datetime,
    end: datetime,
    decision: str | None = None,
) -> int:
    """Proposals decided in the period (approved or declined, or just `decision`)."""
    proposals = Proposal.objects.filter(decided_at__gte=start, decided_at__lt=end)
    if decision is not None:
        proposals = proposals.filter(decision=decision)
    if organisation_ids is not None:
        proposals = proposals.filter(fund__council_id__in=organisation_ids)
    return proposals.count()


def milestones_completed_count(
    organisation_ids: Collection[int] | None, start: datetime, end: datetime
) -> int:
    return Milestone.objects.filter(
        status=MilestoneStatus.COMPLETED,
        completed_on__gte=start.date(),
        completed_on__lt=end.date(),
        agreement__project__in=_projects_for(organisation_ids),
    ).count()


def project_spend_total(
    organisation_ids: Collection[int] | None, start: datetime, end: datetime
) -> Decimal:
    total = Spend.objects.filter(
        spent_on__gte=start.date(),
        spent_on__lt=end.date(),
        project__in=_projects_for(organisation_ids),
    ).aggregate(total=Sum("amount"))["total"]
    return total if total is not None else ZERO
