"""Building, publishing and exporting the six-monthly monitoring report.

`report_figures` computes everything the report shows from the records — KPIs against targets
with trends, equality monitoring beside the area's Census 2021 population, and residents by
ward — with every table protected by disclosure control. Publishing stores those figures in the
report, so later changes to records do not alter a published report; publishing again makes a
new version.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.core.disclosure import protect
from skillspassport.employers.models import JobStart
from skillspassport.people import equality
from skillspassport.people.models import EqualityMonitoring
from skillspassport.reports import kpis
from skillspassport.reports.models import MonitoringReport

FRAMEWORK_FILE = Path(__file__).resolve().parent / "data" / "monitoring_framework.yaml"
TREND_PERIODS = 4


ALREADY_PUBLISHED = "This version is already published; start a new version to change it."
NOT_SAVED = (
    "This report was published before your changes were saved, so they were not "
    "saved: a published report cannot be changed. Start a new version to change it."
)


class ReportError(ValueError):
    pass


def framework() -> dict[str, Any]:
    return dict(yaml.safe_load(FRAMEWORK_FILE.read_text()))


def _protected_column(rows: list[tuple[str, int]]) -> list[dict[str, Any]]:
    """One column of counts (plus total), protected: label, shown count, share of total."""
    if not rows:
        return []
    table = protect([[count] for _label, count in rows])
    total = table.values[-1][0]
    out = []
    for r, (label, count) in enumerate([*rows, ("Total", total)]):
        shown = table.shown(r, 0)
        share = None if shown is None or total == 0 else round(100 * count / total, 1)
        out.append({"label": label, "count": table.label(r, 0), "share": share})
    return out


def _equality(council: Organisation, period: kpis.Period) -> list[dict[str, Any]]:
    scope = kpis.Scope(council)
    supported = list(kpis.supported(scope, period).values_list("pk", flat=True))
    records = {
        e.resident_id: e for e in EqualityMonitoring.objects.filter(resident_id__in=supported)
    }
    sections = []
    for field, question, choices in equality.QUESTIONS:
        counts: Counter[str] = Counter()
        for resident_id in supported:
            record = records.get(resident_id)
            answer = getattr(record, field, "") if record else ""
            counts[answer or "not_recorded"] += 1
        labels = dict(choices.choices) | {"not_recorded": "Not recorded"}
        rows = [(labels[value], counts[value]) for value in [*choices.values, "not_recorded"]]
        sections.append({"field": field, "question": question, "rows": _protected_column(rows)})
    sections.append(_tech_roles_by_sex(council, period))
    return sections


def _tech_roles_by_sex(council: Organisation, period: kpis.Period) -> dict[str, Any]:
    """Job starts in digital or technology roles in the period, by the starter's sex."""
    starts = (
        JobStart.objects.started_between(period.start, period.end)
        .for_residents(kpis.scheme_residents(kpis.Scope(council)))
        .filter(is_tech_role=True)
    )
    answers = dict(
        EqualityMonitoring.objects.filter(resident_id__in=starts.values("resident_id")).values_list(
            "resident_id", "sex"
        )
    )
    counts: Counter[str] = Counter(
        answers.get(resident_id) or "not_recorded"
        for resident_id in starts.values_list("resident_id", flat=True)
    )
    labels = dict(equality.Sex.choices) | {"not_recorded": "Not recorded"}
    rows = [(labels[value], counts[value]) for value in [*equality.Sex.values, "not_recorded"]]
    return {
        "field": "tech_roles_by_sex",
        "question": "Job starts in digital or technology roles, by sex",
        "rows": _protected_column(rows),
    }


def _census_shares(council: Organisation) -> dict[str, float | None]:
    """The council area's population shares from Census 2021 (weighted by residents)."""
    from skillspassport.targeting import selectors as area_selectors

    areas = list(area_selectors.council_areas(council).values_list("code", flat=True))
    values = area_selectors.area_values(areas, area_selectors.current_datasets()).values
    shares: dict[str, float | None] = {}
    for indicator in ("prop_disabled", "prop_65_plus"):
        weighted: list[tuple[float, float]] = [
            (share, people)
            for v in values.values()
            if (share := v.get(indicator)) is not None and (people := v.get("population"))
        ]
        population = sum(p for _s, p in weighted)
        shares[indicator] = (
            round(100 * sum(s * p for s, p in weighted) / population, 1) if population else None
        )
    return shares


