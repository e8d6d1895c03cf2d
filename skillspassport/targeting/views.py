"""The targeting page (ranking, map, ward summary, exports) and saved plans with outreach."""

from __future__ import annotations

import io
import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from skillspassport.accounts.access import council_choice
from skillspassport.accounts.models import Organisation
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.core.exports import csv_writer, safe_row
from skillspassport.targeting import forms, maps, selectors, services
from skillspassport.targeting.analytics.presets import INDICATORS, PRESETS
from skillspassport.targeting.analytics.risk import (
    AreaScore,
    MethodError,
    Scoring,
    explain,
    score_areas,
)
from skillspassport.targeting.baseline import baseline
from skillspassport.targeting.models import AreaGeography, TargetingPlan
from skillspassport.targeting.outreach import outreach_list


@dataclass
class Ranking:
    scoring: Scoring
    rows: list[dict[str, Any]]
    wards: list[dict[str, Any]]
    datasets: list[Any]
    base_label: str


def _council(request: HttpRequest) -> Organisation:
    council = selectors.targeting_council_for(request.user, council_choice(request))  # type: ignore[arg-type]
    if council is None:
        raise PermissionDenied
    return council


def _rank(council: Organisation, form: forms.TargetingForm) -> Ranking:
    """Score the council's areas as the (valid) form asks; MethodError says what is wrong."""
    datasets = selectors.current_datasets()
    if not datasets:
        raise MethodError("No area data is loaded: run manage.py load_reference_data.")
    method = PRESETS[form.cleaned_data["preset"]]
    weights = form.weights()
    if weights:
        method = method.with_weights(weights)
    base = form.cleaned_data["base"]
    areas = {a.code: a for a in selectors.council_areas(council)}
    values = selectors.area_values(list(areas), datasets).values
    spans = selectors.base_ranges(base, council, datasets, method.indicator_codes)
    if spans is None:
        raise MethodError(
            "England-wide data is not loaded, so areas cannot be scaled against England: "
            "import it with manage.py import_area_data, or choose another base."
        )
    base_label = selectors.BASES[base]
    scoring = score_areas(method, INDICATORS, values, base=spans, base_label=base_label)
    categories = selectors.categories_2021()
    total = len(scoring.scored)
    rows = []
    for result in scoring.areas:
        area = areas.get(result.area)
        rows.append(
            {
                "result": result,
                "area": area,
                "category": categories.get(result.area, ""),
                "explanation": explain(result, total, category=categories.get(result.area)),
            }
        )
    return Ranking(scoring, rows, _wards(rows, total), datasets, base_label)


def _wards(rows: list[dict[str, Any]], total: int) -> list[dict[str, Any]]:
    cut = max(1, round(total * 0.2))
    by_ward: dict[str, list[AreaScore]] = defaultdict(list)
    for row in rows:
        if row["area"] is not None:
            by_ward[row["area"].ward_name or "Unknown ward"].append(row["result"])
    summary = []
    for ward, results in by_ward.items():
        scores = [r.score for r in results if r.score is not None]
        summary.append(
            {
                "ward": ward,
                "areas": len(results),
                "mean": statistics.fmean(scores) if scores else None,
                "top_fifth": sum(1 for r in results if r.rank is not None and r.rank <= cut),
            }
        )
    return sorted(summary, key=lambda w: (-(w["mean"] or -1), w["ward"]))


def _form(request: HttpRequest) -> forms.TargetingForm:
    data = request.GET.copy() if request.method == "GET" else request.POST.copy()
    data.setdefault("preset", "deri")
    data.setdefault("base", "council")
    return forms.TargetingForm(data)


