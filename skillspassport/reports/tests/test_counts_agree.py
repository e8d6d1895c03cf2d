"""The monitoring report's KPIs and a project's funding outputs count the same things the same way.

One set of records for the council's residents; a project whose only delivery organisation is
the council and whose dates are the report period. Every measure both registries have gives
the same figure, with records on the period's first and last days (including moments near
midnight, when London is an hour ahead of UTC) and just outside it. A sustainment check counts
in the period it falls due (docs/adr/0015-what-sustained-means.md): a job started before the
period can be sustained in it, and a job started in it can be sustained after it.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from skillspassport.credentials.models import IssuedCredential
from skillspassport.employers.models import JobStart, SustainmentCheck
from skillspassport.funding.outputs import MEASURES
from skillspassport.funding.selectors import project_outputs
from skillspassport.funding.services import CriterionSpec, fund_create, project_create
from skillspassport.people.models import Resident
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.reports.kpis import KPIS, Period, compute
from skillspassport.skills.models import Descriptor, Evidence, ScaleStep
from skillspassport.support import selectors as casework
from skillspassport.support.models import (
    BudgetLedger,
    BudgetSpend,
    Case,
    CaseJobStart,
    Device,
    Placement,
)
from skillspassport.training.models import Cohort, Course, Enrolment

LONDON = ZoneInfo("Europe/London")
PERIOD = Period.half_year(2025, 2)  # 1 October 2025 to 31 March 2026
FIRST, LAST = PERIOD.start, PERIOD.end
BEFORE, AFTER = FIRST - timedelta(days=1), LAST + timedelta(days=1)

# KPI code -> output code, for every measure the two registries share.
SHARED = {
    "residents_supported": "residents_supported",
    "credentials_issued": "credentials_gained",
    "job_starts": "job_starts",
    "sustained_13_weeks": "sustained_13_weeks",
    "sustained_26_weeks": "sustained_26_weeks",
    "devices_and_sims": "devices_issued",
    "training_starts": "training_starts",
    "training_completions": "training_completions",
}
# The same code for different measures: the KPI counts passports at Gold at the end of the
# period, the output passports reaching Gold during the project. Codes are stored (on report
# snapshots and project targets), so neither is renamed.
SAME_CODE_NOT_SHARED = {"passports_gold"}
# What only one registry counts: levels held at the end of a period are not levels reached
# during a project; cases opened are not residents referred in.
KPI_ONLY = {
    "residents_disabled",
    "residents_16_24",
    "passports_bronze_or_above",
    "passports_silver_or_above",
    "passports_gold",
    "digital_bronze_or_above",
    "numeracy_bronze_or_above",
    "literacy_bronze_or_above",
    "communication_bronze_or_above",
    "targeting_plans",
    "reach_in_target_areas",
    "evidence_recorded",
    "residents_by_referral_source",
    "pledges_fulfilled",
    "budget_spend_per_outcome",
    "placements_started",
}
OUTPUT_ONLY = {"passports_bronze", "passports_silver", "passports_gold", "cases_opened"}
assert SAME_CODE_NOT_SHARED <= KPI_ONLY & OUTPUT_ONLY

EXPECTED = {
    "residents_supported": 3,  # registered on the first and last days; evidence for one more
    "credentials_issued": 2,  # first and last days; a revoked one and a later one do not count
    "job_starts": 3,
    "sustained_13_weeks": 3,  # due on the first day, in October, on the last day
    "sustained_26_weeks": 2,  # due on the first day and in December
    "devices_and_sims": 2,
    "training_starts": 2,
    "training_completions": 2,
}


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def test_every_shared_measure_is_listed():
    same_code = {k for k, v in SHARED.items() if k == v}
    assert same_code | SAME_CODE_NOT_SHARED == set(KPIS) & set(MEASURES)
    assert set(KPIS) == set(SHARED) | KPI_ONLY
    assert set(MEASURES) == set(SHARED.values()) | OUTPUT_ONLY
    assert set(EXPECTED) == set(SHARED)


@pytest.fixture
def project(council, staff):
    manager = staff["programme_manager"]
    fund = fund_create(
        actor=manager,
        council=council,
        name="Inclusion Fund",
        funder="UK Shared Prosperity Fund",
        total_budget=Decimal("50000.00"),
        opens_on=date(2025, 1, 1),
        closes_on=date(2026, 12, 31),
        criteria=[CriterionSpec("Need", 100, 5)],
    )
    return project_create(
        actor=manager,
        fund=fund,
        name="Half-year of delivery",
        lead_organisation=council,
        delivery_organisations=[council],
        budget=Decimal("10000.00"),
        starts_on=FIRST,
        ends_on=LAST,
    )


def _resident(council, adviser, registered_at):
    resident = ResidentFactory(organisation=council, user=adviser)
    Resident.objects.filter(pk=resident.pk).update(created_at=registered_at)
    return resident


def _job(resident, adviser, started_on, outcomes):
    """A job start with its 13- and 26-week checks, `outcomes` by weeks ("" not checked)."""
    job = JobStart.objects.create(
        resident=resident,
        employer_name="Dockside Logistics",
        role_title="Warehouse operative",
        contract="permanent",
        started_on=started_on,
        hours_per_week=Decimal("30.0"),
        recorded_by=adviser,
    )
    for weeks in (13, 26):
        SustainmentCheck.objects.create(
            job_start=job,
            weeks=weeks,
            due_on=started_on + timedelta(weeks=weeks),
            outcome=outcomes.get(weeks, ""),
        )
    return job


@pytest.fixture
def records(council, other_council, adviser, staff, other_staff):
    # Residents: registered just after midnight on the first day, just before midnight on the
    # last (British Summer Time), just before the period (given evidence in it), just after.
    first = _resident(council, adviser, at(FIRST, 0, 15))
    last = _resident(council, adviser, at(LAST, 23, 30))
    earlier = _resident(council, adviser, at(BEFORE, 23, 45))
    later = _resident(council, adviser, at(AFTER, 0, 10))
    Evidence.objects.create(
        resident=earlier,
        descriptor=Descriptor.objects.first(),
        method="observed_adviser",
        shown_on=date(2026, 2, 1),
        recorded_by=adviser,
        recorded_at=at(date(2026, 2, 1)),
    )
    # Someone else's resident, in the period: counted by neither.
    outsider = ResidentFactory(organisation=other_council, user=other_staff["adviser"])
    Resident.objects.filter(pk=outsider.pk).update(created_at=at(date(2025, 11, 1)))
    _job(outsider, other_staff["adviser"], date(2025, 11, 3), {13: "in_work", 26: "in_work"})

    # Job starts and their checks (due = start + weeks).
    _job(first, adviser, date(2025, 4, 2), {13: "in_work", 26: "in_work"})  # 26w due 1 Oct
    _job(first, adviser, date(2025, 7, 2), {13: "in_work", 26: "in_work"})  # due 1 Oct, 31 Dec
    _job(last, adviser, date(2025, 8, 1), {13: "in_work"})  # 13w due 31 October
    _job(last, adviser, BEFORE, {13: "unknown"})  # started the day before the period
    job_first_day = _job(earlier, adviser, FIRST, {13: "not_in_work", 26: "unknown"})
    _job(earlier, adviser, date(2025, 12, 30), {13: "in_work", 26: "in_work"})  # 13w: last day
    _job(later, adviser, LAST, {13: "in_work"})  # a start on the last day; its check due after
    _job(later, adviser, AFTER, {13: "in_work"})

    # Casework on one case of the council.
    case = Case.objects.create(
        resident=first,
        organisation=council,
        adviser=adviser,
        referral_source="jobcentre",
        referred_on=date(2025, 9, 15),
        referring_organisation="Jobcentre Plus Bootle",
        opened_on=FIRST,
        opened_by=adviser,
    )
    CaseJobStart.objects.create(case=case, job_start=job_first_day)
    for day, kind in ((BEFORE, "laptop"), (FIRST, "laptop"), (LAST, "data_sim"), (AFTER, "tablet")):
        Device.objects.create(
            case=case,
            hub=council,
            kind=kind,
            serial=f"SN-{day:%Y%m%d}",
            issued_on=day,
            arrangement="gifted",
            recorded_by=adviser,
        )
    for day in (BEFORE, FIRST, LAST, AFTER):
        Placement.objects.create(
            case=case,
            employer_name="Bootle Library",
            role_title="Digital helper",
            weeks=6,
            hours_per_week=Decimal("16.0"),
            hourly_wage=Decimal("12.21"),
            starts_on=day,
            ends_on=day + timedelta(weeks=6),
            outcome="ongoing",
            recorded_by=adviser,
        )
    ledger = BudgetLedger.objects.create(resident=first)
    for day, amount, status in (
        (FIRST, "40.50", "approved"),
        (LAST, "10.00", "approved"),
        (date(2026, 1, 5), "20.00", "awaiting"),
        (AFTER, "99.00", "approved"),
    ):
        BudgetSpend.objects.create(
            ledger=ledger,
            case=case,
            category="travel",
            amount=Decimal(amount),
            description="Bus fares",
            spent_on=day,
            status=status,
            requested_by=adviser,
        )

    # Training on a course the council runs.
    step = ScaleStep.objects.filter(code="foundation").first()
    course = Course.objects.create(
        provider=council,
        title="Get online",
        level=step,
        delivery_mode="in_person",
        funding_source="asf",
        hours=12,
        created_by=staff["tutor"],
    )
    cohort = Cohort.objects.create(
        course=course,
        venue_name="Bootle Library",
        venue_postcode="L20 1AD",
        start_date=BEFORE,
        end_date=AFTER,
        capacity=10,
        tutor=staff["tutor"],
        created_by=staff["tutor"],
    )
    for resident, enrolled_at, status, outcome_at in (
        (first, at(FIRST, 0, 15), "completed", at(LAST, 23, 30)),
        (last, at(LAST, 23, 30), "not_completed", at(LAST, 23, 45)),
        (earlier, at(BEFORE, 23, 45), "completed", at(FIRST, 0, 15)),
        (later, at(AFTER, 0, 10), "completed", at(AFTER, 9)),
    ):
        Enrolment.objects.create(
            cohort=cohort,
            resident=resident,
            status=status,
            source="direct",
            requested_by=staff["tutor"],
            enrolled_at=enrolled_at,
            outcome_recorded_at=outcome_at,
        )

    # Credentials: first and last days; a revoked one; one issued after the period.
    for index, (resident, strand, issued_at, revoked) in enumerate(
        (
            (first, "overall", at(FIRST, 0, 15), False),
            (last, "digital", at(LAST, 23, 30), False),
            (earlier, "overall", at(date(2026, 1, 10)), True),
            (later, "overall", at(AFTER, 0, 10), False),
        ),
        start=1,
    ):
        IssuedCredential.objects.create(
            resident=resident,
            council=council,
            strand_code=strand,
            level="bronze",
            document={},
            status_index=index,
            issued_at=issued_at,
            revoked_at=at(date(2026, 2, 1)) if revoked else None,
        )


@pytest.mark.django_db
def test_kpis_and_funding_outputs_agree_on_every_shared_measure(council, project, records):
    kpis = {v.code: v.value for v in compute(council, PERIOD, codes=list(SHARED))}
    outputs = {row.measure.code: row.actual for row in project_outputs(project=project)}
    by_kpi_code = {code: outputs[SHARED[code]] for code in SHARED}
    assert {"kpis": kpis, "outputs": by_kpi_code} == {"kpis": EXPECTED, "outputs": EXPECTED}


@pytest.mark.django_db
def test_casework_monitoring_counts_agree_with_the_kpis(council, records):
    kpis = {v.code: v.value for v in compute(council, PERIOD)}
    mine, start, end = [council.pk], PERIOD.start_at, PERIOD.end_at
    assert casework.placements_started(mine, start, end) == kpis["placements_started"] == 2
    assert sum(casework.devices_provided(mine, start, end).values()) == kpis["devices_and_sims"]
    total = casework.budget_spend_total(mine, start, end)
    assert total == Decimal("50.50")
    assert round(float(total) / kpis["job_starts"], 2) == kpis["budget_spend_per_outcome"]
    assert casework.case_job_starts(mine, start, end) == 1
    assert casework.residents_by_referral_source(mine, start, end) == {}  # referred before
    assert kpis["residents_by_referral_source"] == 0