def _ages(council: Organisation, period: kpis.Period) -> list[dict[str, Any]]:
    bands = [(16, 24), (25, 49), (50, 64), (65, 200)]
    counts: Counter[tuple[int, int]] = Counter()
    for born in kpis.supported(kpis.Scope(council), period).values_list("date_of_birth", flat=True):
        age = _age_on(born, period.end)
        for low, high in bands:
            if low <= age <= high:
                counts[(low, high)] += 1
    rows = [
        (f"{low} to {high}" if high < 200 else f"{low} and over", counts[(low, high)])
        for low, high in bands
    ]
    return _protected_column(rows)


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _areas(council: Organisation, period: kpis.Period) -> list[dict[str, Any]]:
    """Residents supported by small area (LSOA 2021), protected, for the report's map."""
    counts = Counter(
        code
        for code in kpis.supported(kpis.Scope(council), period).values_list("lsoa_id", flat=True)
        if code
    )
    return _protected_column(sorted(counts.items()))


def _wards(council: Organisation, period: kpis.Period) -> list[dict[str, Any]]:
    pairs = list(kpis.supported(kpis.Scope(council), period).values_list("ward__name", "ward_id"))
    counts = Counter(name or "Ward not known" for name, _code in pairs)
    codes = {name: code for name, code in pairs if name}
    rows = _protected_column(sorted(counts.items()))
    for row in rows:
        row["code"] = codes.get(row["label"], "")
    return rows