@require_http_methods(["GET"])
def targeting_page(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    form = _form(request)
    ranking = None
    if form.is_valid():
        try:
            ranking = _rank(council, form)
        except MethodError as exc:
            form.add_error(None, str(exc))
    if ranking is not None and request.GET.get("format") in ("csv", "xlsx"):
        # An export leaves the service, so its method, weights and inputs are kept as a run.
        _record(request, council, form, ranking)
        return _export(ranking, council, request.GET["format"])
    context = {
        "council": council,
        "form": form,
        "ranking": ranking,
        "method": PRESETS.get(form.cleaned_data.get("preset", "deri"), PRESETS["deri"])
        if form.is_valid()
        else PRESETS["deri"],
        "map": maps.choropleth({r["result"].area: r["result"].score for r in ranking.rows})
        if ranking
        else None,
        "plan_form": forms.PlanForm(),
        "plans": selectors.plans_for(council)[:10],
        "components": forms.COMPONENTS,
    }
    template = (
        "targeting/_results.html" if request.GET.get("partial") else "targeting/targeting.html"
    )
    return render(request, template, context)


def _record(
    request: HttpRequest, council: Organisation, form: forms.TargetingForm, ranking: Ranking
) -> Any:
    return services.run_record(
        council=council,
        user=request.user,  # type: ignore[arg-type]
        method=ranking.scoring.method,
        base=form.cleaned_data["base"],
        datasets=[f"{d.label} ({d.vintage})" for d in ranking.datasets],
        scoring=ranking.scoring,
        explain=lambda a: explain(a, len(ranking.scoring.scored)),
    )


def _export(ranking: Ranking, council: Organisation, kind: str) -> HttpResponse:
    method = ranking.scoring.method
    header = [
        "rank",
        "lsoa21_code",
        "lsoa21_name",
        "ward",
        "score",
        *[f"{c.code}_component" for c in method.components],
        *method.indicator_codes,
        "explanation",
    ]
    lines: list[list[Any]] = []
    for row in ranking.rows:
        result = row["result"]
        area = row["area"]
        lines.append(
            [
                result.rank,
                result.area,
                area.name if area else "",
                area.ward_name if area else "",
                None if result.score is None else round(result.score, 3),
                *[_round(result.components.get(c.code)) for c in method.components],
                *[_round(result.scaled.get(i)) for i in method.indicator_codes],
                row["explanation"],
            ]
        )
    stem = f"targeting-{council.local_authority_code}-{method.code}"
    if kind == "csv":
        out = io.StringIO()
        writer = csv_writer(out)
        writer.writerow(header)
        writer.writerows(["" if v is None else v for v in line] for line in lines)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    book = Workbook()
    sheet = book.active
    sheet.title = "Ranking"
    sheet.append(safe_row(header))
    for line in lines:
        sheet.append(safe_row(line))
    about = book.create_sheet("Method")
    about.append(safe_row(["method", method.label]))
    about.append(safe_row(["version", method.version]))
    about.append(safe_row(["base", ranking.base_label]))
    for dataset in ranking.datasets:
        about.append(safe_row(["data", f"{dataset.label} ({dataset.vintage}), {dataset.source}"]))
    out_bytes = io.BytesIO()
    book.save(out_bytes)
    response = HttpResponse(
        out_bytes.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@require_http_methods(["POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    form = _form(request)
    plan_form = forms.PlanForm(request.POST)
    chosen = request.POST.getlist("area")
    if not (form.is_valid() and plan_form.is_valid()):
        messages.error(request, "The plan was not saved: give it a name and the reasons.")
        return redirect("targeting:page")
    try:
        ranking = _rank(council, form)
        run = _record(request, council, form, ranking)
        plan = services.plan_save(
            council=council,
            user=request.user,  # type: ignore[arg-type]
            run=run,
            name=plan_form.cleaned_data["name"],
            rationale=plan_form.cleaned_data["rationale"],
            area_codes=chosen,
        )
    except (MethodError, ValueError) as exc:
        messages.error(request, f"The plan was not saved: {exc}")
        return redirect("targeting:page")
    messages.success(request, f"Plan “{plan.name}” saved with {len(chosen)} areas.")
    return redirect("targeting:plan", plan_id=plan.pk)


@require_http_methods(["GET"])
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    _council(request)
    plan = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)  # type: ignore[arg-type]
    areas = {
        a.code: a for a in AreaGeography.objects.filter(vintage=2021, code__in=plan.area_codes)
    }
    results = {r["area"]: r for r in plan.run.results}
    outreach = outreach_list(user=request.user, plan=plan)  # type: ignore[arg-type]
    if request.GET.get("format") == "csv" and outreach.allowed:
        if not outreach.may_export:
            raise PermissionDenied
        return _outreach_export(request, plan, outreach)
    if outreach.allowed:
        audit_shown(
            user=request.user,
            residents=outreach.residents,
            action=AuditAction.LISTED,
            request=request,
            summary=f"Outreach list of targeting plan {plan.pk}",
        )
    return render(
        request,
        "targeting/plan.html",
        {
            "plan": plan,
            "areas": [(areas.get(code), results.get(code)) for code in plan.area_codes],
            "outreach": outreach,
        },
    )


def _outreach_export(request: HttpRequest, plan: TargetingPlan, outreach: Any) -> HttpResponse:
    out = io.StringIO()
    writer = csv_writer(out)
    writer.writerow(["name", "preferred contact", "email", "phone", "postcode", "area", "level"])
    for resident in outreach.residents:
        writer.writerow(
            safe_row(
                [
                    resident.full_name,
                    resident.get_preferred_contact_display(),
                    resident.email,
                    resident.phone,
                    resident.postcode,
                    resident.lsoa_id,
                    getattr(resident, "overall_level", "") or "none",
                ]
            )
        )
    audit_shown(
        user=request.user,
        residents=outreach.residents,
        action=AuditAction.OUTREACH_EXPORTED,
        request=request,
        summary=f"Outreach list of targeting plan {plan.pk}, CSV",
    )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outreach-plan-{plan.pk}.csv"'
    return response


@require_http_methods(["GET"])
def skills_baseline(request: HttpRequest) -> HttpResponse:
    council = _council(request)
    rows = list(selectors.council_residents_levels(council))
    return render(
        request,
        "targeting/baseline.html",
        {
            "council": council,
            "by_ward": baseline(
                [(ward or "Ward not known", level) for ward, _l, level in rows],
                totals_label="All wards",
            ),
            "by_area": baseline(
                [(lsoa or "Area not known", level) for _w, lsoa, level in rows],
                totals_label="All areas",
            ),
            "total": len(rows),
        },
    )


@require_http_methods(["GET"])
def area_profile(request: HttpRequest, code: str) -> HttpResponse:
    council = _council(request)
    area = get_object_or_404(AreaGeography, vintage=2021, code=code)
    datasets = selectors.current_datasets()
    own = selectors.area_values([code], datasets).values.get(code, {})
    council_codes = list(selectors.council_areas(council).values_list("code", flat=True))
    local = selectors.area_values(council_codes, datasets).values
    england = selectors.england_medians(datasets)
    indicators = []
    for indicator in INDICATORS.values():
        local_values = [x for v in local.values() if (x := v.get(indicator.code)) is not None]
        value = own.get(indicator.code)
        share_below = None
        if local_values and value is not None:
            share_below = sum(1 for x in local_values if x < value) / len(local_values)
        indicators.append(
            {
                "indicator": indicator,
                "value": value,
                "council_median": statistics.median(local_values) if local_values else None,
                "england_median": england.get(indicator.code) if england else None,
                "share_below": share_below,
            }
        )
    scores = []
    if code in local:
        for method in PRESETS.values():
            scoring = score_areas(method, INDICATORS, local, base_label="the council's areas")
            result = next(a for a in scoring.areas if a.area == code)
            scores.append((method, result, explain(result, len(scoring.scored))))
    levels = [
        (code, level)
        for _w, lsoa, level in selectors.council_residents_levels(council)
        if lsoa == code
    ]
    return render(
        request,
        "targeting/area.html",
        {
            "council": council,
            "area": area,
            "category": selectors.categories_2021().get(code, ""),
            "indicators": indicators,
            "scores": scores,
            "england_loaded": bool(england),
            "baseline": baseline(levels),
            "datasets": datasets,
        },
    )
