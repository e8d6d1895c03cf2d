"""The officer dashboard and the six-monthly monitoring report (HTML, PDF, XLSX)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from openpyxl import Workbook

from skillspassport.accounts.access import acting_council
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import Organisation
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import user_has_capability
from skillspassport.core.exports import csv_writer, safe_row
from skillspassport.reports import kpis, pdfs, selectors, services
from skillspassport.reports.analytics.charts import count_shading, trend_bars
from skillspassport.reports.models import MonitoringReport


def _council(request: AuthenticatedRequest) -> Organisation:
    """The council whose scheme the user reports on (the rule in `accounts.access`)."""
    return acting_council(request, Capability.VIEW_AGGREGATES)


def _may_manage(request: AuthenticatedRequest, council: Organisation) -> bool:
    """Whether the user writes the council's reports: reads drafts, saves and publishes them.

    Everyone else who reports on the scheme (analysts, viewers, councillors) sees published
    reports only; a draft's address answers 404 to them.
    """
    return user_has_capability(
        user=request.user,
        capability=Capability.DRAFT_REPORTS,
        organisation_id=council.pk,
    )


def _recent_periods(count: int = 4) -> list[kpis.Period]:
    periods = [kpis.Period.containing(timezone.localdate())]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods


@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    council = _council(request)
    wards = selectors.council_wards(council=council)
    organisations = selectors.scheme_partners(council=council)
    ward = request.GET.get("ward", "")
    organisation = request.GET.get("organisation", "")
    filters = kpis.Filters(
        ward=ward if wards.filter(code=ward).exists() else "",
        organisation=int(organisation)
        if organisation.isdigit()
        and (organisations.filter(pk=organisation).exists() or int(organisation) == council.pk)
        else None,
    )
    view = request.GET.get("view", "half_years")
    periods, period_error = _dashboard_periods(request, view)
    table: dict[str, dict[str, Any]] = {}
    for period in periods:
        for value in kpis.compute(council, period, filters=filters):
            row = table.setdefault(
                value.code, {"label": value.label, "source": value.source, "values": []}
            )
            row["values"].append(kpis.shown(value.code, value.value))
    targets = {k["code"]: k for r in services.framework()["recommendations"] for k in r["kpis"]}
    rows = []
    for code, row in table.items():
        spec = targets.get(code, {})
        current = row["values"][-1]
        status = kpis.rag(current if not isinstance(current, str) else 1, spec)
        rows.append(row | {"code": code, "target": spec.get("target"), "rag": status})
    return render(
        request,
        "reports/dashboard.html",
        {
            "council": council,
            "periods": periods,
            "rows": rows,
            "wards": wards,
            "organisations": [council, *organisations],
            "filters": filters,
            "view": view,
            "period_error": period_error,
            "start": request.GET.get("start", ""),
            "end": request.GET.get("end", ""),
        },
    )


def _dashboard_periods(request: AuthenticatedRequest, view: str) -> tuple[list[kpis.Period], str]:
    """The columns of the dashboard: recent half-years, financial years, or one custom range."""
    today = timezone.localdate()
    if view == "financial_years":
        first = today.year if today.month >= 4 else today.year - 1
        return [kpis.Period.financial_year(y) for y in range(first - 2, first + 1)], ""
    if view == "custom":
        try:
            start = date.fromisoformat(request.GET.get("start", ""))
            end = date.fromisoformat(request.GET.get("end", ""))
        except ValueError:
            return list(
                reversed(_recent_periods())
            ), "Enter the start and end as dates (YYYY-MM-DD)."
        if end < start:
            return list(reversed(_recent_periods())), "The end date must be after the start date."
        if (end - start).days > 366 * 5:
            return list(reversed(_recent_periods())), "Choose a range of five years or less."
        return [kpis.Period(start, end, f"{start:%-d %b %Y} to {end:%-d %b %Y}")], ""
    return list(reversed(_recent_periods())), ""


@require_http_methods(["GET", "POST"])
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    council = _council(request)
    periods = _recent_periods()
    if request.method == "POST":
        if not _may_manage(request, council):
            raise PermissionDenied
        chosen = next(
            (p for p in periods if p.start.isoformat() == request.POST.get("period")), None
        )
        if chosen is None:
            messages.error(request, "Choose one of the periods listed.")
            return redirect("reports:list")
        report = services.report_create(council=council, period=chosen, user=request.user)
        return redirect("reports:detail", report_id=report.pk)
    return render(
        request,
        "reports/list.html",
        {
            "council": council,
            "reports": selectors.reports_of(council=council, drafts=_may_manage(request, council)),
            "periods": periods,
            "may_manage": _may_manage(request, council),
        },
    )


def _report(request: AuthenticatedRequest, report_id: int) -> tuple[Organisation, MonitoringReport]:
    report = selectors.report_get_for_user(user=request.user, report_id=report_id)
    return report.council, report


def _confirm_publish(
    request: AuthenticatedRequest, report: MonitoringReport, error: str = ""
) -> HttpResponse:
    """The check before publishing: what will happen, carrying the narratives as they were
    typed, so that they are saved and published together in one step."""
    return render(
        request,
        "reports/publish_confirm.html",
        {
            "report": report,
            "narratives": sorted(
                (k, v) for k, v in request.POST.items() if k.startswith("narrative_")
            ),
            "unfinished": services.period_unfinished(report),
            "superseding": selectors.report_versions(report=report, drafts=False).exclude(
                pk=report.pk
            ),
            "error": error,
        },
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def report_detail(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    council, report = _report(request, report_id)
    may_manage = _may_manage(request, council)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        try:
            if request.POST.get("action") == "publish":
                if request.POST.get("confirmed") != "yes":
                    return _confirm_publish(request, report)
                unfinished = services.period_unfinished(report)
                if unfinished and request.POST.get("interim") != "yes":
                    return _confirm_publish(
                        request,
                        report,
                        error="Confirm that this is an interim report: its period has not ended.",
                    )
                services.report_publish(
                    report=report,
                    user=request.user,
                    narratives=_narratives(request),
                    interim=unfinished,
                )
                messages.success(request, "Report published. Its figures are now fixed.")
            else:
                services.narratives_save(
                    report=report, narratives=_narratives(request), user=request.user
                )
                messages.success(request, "Progress narratives saved.")
        except services.ReportError as exc:
            messages.error(request, str(exc))
        return redirect("reports:detail", report_id=report.pk)
    contents = services.report_contents(report)
    for recommendation in contents["recommendations"]:
        recommendation["narrative"] = report.narratives.get(recommendation["code"], "")
        for kpi in recommendation["kpis"]:
            kpi["bars"] = trend_bars([t["value"] for t in kpi["trend"]])
    return render(
        request,
        "reports/detail.html",
        {
            "report": report,
            "contents": contents,
            "may_manage": may_manage,
            "map": _residents_map(contents.get("areas", [])),
            "ward_map": _residents_map(
                [
                    {"label": row.get("code", ""), "count": row["count"]}
                    for row in contents["wards"]
                    if row.get("code")
                ],
                kind="wards",
            ),
            "versions": selectors.report_versions(
                report=report, drafts=_may_manage(request, report.council)
            ),
        },
    )


def _residents_map(areas: list[dict[str, Any]], kind: str = "lsoa21") -> Any:
    """Areas shaded by residents supported; hidden (fewer than 5) and none left unshaded."""
    from skillspassport.targeting import maps

    counts = {a["label"]: a["count"] for a in areas if a["label"] != "Total"}
    shading = count_shading(counts, len(maps.PALETTE))
    if shading is None or not maps.has_boundaries(counts, kind):
        return None
    drawn = maps.choropleth(shading.scaled, kind=kind)
    edges = shading.edges
    legend = tuple(
        (maps.PALETTE[i], f"{edges[i]} to {edges[i + 1]} residents")
        for i in range(len(maps.PALETTE))
    )
    return maps.ChoroplethMap(
        drawn.width, drawn.height, drawn.shapes, (*legend, (maps.NO_DATA, "Fewer than 5, or none"))
    )


def _narratives(request: AuthenticatedRequest) -> dict[str, str]:
    return {
        key.removeprefix("narrative_"): str(request.POST.get(key, ""))
        for key in request.POST
        if key.startswith("narrative_")
    }


def _cell(value: Any) -> Any:
    return "not available" if value is None else value


@require_http_methods(["GET", "POST"])
def report_pdf(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    """The PDF, once made; until then a page that offers to make it (background work)."""
    report = _report(request, report_id)[1]
    if request.method == "POST":
        work = pdfs.report_pdf_start(report=report, user=request.user)
        return redirect("background:detail", work_id=work.pk)
    made = pdfs.report_pdf_current(report=report)
    if made is None:
        return render(request, "reports/pdf_make.html", {"report": report})
    response = HttpResponse(bytes(made.data), content_type="application/pdf")
    name = f"monitoring-report-{report.period_start:%Y-%m}-v{report.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def report_csv(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    """Every table of the report in one CSV: a 'table' column says which table a row is from."""
    report = _report(request, report_id)[1]
    contents = services.report_contents(report)
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["table", "row", "period", "value", "target", "status", "share_percent"])
    for recommendation in contents["recommendations"]:
        for kpi in recommendation["kpis"]:
            for t in kpi["trend"]:
                writer.writerow(
                    [
                        f"{recommendation['code']} measures",
                        kpi["label"],
                        t["period"],
                        _cell(t["value"]),
                        kpi["target"] if kpi["target"] is not None else "",
                        kpi["rag"] if t is kpi["trend"][-1] else "",
                        "",
                    ]
                )
    sections = [(s["question"], s["rows"]) for s in contents["equality"]]
    sections += [("Age", contents["ages"]), ("Wards", contents["wards"])]
    for title, rows in sections:
        for row in rows:
            writer.writerow(
                [title, row["label"], report.period_label, row["count"], "", "", row["share"] or ""]
            )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"monitoring-report-{report.period_start:%Y-%m}-v{report.version}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def report_xlsx(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = _report(request, report_id)[1]
    contents = services.report_contents(report)
    book = Workbook()
    sheet = book.active
    sheet.title = "KPIs"
    periods = [t["period"] for t in contents["recommendations"][0]["kpis"][0]["trend"]]
    sheet.append(safe_row(["Recommendation", "Measure", *periods, "Target", "Status", "Source"]))
    for recommendation in contents["recommendations"]:
        for kpi in recommendation["kpis"]:
            sheet.append(
                safe_row(
                    [
                        recommendation["code"],
                        kpi["label"],
                        *[
                            t["value"] if t["value"] is not None else "not available"
                            for t in kpi["trend"]
                        ],
                        kpi["target"],
                        kpi["rag"],
                        kpi["source"],
                    ]
                )
            )
    for section in contents["equality"]:
        equality_sheet = book.create_sheet(section["field"][:31])
        equality_sheet.append(safe_row([section["question"], "Residents", "Share %"]))
        for row in section["rows"]:
            equality_sheet.append(safe_row([row["label"], row["count"], row["share"]]))
    for title, rows in (("Age", contents["ages"]), ("Wards", contents["wards"])):
        extra = book.create_sheet(title)
        extra.append(safe_row([title, "Residents", "Share %"]))
        for row in rows:
            extra.append(safe_row([row["label"], row["count"], row["share"]]))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"monitoring-report-{report.period_start:%Y-%m}-v{report.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