def report_figures(council: Organisation, period: kpis.Period) -> dict[str, Any]:
    spec = framework()
    periods = [period]
    while len(periods) < TREND_PERIODS:
        periods.append(periods[-1].previous())
    periods.reverse()  # oldest first
    values = {p.label: {v.code: v for v in kpis.compute(council, p)} for p in periods}
    recommendations = []
    for recommendation in spec["recommendations"]:
        rows = []
        for kpi_spec in recommendation["kpis"]:
            current = values[period.label][kpi_spec["code"]]
            rows.append(
                {
                    "code": current.code,
                    "label": current.label,
                    "value": kpis.shown(current.code, current.value),
                    "target": kpi_spec.get("target"),
                    "rag": kpis.rag(current.value, kpi_spec),
                    "source": current.source,
                    "trend": [
                        {
                            "period": p.label,
                            "value": kpis.shown(current.code, values[p.label][current.code].value),
                        }
                        for p in periods
                    ],
                }
            )
        recommendations.append(
            {"code": recommendation["code"], "title": recommendation["title"], "kpis": rows}
        )
    census = _census_shares(council)
    return {
        "council": council.name,
        "period": {
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "framework_version": spec["version"],
        "recommendations": recommendations,
        "equality": _equality(council, period),
        "ages": _ages(council, period),
        "census": census,
        "wards": _wards(council, period),
        "areas": _areas(council, period),
        "computed_at": timezone.now().isoformat(timespec="seconds"),
    }


@transaction.atomic
def report_create(*, council: Organisation, period: kpis.Period, user: User) -> MonitoringReport:
    """A draft for the period (the next version if one has been published), made and audited in
    one transaction. The council's row is locked first, so two officers starting the period's
    report at once get the same draft rather than two drafts or a clash over the version."""
    Organisation.objects.select_for_update().filter(pk=council.pk).first()
    existing = MonitoringReport.objects.filter(
        council=council, period_start=period.start, period_end=period.end
    )
    draft = existing.filter(status=MonitoringReport.Status.DRAFT).first()
    if draft is not None:
        return draft
    latest = existing.aggregate(v=Max("version"))["v"] or 0
    previous = existing.filter(version=latest).first()
    report = MonitoringReport.objects.create(
        council=council,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        version=latest + 1,
        narratives=dict(previous.narratives) if previous else {},
        created_by=user,
    )
    audit_record(
        user=user,
        action=AuditAction.REPORT_CREATED,
        organisation=council,
        summary=f"Report {report.pk}: {period.label}, version {report.version}",
        changes={"status": (None, report.status), "version": (None, report.version)},
    )
    return report


def report_period(report: MonitoringReport) -> kpis.Period:
    return kpis.Period(report.period_start, report.period_end, report.period_label)


def report_contents(report: MonitoringReport) -> dict[str, Any]:
    """The frozen figures of a published report, or live figures for a draft."""
    if report.is_published and report.snapshot is not None:
        return dict(report.snapshot)
    return report_figures(report.council, report_period(report))


def _locked_draft(report: MonitoringReport, refusal: str) -> MonitoringReport:
    """The report's row, locked and read again; ReportError if it is published by now."""
    locked = MonitoringReport.objects.select_for_update().get(pk=report.pk)
    if locked.is_published:
        raise ReportError(refusal)
    return locked


def _narratives_apply(
    locked: MonitoringReport, narratives: dict[str, str], user: User | None
) -> None:
    """Write the narratives to the locked draft and audit what changed (inside a transaction)."""
    codes = {r["code"] for r in framework()["recommendations"]}
    before = dict(locked.narratives or {})
    locked.narratives = {k: v.strip()[:5000] for k, v in narratives.items() if k in codes}
    locked.save(update_fields=["narratives"])
    changed = {
        f"narrative {code}": (before.get(code, ""), locked.narratives.get(code, ""))
        for code in sorted(set(before) | set(locked.narratives))
        if before.get(code, "") != locked.narratives.get(code, "")
    }
    if changed:
        audit_record(
            user=user,
            action=AuditAction.REPORT_DRAFTED,
            organisation_id=locked.council_id,
            summary=f"Report {locked.pk}: {locked.period_label}, version {locked.version}",
            changes=changed,
        )


def period_unfinished(report: MonitoringReport, today: date | None = None) -> bool:
    return report.period_end >= (today or timezone.localdate())


@transaction.atomic
def report_publish(
    *,
    report: MonitoringReport,
    user: User,
    narratives: dict[str, str] | None = None,
    interim: bool = False,
    today: date | None = None,
) -> MonitoringReport:
    """Freeze the report's figures. With `narratives`, they are saved first in the same
    transaction, so a publish that fails leaves the draft exactly as it was.

    A period is published once it has ended; before then only as an interim report (`interim`),
    which says so on every page. Publishing a version marks the period's earlier published
    versions as superseded by it.
    """
    locked = _locked_draft(report, ALREADY_PUBLISHED if narratives is None else NOT_SAVED)
    unfinished = period_unfinished(locked, today)
    if unfinished and not interim:
        raise ReportError(
            f"The period ends on {locked.period_end:%-d %B %Y}: publish the report after that, "
            "or publish it now as an interim report, marked as such on every page."
        )
    if narratives is not None:
        _narratives_apply(locked, narratives, user)
    before = locked.status
    locked.snapshot = report_figures(locked.council, report_period(locked))
    locked.status = MonitoringReport.Status.PUBLISHED
    locked.interim = unfinished
    locked.published_at, locked.published_by = timezone.now(), user
    locked.save(update_fields=["snapshot", "status", "interim", "published_at", "published_by"])
    audit_record(
        user=user,
        action=AuditAction.REPORT_PUBLISHED,
        organisation_id=locked.council_id,
        summary=f"Report {locked.pk}: {locked.period_label}, version {locked.version}"
        + (" (interim)" if unfinished else ""),
        fields=["snapshot"],
        changes={"status": (before, locked.status)},
    )
    earlier = MonitoringReport.objects.filter(
        council_id=locked.council_id,
        period_start=locked.period_start,
        period_end=locked.period_end,
        status=MonitoringReport.Status.PUBLISHED,
        superseded_by__isnull=True,
    ).exclude(pk=locked.pk)
    for old in earlier.select_for_update():
        old.superseded_by, old.superseded_at = locked, locked.published_at
        old.save(update_fields=["superseded_by", "superseded_at"])
        audit_record(
            user=user,
            action=AuditAction.REPORT_PUBLISHED,
            organisation_id=locked.council_id,
            summary=f"Report {old.pk}: {old.period_label}, version {old.version} superseded by "
            f"version {locked.version}",
            changes={"superseded by": (None, f"version {locked.version}")},
        )
    # Its PDF is made once, now, from the frozen figures (after this commits).
    from skillspassport.reports.pdfs import report_pdf_start

    report_pdf_start(report=locked, user=user)
    return locked


@transaction.atomic
def narratives_save(
    *, report: MonitoringReport, narratives: dict[str, str], user: User | None = None
) -> None:
    """Save the progress narratives of a draft, with their audit event, in one transaction.
    The row is locked and read again, so a save that arrives after (or while) the report is
    published is refused, never applied. `report` is updated only once everything is written."""
    locked = _locked_draft(report, NOT_SAVED)
    _narratives_apply(locked, narratives, user)
    report.narratives = locked.narratives
