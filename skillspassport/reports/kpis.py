"""KPIs computed from the records for a council and a period. Never typed in.

Each KPI says where its figure comes from. A figure that cannot be worked out for a period
(spend per job start when there were no job starts) is `None`, shown as "not available",
never as zero.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from skillspassport.accounts.models import Organisation
from skillspassport.core import disclosure
from skillspassport.core.querysets import day_span
from skillspassport.credentials.models import IssuedCredential
from skillspassport.employers.models import JobStart, Referral, SustainmentCheck
from skillspassport.people.models import Resident, ResidentQuerySet
from skillspassport.skills.models import OVERALL, Evidence, PassportLevelChange
from skillspassport.support.models import BudgetSpend, Case, Device, Placement
from skillspassport.training.models import Enrolment

AWARD_ORDER = {"": 0, "bronze": 1, "silver": 2, "gold": 3}


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive
    label: str

    @property
    def start_at(self) -> datetime:
        return day_span(self.start, self.end)[0]

    @property
    def end_at(self) -> datetime:
        """The first moment after the period."""
        return day_span(self.start, self.end)[1]

    def previous(self) -> Period:
        """The half-year before a half-year period."""
        if self.start.month == 4:
            return Period.half_year(self.start.year - 1, 2)
        return Period.half_year(self.start.year, 1)

    @classmethod
    def containing(cls, day: date) -> Period:
        if 4 <= day.month <= 9:
            return cls.half_year(day.year, 1)
        return cls.half_year(day.year if day.month >= 10 else day.year - 1, 2)

    @classmethod
    def financial_year(cls, year: int) -> Period:
        """April `year` to March `year + 1`."""
        return cls(
            date(year, 4, 1), date(year + 1, 3, 31), f"Financial year {year}/{str(year + 1)[2:]}"
        )

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        """Financial half-years: H1 is April to September, H2 October to March."""
        if half == 1:
            return cls(date(year, 4, 1), date(year, 9, 30), f"April to September {year}")
        return cls(date(year, 10, 1), date(year + 1, 3, 31), f"October {year} to March {year + 1}")


@dataclass(frozen=True)
class KpiValue:
    code: str
    label: str
    value: int | float | None
    source: str  # where the figure comes from, or why it is not available


@dataclass(frozen=True)
class Kpi:
    code: str
    label: str
    source: str
    compute: Callable[[Scope, Period], int | float | None] | None  # None: not available yet
    counts_people: bool = True  # a count of residents: 1 to 4 is shown as "fewer than 5"


@dataclass(frozen=True)
class Filters:
    """Narrow every KPI to residents of one ward and/or registered by one organisation."""

    ward: str = ""
    organisation: int | None = None


@dataclass(frozen=True)
class Scope:
    council: Organisation
    filters: Filters = Filters()


# What each figure counts is a QuerySet method of the app that owns the records (the same
# methods the funding outputs use); this module only narrows them to the council's scheme
# residents and the period's days.


def scheme_residents(scope: Scope) -> ResidentQuerySet:
    residents = Resident.objects.in_scheme_of(scope.council.pk)
    if scope.filters.ward:
        residents = residents.filter(ward_id=scope.filters.ward)
    if scope.filters.organisation is not None:
        residents = residents.filter(organisation_id=scope.filters.organisation)
    return residents


def supported(scope: Scope, period: Period) -> ResidentQuerySet:
    """Residents supported in the period: registered, or with evidence recorded, in it."""
    return scheme_residents(scope).supported_between(period.start, period.end)


def _count_supported(scope: Scope, period: Period) -> int:
    return supported(scope, period).count()


def _count_disabled(scope: Scope, period: Period) -> int:
    return supported(scope, period).disabled().count()


def _count_16_24(scope: Scope, period: Period) -> int:
    """Aged 16 to 24 on the last day of the period."""
    return supported(scope, period).aged_on(period.end, 16, 24).count()


def levels_held(scope: Scope, day: date, strand: str = OVERALL) -> dict[int, str]:
    """Each scheme resident's level in `strand` (overall by default) as it stood at the end of
    `day`, from the level history, so later changes to records do not alter a past period's
    figures."""
    levels: dict[int, str] = {}
    changes = (
        PassportLevelChange.objects.in_strand(strand)
        .up_to(day)
        .for_residents(scheme_residents(scope).values("pk"))
        .order_by("resident_id", "changed_at", "pk")
        .values_list("resident_id", "to_level")
    )
    for resident_id, level in changes:
        levels[resident_id] = level
    return levels


def _at_least(level: str, strand: str = OVERALL) -> Callable[[Scope, Period], int]:
    def compute(scope: Scope, period: Period) -> int:
        held = levels_held(scope, period.end, strand)
        return sum(1 for v in held.values() if AWARD_ORDER[v] >= AWARD_ORDER[level])

    return compute


def _credentials(scope: Scope, period: Period) -> int:
    return (
        IssuedCredential.objects.gained_between(period.start, period.end)
        .for_residents(scheme_residents(scope).values("pk"))
        .count()
    )


def _plans(scope: Scope, period: Period) -> int:
    from skillspassport.targeting.models import TargetingPlan

    return TargetingPlan.objects.filter(council=scope.council, created_at__lt=period.end_at).count()


def _reach(scope: Scope, period: Period) -> int:
    """Residents supported in the period who live in an area of any saved targeting plan."""
    from skillspassport.targeting.models import TargetingPlan

    areas: set[str] = set()
    for codes in TargetingPlan.objects.filter(
        council=scope.council, created_at__lt=period.end_at
    ).values_list("area_codes", flat=True):
        areas.update(codes)
    return supported(scope, period).filter(lsoa_id__in=areas).count()


def _evidence(scope: Scope, period: Period) -> int:
    return (
        Evidence.objects.recorded_between(period.start, period.end)
        .for_residents(scheme_residents(scope).values("pk"))
        .count()
    )


# --- Employers, training and casework ------------------------------------------------------------


def _referred_in(scope: Scope, period: Period) -> int:
    return (
        Case.objects.referred_between(period.start, period.end)
        .for_residents(scheme_residents(scope))
        .values("resident_id")
        .distinct()
        .count()
    )


def _pledges_fulfilled(scope: Scope, period: Period) -> int:
    """Referrals on pledged opportunities that reached what the pledge promises in the
    period: an interview for a guaranteed-interview pledge, a start for the others."""
    return (
        Referral.objects.pledges_fulfilled_between(period.start, period.end)
        .for_residents(scheme_residents(scope))
        .count()
    )


def _job_starts(scope: Scope, period: Period) -> int:
    return (
        JobStart.objects.started_between(period.start, period.end)
        .for_residents(scheme_residents(scope))
        .count()
    )


def _sustained(weeks: int) -> Callable[[Scope, Period], int]:
    def compute(scope: Scope, period: Period) -> int:
        return (
            SustainmentCheck.objects.sustained_between(weeks, period.start, period.end)
            .for_residents(scheme_residents(scope))
            .count()
        )

    return compute


def _spend_per_job_start(scope: Scope, period: Period) -> float | None:
    """Approved personal budget spend in the period divided by job starts in it (£)."""
    starts = _job_starts(scope, period)
    if not starts:
        return None
    total = (
        BudgetSpend.objects.approved_between(period.start, period.end)
        .for_residents(scheme_residents(scope))
        .total()
    )
    return round(float(total) / starts, 2)


def _placements(scope: Scope, period: Period) -> int:
    return (
        Placement.objects.started_between(period.start, period.end)
        .for_residents(scheme_residents(scope))
        .count()
    )


def _devices(scope: Scope, period: Period) -> int:
    return (
        Device.objects.issued_between(period.start, period.end)
        .for_residents(scheme_residents(scope))
        .count()
    )


def _training_starts(scope: Scope, period: Period) -> int:
    return (
        Enrolment.objects.started_between(period.start, period.end)
        .for_residents(scheme_residents(scope))
        .count()
    )


def _training_completions(scope: Scope, period: Period) -> int:
    return (
        Enrolment.objects.completed_between(period.start, period.end)
        .for_residents(scheme_residents(scope))
        .count()
    )


KPIS: dict[str, Kpi] = {
    k.code: k
    for k in [
        Kpi(
            "residents_supported",
            "Residents supported",
            "Residents registered, or with evidence recorded, in the period",
            _count_supported,
        ),
        Kpi(
            "residents_disabled",
            "of whom disabled",
            "Equality monitoring: disability answered yes",
            _count_disabled,
        ),
        Kpi("residents_16_24", "of whom aged 16 to 24", "Date of birth", _count_16_24),
        Kpi(
            "passports_bronze_or_above",
            "Passports at Bronze or above",
            "Overall levels at the end of the period",
            _at_least("bronze"),
        ),
        Kpi(
            "passports_silver_or_above",
            "Passports at Silver or above",
            "Overall levels at the end of the period",
            _at_least("silver"),
        ),
        Kpi(
            "passports_gold",
            "Passports at Gold",
            "Overall levels at the end of the period",
            _at_least("gold"),
        ),
        *[
            Kpi(
                f"{strand}_bronze_or_above",
                f"{strand.capitalize()} at Bronze or above",
                f"{strand.capitalize()} strand levels at the end of the period",
                _at_least("bronze", strand),
            )
            for strand in ("digital", "numeracy", "literacy", "communication")
        ],
        Kpi(
            "credentials_issued",
            "Verifiable credentials issued",
            "Credentials issued in the period and not revoked",
            _credentials,
        ),
        Kpi(
            "targeting_plans",
            "Targeting plans agreed",
            "Saved targeting plans",
            _plans,
            counts_people=False,
        ),
        Kpi(
            "reach_in_target_areas",
            "Residents supported in target areas",
            "Residents supported living in a plan's areas",
            _reach,
        ),
        Kpi(
            "evidence_recorded",
            "Skills evidence recorded",
            "Evidence recorded",
            _evidence,
            counts_people=False,
        ),
        Kpi(
            "residents_by_referral_source",
            "Residents referred in for employment support",
            "Cases by referral date (Jobcentre Plus, social care, self-referral and others)",
            _referred_in,
        ),
        Kpi(
            "pledges_fulfilled",
            "Employer pledges fulfilled",
            "Referrals on pledged opportunities reaching the pledge (interview or start)",
            _pledges_fulfilled,
        ),
        Kpi("job_starts", "Job starts", "Job starts by start date", _job_starts),
        Kpi(
            "sustained_13_weeks",
            "Jobs sustained 13 weeks",
            "13-week checks due in the period and confirmed in work",
            _sustained(13),
        ),
        Kpi(
            "sustained_26_weeks",
            "Jobs sustained 26 weeks",
            "26-week checks due in the period and confirmed in work",
            _sustained(26),
        ),
        Kpi(
            "budget_spend_per_outcome",
            "Personal budget spend per job start (£)",
            "Approved spends in the period ÷ job starts in the period",
            _spend_per_job_start,
            counts_people=False,
        ),
        Kpi(
            "placements_started",
            "Paid work placements started",
            "Placements by start date",
            _placements,
        ),
        Kpi(
            "devices_and_sims",
            "Devices and data SIMs provided",
            "Devices and SIMs by date issued",
            _devices,
            counts_people=False,
        ),
        Kpi("training_starts", "Training starts", "Places taken on cohorts", _training_starts),
        Kpi(
            "training_completions",
            "Training completions",
            "Completions recorded",
            _training_completions,
        ),
    ]
}


def compute(
    council: Organisation,
    period: Period,
    codes: list[str] | None = None,
    filters: Filters | None = None,
) -> list[KpiValue]:
    scope = Scope(council, filters or Filters())
    out = []
    for code in codes or list(KPIS):
        kpi = KPIS[code]
        value = kpi.compute(scope, period) if kpi.compute is not None else None
        out.append(KpiValue(kpi.code, kpi.label, value, kpi.source))
    return out


def shown(code: str, value: int | float | None) -> int | float | str | None:
    """A KPI value as it may be shown outside the service: small counts of people hidden."""
    if value is not None and KPIS[code].counts_people and disclosure.is_small(value):
        return disclosure.PRIMARY
    return value


def rag(value: int | float | None, spec: dict[str, Any]) -> str:
    """The RAG status: "green", "amber", "red", "unavailable" (no figure yet) or "" (no
    target)."""
    target = spec.get("target")
    if value is None:
        return "unavailable"
    if target is None or spec.get("rag") != "at_least":
        return ""
    if value >= target:
        return "green"
    return "amber" if value >= target * float(spec.get("amber_share", 0.8)) else "red"
