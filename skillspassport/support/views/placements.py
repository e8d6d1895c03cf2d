"""Paid work placements: recording one from a case, and its outcome."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.support import forms, selectors, services
from skillspassport.support.views.shared import case_form_page, case_url


@require_http_methods(["GET", "POST"])
def placement_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.PlacementForm(
        request.POST or None, employers=selectors.employers_for(organisation=case.organisation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_record(
                actor=user,
                case=case,
                employer=data["employer"],
                employer_name=data["employer_name"],
                role_title=data["role_title"],
                weeks=data["weeks"],
                hours_per_week=data["hours_per_week"],
                hourly_wage=data["hourly_wage"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                outcome=data["outcome"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Placement recorded.")
            return redirect(case_url(case, "placements"))
    return case_form_page(request, case, form, "Record a paid work placement", action="Record")


@require_http_methods(["GET", "POST"])
def placement_outcome(
    request: AuthenticatedRequest, public_id: str, placement_id: int
) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    placement = selectors.placement_get_for_case(case=case, placement_id=placement_id)
    form = forms.PlacementOutcomeForm(request.POST or None, initial={"outcome": placement.outcome})
    if request.method == "POST" and form.is_valid():
        services.placement_set_outcome(
            actor=user, placement=placement, outcome=form.cleaned_data["outcome"], request=request
        )
        messages.success(request, "Placement outcome recorded.")
        return redirect(case_url(case, "placements"))
    return case_form_page(request, case, form, f"Outcome of the placement: {placement}")
