"""Reads about casework. Every case is fetched through `case_get_for_user`."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TypeVar

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from skillspassport.accounts.access import scope_for
from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability, roles_with
from skillspassport.employers.models import JobStart, SustainmentCheck
from skillspassport.people.models import Resident
from skillspassport.people.selectors import resident_get_for_user
from skillspassport.support.models import (
    COMMITTED,
    DEFAULT_CAP,
    DEFAULT_THRESHOLD,
    BudgetDecision,
    BudgetPolicy,
    BudgetSpend,
    BudgetSpendQuerySet,
    Case,
    CaseJobStart,
    CaseNote,
    Device,
    DeviceQuerySet,
    Goal,
    Placement,
    PlacementQuerySet,
    SpendStatus,
)

_Q = TypeVar("_Q", BudgetSpendQuerySet, DeviceQuerySet, PlacementQuerySet)

# --- Access ---------------------------------------------------------------------------------


def case_get_for_user(
    *, user: User, public_id: uuid.UUID | str, capability: Capability = Capability.MANAGE_CASES
) -> Case:
    """The case, if `user` holds `capability` for its resident.

    Http404 for a case the user may not see at all (guessing ids reveals nothing);
    PermissionDenied when they may see the resident but not work on cases.
    """
    try:
        case = Case.objects.select_related("resident", "adviser", "organisation").get(
            public_id=public_id
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such case") from exc
    resident = resident_get_for_user(
        user=user, public_id=case.resident.public_id, capability=capability
    )
    if not scope_for(user, capability).holds(case.organisation_id):
        raise Http404("No such case")
    case.resident = resident
    return case


def approver_organisation_ids(*, user: User) -> frozenset[int]:
    """Organisations whose residents' spends `user` may approve: those where they hold
    APPROVE_BUDGETS, and the partners of any council where they do."""
    direct = scope_for(user, Capability.APPROVE_BUDGETS).organisation_ids
    if not direct:
        return direct
    partners = Organisation.objects.filter(council_id__in=direct).values_list("id", flat=True)
    return direct | frozenset(partners)


def spend_get_for_approver(*, user: User, spend_id: int) -> BudgetSpend:
    """A spend the user may decide on (Http404 otherwise)."""
    try:
        spend = BudgetSpend.objects.select_related(
            "ledger__resident__organisation", "case", "requested_by", "decided_by"
        ).get(pk=spend_id)
    except (BudgetSpend.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such spend") from exc
    if spend.ledger.resident.organisation_id not in approver_organisation_ids(user=user):
        raise Http404("No such spend")
    return spend


def spend_get_for_user(*, user: User, spend_id: int) -> BudgetSpend:
    """A spend its case's advisers or an approver may open (for the receipt)."""
    try:
        spend = BudgetSpend.objects.select_related(
            "ledger__resident__organisation", "case", "requested_by"
        ).get(pk=spend_id)
    except (BudgetSpend.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such spend") from exc
    org_id = spend.ledger.resident.organisation_id
    if org_id in approver_organisation_ids(user=user):
        return spend
    case_get_for_user(user=user, public_id=spend.case.public_id)
    return spend


def case_for_check(*, user: User, check: SustainmentCheck) -> Case:
    """The case a sustainment check's job start was recorded from, if the user may work on it.

    The check itself is fetched through `employers.selectors.check_get_for_user`, the one guard
    for sustainment checks; casework pages also need the case (Http404 when there is none).
    """
    link = (
        CaseJobStart.objects.select_related("case").filter(job_start_id=check.job_start_id).first()
    )
    if link is None:
        raise Http404("No such check")
    return case_get_for_user(user=user, public_id=link.case.public_id)


def advisers_for(*, case: Case) -> QuerySet[User]:
    """Active staff of the case's organisation who may work on cases (to assign it to)."""
    return User.objects.filter(
        is_active=True,
        memberships__organisation=case.organisation,
        memberships__role__in=roles_with(Capability.MANAGE_CASES),
    ).distinct()


def goal_get_for_case(*, case: Case, goal_id: int) -> Goal:
    """A goal of a case already fetched through `case_get_for_user`."""
    goal = Goal.objects.filter(case=case, pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal")
    goal.case = case
    return goal


def spend_get_for_case(*, case: Case, spend_id: int) -> BudgetSpend:
    spend = BudgetSpend.objects.filter(case=case, pk=spend_id).first()
    if spend is None:
        raise Http404("No such spend")
    return spend


def device_get_for_case(*, case: Case, device_id: int) -> Device:
    """A device issued to the case's resident (under this case or an earlier one)."""
    device = Device.objects.filter(case__resident=case.resident, pk=device_id).first()
    if device is None:
        raise Http404("No such device")
    return device


def placement_get_for_case(*, case: Case, placement_id: int) -> Placement:
    """A placement of the case's resident (under this case or an earlier one)."""
    placement = Placement.objects.filter(case__resident=case.resident, pk=placement_id).first()
    if placement is None:
        raise Http404("No such placement")
    return placement


def may_open_cases(*, user: User) -> bool:
    return bool(scope_for(user, Capability.MANAGE_CASES))


# --- Caseload and case page -----------------------------------------------------------------


def caseload_for(*, user: User) -> QuerySet[Case]:
    """The user's open cases, overdue reviews first, then by next review date (none last)."""
    return (
        Case.objects.open()
        .filter(adviser=user)
        .select_related("resident")
        .order_by(F("next_review_on").asc(nulls_last=True), "opened_on", "id")
    )


def residents_to_open_case_for(*, user: User, query: str) -> QuerySet[Resident]:
    """Residents matching `query` in organisations where the user may open cases."""
    from skillspassport.people.selectors import residents_for_user

    org_ids = scope_for(user, Capability.MANAGE_CASES).organisation_ids
    return residents_for_user(user=user, query=query).filter(organisation_id__in=org_ids)[:20]


@dataclass(frozen=True)
class Balance:
    cap: Decimal
    threshold: Decimal
    approved: Decimal
    awaiting: Decimal

    @property
    def committed(self) -> Decimal:
        return self.approved + self.awaiting

    @property
    def remaining(self) -> Decimal:
        return self.cap - self.committed


@dataclass(frozen=True)
class Policy:
    cap: Decimal
    threshold: Decimal


def policy_for(*, organisation: Organisation) -> Policy:
    """The budget policy of the organisation's council, or the defaults if it has none."""
    council = organisation.scheme_council
    row = BudgetPolicy.objects.filter(council=council).first() if council else None
    if row is None:
        return Policy(cap=DEFAULT_CAP, threshold=DEFAULT_THRESHOLD)
    return Policy(cap=row.cap, threshold=row.approval_threshold)


def committed_total(*, resident: Resident) -> tuple[Decimal, Decimal]:
    """(approved, awaiting) totals of the resident's spends."""
    totals = BudgetSpend.objects.filter(ledger__resident=resident, status__in=COMMITTED).aggregate(
        approved=Sum("amount", filter=Q(status=SpendStatus.APPROVED)),
        awaiting=Sum("amount", filter=Q(status=SpendStatus.AWAITING)),
    )
    return totals["approved"] or Decimal("0.00"), totals["awaiting"] or Decimal("0.00")


def balance_for(*, resident: Resident) -> Balance:
    policy = policy_for(organisation=resident.organisation)
    approved, awaiting = committed_total(resident=resident)
    return Balance(cap=policy.cap, threshold=policy.threshold, approved=approved, awaiting=awaiting)


def _with_history(spends: QuerySet[BudgetSpend]) -> QuerySet[BudgetSpend]:
    """Spends with their decisions (`spend.history`), oldest first, each with its decider."""
    return spends.prefetch_related(
        Prefetch(
            "decisions",
            queryset=BudgetDecision.objects.select_related("decided_by"),
            to_attr="history",
        )
    )


def spends_for(*, resident: Resident) -> QuerySet[BudgetSpend]:
    """The resident's spends, newest first, each with its decision history."""
    return _with_history(
        BudgetSpend.objects.filter(ledger__resident=resident).select_related(
            "requested_by", "decided_by"
        )
    )


def decisions_on(*, spend: BudgetSpend) -> list[BudgetDecision]:
    """Who decided what on the spend, and when, oldest first."""
    return list(BudgetDecision.objects.filter(spend=spend).select_related("decided_by"))


def devices_for(*, resident: Resident) -> QuerySet[Device]:
    return Device.objects.filter(case__resident=resident).select_related("hub")


def placements_for(*, resident: Resident) -> QuerySet[Placement]:
    return Placement.objects.filter(case__resident=resident)


def job_starts_for(*, case: Case) -> list[CaseJobStart]:
    return list(
        CaseJobStart.objects.filter(case=case)
        .select_related("job_start")
        .prefetch_related("job_start__checks__checked_by")
        .order_by("-job_start__started_on")
    )


def approvals_queue(*, user: User) -> QuerySet[BudgetSpend]:
    """Spends awaiting approval that the user may decide, oldest first, with their history."""
    return _with_history(
        BudgetSpend.objects.filter(
            status=SpendStatus.AWAITING,
            ledger__resident__organisation_id__in=approver_organisation_ids(user=user),
        )
        .select_related("ledger__resident__organisation", "requested_by", "case")
        .order_by("requested_at", "id")
    )


def pending_approvals_for(user: User) -> QuerySet[BudgetSpend]:
    """The spends awaiting a decision that `user` may make, oldest first (none for a user who
    approves nowhere). Spends the user asked for are left out: someone else must decide them.

    For work queues such as the dashboard's; each spend has `ledger.resident`, `requested_by`
    and `case` loaded."""
    return approvals_queue(user=user).exclude(requested_by=user)


def recent_decisions_for(*, user: User, limit: int = 20) -> list[BudgetDecision]:
    """The latest decisions by people (not the threshold rule) on spends the user may
    approve, newest first."""
    return list(
        BudgetDecision.objects.filter(
            decided_by__isnull=False,
            spend__ledger__resident__organisation_id__in=approver_organisation_ids(user=user),
        )
        .select_related("decided_by", "spend__ledger__resident", "spend__requested_by")
        .order_by("-decided_at", "-id")[:limit]
    )


REVIEW_WARNING_DAYS = 7


def reviews_due_for(user: User, today: date | None = None) -> QuerySet[Case]:
    """Open cases in the user's caseload (they are the adviser, in an organisation where they
    may work on cases) whose next review date has passed or falls within the next 7 days,
    most overdue first. Each case has `resident` loaded; compare `next_review_on` with
    today to tell overdue from due soon."""
    today = today or timezone.localdate()
    return (
        Case.objects.open()
        .filter(
            adviser=user,
            organisation_id__in=scope_for(user, Capability.MANAGE_CASES).organisation_ids,
            next_review_on__lte=today + timedelta(days=REVIEW_WARNING_DAYS),
        )
        .select_related("resident", "organisation")
        .order_by("next_review_on", "id")
    )


def checks_due_for(*, user: User, today: date, within_days: int = 28) -> QuerySet[SustainmentCheck]:
    """Unrecorded sustainment checks on the user's cases due within `within_days` or overdue."""
    return (
        SustainmentCheck.objects.filter(
            outcome="",
            due_on__lte=today + timedelta(days=within_days),
            job_start__case_link__case__adviser=user,
            job_start__case_link__case__organisation_id__in=scope_for(
                user, Capability.MANAGE_CASES
            ).organisation_ids,
        )
        .select_related("job_start__resident", "job_start__case_link__case")
        .order_by("due_on", "id")
    )


# --- Work queues (the dashboard) ------------------------------------------------------------


def referrals_in_for(user: User) -> QuerySet[Case]:
    """Referrals in to the user's services not yet picked up: open cases held where the user
    works on cases with nothing done yet (no action plan goal, no case note), oldest first."""
    return (
        Case.objects.open()
        .filter(organisation_id__in=scope_for(user, Capability.MANAGE_CASES).organisation_ids)
        .filter(~Exists(Goal.objects.filter(case=OuterRef("pk"))))
        .filter(~Exists(CaseNote.objects.filter(case=OuterRef("pk"))))
        .select_related("resident", "adviser")
        .order_by("referred_on", "id")
    )


def service_referrals_for(user: User) -> QuerySet[Case]:
    """Every referral in (case) held where the user works on cases, newest referral first,
    each annotated with `picked_up`: whether an action plan goal or a case note exists."""
    return (
        Case.objects.filter(
            organisation_id__in=scope_for(user, Capability.MANAGE_CASES).organisation_ids
        )
        .annotate(
            picked_up=Exists(Goal.objects.filter(case=OuterRef("pk")))
            | Exists(CaseNote.objects.filter(case=OuterRef("pk")))
        )
        .select_related("resident", "adviser", "organisation")
        .order_by("-referred_on", "-id")
    )


def employers_for(*, organisation: Organisation) -> QuerySet[Organisation]:
    council = organisation.scheme_council
    return Organisation.objects.filter(kind=OrganisationKind.EMPLOYER, council=council)


def hubs_for(*, organisation: Organisation) -> QuerySet[Organisation]:
    council = organisation.scheme_council
    return Organisation.objects.filter(Q(pk=council.pk if council else None) | Q(council=council))


# --- Monitoring: plain counts the monitoring report can use ------------------------------------
# Each counts with the QuerySet method that defines the measure (the one the KPIs and funding
# outputs use), narrowed to cases of the organisations (all when `organisation_ids` is None)
# and to the days of [start, end).


def _days(start: datetime, end: datetime) -> tuple[date, date]:
    """The days of [start, end): the first, and the last before `end`'s day."""
    return start.date(), end.date() - timedelta(days=1)


def _of(queryset: _Q, organisation_ids: Collection[int] | None) -> _Q:
    return queryset if organisation_ids is None else queryset.on_cases_of(organisation_ids)


def residents_by_referral_source(
    organisation_ids: Collection[int] | None, start: datetime, end: datetime
) -> dict[str, int]:
    """Distinct residents referred in (case referral date in [start, end)) by source."""
    cases = Case.objects.referred_between(*_days(start, end))
    if organisation_ids is not None:
        cases = cases.of_organisations(organisation_ids)
    rows = cases.values("referral_source").annotate(n=Count("resident", distinct=True))
    return {row["referral_source"]: row["n"] for row in rows}


def budget_spend_total(
    organisation_ids: Collection[int] | None, start: datetime, end: datetime
) -> Decimal:
    """Approved personal budget spend with a spend date in [start, end), in pounds."""
    return _of(BudgetSpend.objects.approved_between(*_days(start, end)), organisation_ids).total()


def budget_spend_residents(
    organisation_ids: Collection[int] | None, start: datetime, end: datetime
) -> int:
    """Residents with at least one approved spend dated in [start, end)."""
    spends = _of(BudgetSpend.objects.approved_between(*_days(start, end)), organisation_ids)
    return spends.values("ledger__resident").distinct().count()


def placements_started(
    organisation_ids: Collection[int] | None, start: datetime, end: datetime
) -> int:
    """Paid work placements starting in [start, end)."""
    return _of(Placement.objects.started_between(*_days(start, end)), organisation_ids).count()


def devices_provided(
    organisation_ids: Collection[int] | None, start: datetime, end: datetime
) -> dict[str, int]:
    """Devices and data SIMs issued in [start, end), by kind."""
    devices = _of(Device.objects.issued_between(*_days(start, end)), organisation_ids)
    return {row["kind"]: row["n"] for row in devices.values("kind").annotate(n=Count("id"))}


def case_job_starts(
    organisation_ids: Collection[int] | None, start: datetime, end: datetime
) -> int:
    """Job starts recorded from cases, with a start date in [start, end)."""
    starts = JobStart.objects.started_between(*_days(start, end))
    if organisation_ids is None:
        return starts.filter(case_link__isnull=False).count()
    return starts.filter(case_link__case__organisation_id__in=list(organisation_ids)).count()


def may_approve(*, user: User) -> bool:
    return bool(scope_for(user, Capability.APPROVE_BUDGETS))


def may_manage_policy(*, user: User) -> frozenset[int]:
    """Councils whose budget policy the user may change (administrators of the council)."""
    return (
        scope_for(user, Capability.MANAGE_ORGANISATION)
        .of_kinds(OrganisationKind.COUNCIL)
        .organisation_ids
    )


def policy_row_of(*, council: Organisation) -> BudgetPolicy | None:
    """The council's own budget policy, if it has set one."""
    return BudgetPolicy.objects.filter(council=council).first()
