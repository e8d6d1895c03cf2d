"""The targeting page (ranking, map, ward summary, exports) and saved plans with outreach."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook

from skillspassport.accounts.access import council_choice
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import Organisation
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.core.exports import csv_writer, safe_row
from skillspassport.targeting import forms, imports, maps, selectors, services
from skillspassport.targeting.analytics.presets import INDICATORS, PRESETS
from skillspassport.targeting.analytics.risk import MethodError, explain
from skillspassport.targeting.analytics.summary import (
    area_scores,
    indicator_comparisons,
)
from skillspassport.targeting.baseline import baseline
from skillspassport.targeting.models import TargetingPlan
from skillspassport.targeting.outreach import outreach_list


def _council(request: AuthenticatedRequest) -> Organisation:
    council = selectors.targeting_council_for(request.user, council_choice(request))
    if council is None:
        raise PermissionDenied
    return council


def _rank(council: Organisation, form: forms.TargetingForm) -> selectors.Ranking:
    """Score the council's areas as the (valid) form asks; MethodError says what is wrong."""
    method = PRESETS[form.cleaned_data["preset"]]
    weights = form.weights()
    if weights:
        method = method.with_weights(weights)
    return selectors.council_ranking(council=council, method=method, base=form.cleaned_data["base"])


def _form(request: AuthenticatedRequest) -> forms.TargetingForm:
    data = request.GET.copy() if request.method == "GET" else request.POST.copy()
    data.setdefault("preset", "deri")
    data.setdefault("base", "council")
    return forms.TargetingForm(data)


@require_http_methods(["GET"])
def targeting_page(request: AuthenticatedRequest) -> HttpResponse:
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
        "may_import": imports.may_import(request.user),
    }
    template = (
        "targeting/_results.html" if request.GET.get("partial") else "targeting/targeting.html"
    )
    return render(request, template, context)


def _record(
    request: AuthenticatedRequest,
    council: Organisation,
    form: forms.TargetingForm,
    ranking: selectors.Ranking,
) -> Any:
    return services.run_record(
        council=council,
        user=request.user,
        method=ranking.scoring.method,
        base=form.cleaned_data["base"],
        datasets=[f"{d.label} ({d.vintage})" for d in ranking.datasets],
        scoring=ranking.scoring,
        explain=lambda a: explain(a, len(ranking.scoring.scored)),
    )


def _export(ranking: selectors.Ranking, council: Organisation, kind: str) -> HttpResponse:
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
def plan_create(request: AuthenticatedRequest) -> HttpResponse:
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
            user=request.user,
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
def plan_detail(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    _council(request)
    plan = selectors.plan_get_for_user(user=request.user, plan_id=plan_id)
    areas = selectors.areas_by_code(plan.area_codes)
    results = {r["area"]: r for r in plan.run.results}
    outreach = outreach_list(user=request.user, plan=plan)
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


def _outreach_export(
    request: AuthenticatedRequest, plan: TargetingPlan, outreach: Any
) -> HttpResponse:
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
def skills_baseline(request: AuthenticatedRequest) -> HttpResponse:
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
def area_profile(request: AuthenticatedRequest, code: str) -> HttpResponse:
    council = _council(request)
    area = selectors.area_get(code=code)
    datasets = selectors.current_datasets()
    own = selectors.area_values([code], datasets).values.get(code, {})
    local = selectors.council_area_values(council, datasets)
    england = selectors.england_medians(datasets)
    indicators = indicator_comparisons(own, local, INDICATORS.values(), england)
    scores = area_scores(code, local, PRESETS.values(), INDICATORS)
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


@require_http_methods(["GET", "POST"])
def area_data_upload(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a newer national file (administrators and analysts); checked here, imported as
    background work."""
    if not imports.may_import(request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    form = forms.AreaDataUploadForm(request.POST, request.FILES) if posted else None
    if form is not None and form.is_valid():
        work = imports.area_data_upload_start(
            dataset_code=form.cleaned_data["dataset"],
            upload=form.cleaned_data["file"],
            user=request.user,
        )
        return redirect("background:detail", work_id=work.pk)
    return render(
        request,
        "targeting/import.html",
        {"form": form or forms.AreaDataUploadForm(), "datasets": selectors.datasets_imported()},
    )
