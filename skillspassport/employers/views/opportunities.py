"""Opportunities and matching: adding, changing, closing early and unpublishing an opportunity,
the open ones, an opportunity's page with the residents who qualify, referring one, and the
opportunities open to a resident."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import Organisation
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import user_has_capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.employers import forms, selectors, services
from skillspassport.employers.models import Opportunity, ReferralStatus
from skillspassport.employers.services import EmployerError
from skillspassport.employers.views.common import (
    editable_employer,
    may_edit,
    show_error,
    staff_only,
)
from skillspassport.people.selectors import resident_get_for_user


def _opportunity_form(
    request: AuthenticatedRequest, employer: Organisation, **kwargs: Any
) -> tuple[forms.OpportunityForm, selectors.OpportunityChoices]:
    choices = selectors.opportunity_choices(employer=employer)
    form = forms.OpportunityForm(
        request.POST or None,
        roles=[(k, str(v)) for k, v in choices.roles.items()],
        pledges=[(k, str(v)) for k, v in choices.pledges.items()],
        sites=[(k, str(v)) for k, v in choices.sites.items()],
        **kwargs,
    )
    return form, choices


def _fields(form: forms.OpportunityForm, choices: selectors.OpportunityChoices) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "opportunity_type": data["opportunity_type"],
        "places": data["places"],
        "closing_on": data["closing_on"],
        "minimum": form.minimum(),
        "role": choices.roles.get(data["role"]),
        "pledge": choices.pledges.get(data["pledge"]),
        "site": choices.sites.get(data["site"]),
        "hours_per_week": data["hours_per_week"],
        "hourly_wage": data["hourly_wage"],
        "description": data["description"],
    }


@require_http_methods(["GET", "POST"])
def opportunity_add(request: AuthenticatedRequest, employer_id: int) -> HttpResponse:
    employer = editable_employer(request, employer_id)
    form, choices = _opportunity_form(request, employer)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(
                actor=request.user, employer=employer, **_fields(form, choices)
            )
        except EmployerError as error:
            show_error(form, error)
        else:
            messages.success(request, "Opportunity published.")
            return redirect("employers:opportunity", opportunity_id=opportunity.pk)
    return render(
        request,
        "employers/form.html",
        {"form": form, "title": f"Add an opportunity at {employer}", "employer": employer},
    )


def _editable_opportunity(request: AuthenticatedRequest, opportunity_id: int) -> Opportunity:
    opportunity, _as_staff = selectors.opportunity_get_for_user(
        user=request.user, opportunity_id=opportunity_id
    )
    editable_employer(request, opportunity.employer_id)
    return opportunity


def _initial(opportunity: Opportunity) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(opportunity, name)
        for name in (
            "title",
            "opportunity_type",
            "places",
            "closing_on",
            "hours_per_week",
            "hourly_wage",
            "description",
        )
    }
    for name in ("role", "pledge", "site"):
        initial[name] = str(getattr(opportunity, f"{name}_id") or "")
    for strand, level in opportunity.minimum_levels().items():
        initial[f"min_{strand}"] = level
    return initial


@require_http_methods(["GET", "POST"])
def opportunity_edit(request: AuthenticatedRequest, opportunity_id: int) -> HttpResponse:
    opportunity = _editable_opportunity(request, opportunity_id)
    form, choices = _opportunity_form(
        request,
        opportunity.employer,
        initial=_initial(opportunity),
        current_closing_on=opportunity.closing_on,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_update(
                actor=request.user, opportunity=opportunity, **_fields(form, choices)
            )
        except EmployerError as error:
            show_error(form, error)
        else:
            messages.success(request, "Opportunity changed.")
            return redirect("employers:opportunity", opportunity_id=opportunity.pk)
    return render(
        request,
        "employers/form.html",
        {
            "form": form,
            "title": f"Change {opportunity.title}",
            "employer": opportunity.employer,
        },
    )


@require_http_methods(["GET", "POST"])
def opportunity_close(request: AuthenticatedRequest, opportunity_id: int) -> HttpResponse:
    """Close an opportunity before its closing date."""
    opportunity = _editable_opportunity(request, opportunity_id)
    form = forms.CloseEarlyForm(
        request.POST or None, initial={"on": timezone.localdate()} if not request.POST else None
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_close_early(
                actor=request.user, opportunity=opportunity, on=form.cleaned_data["on"]
            )
        except EmployerError as error:
            show_error(form, error)
        else:
            messages.success(request, "Opportunity closed.")
            return redirect("employers:opportunity", opportunity_id=opportunity.pk)
    return render(
        request,
        "employers/form.html",
        {
            "form": form,
            "title": f"Close {opportunity.title} early",
            "lede": f"Its closing date is {opportunity.closing_on:%-d %B %Y}. Referrals "
            "already made carry on.",
            "employer": opportunity.employer,
        },
    )


@require_POST
def opportunity_publish(request: AuthenticatedRequest, opportunity_id: int) -> HttpResponse:
    """Unpublish an opportunity, or publish it again."""
    opportunity = _editable_opportunity(request, opportunity_id)
    publish = request.POST.get("publish") == "1"
    try:
        if publish:
            services.opportunity_republish(actor=request.user, opportunity=opportunity)
        else:
            services.opportunity_unpublish(actor=request.user, opportunity=opportunity)
    except EmployerError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, "Opportunity published again." if publish else "Opportunity unpublished."
        )
    return redirect("employers:opportunity", opportunity_id=opportunity.pk)


@require_http_methods(["GET"])
def opportunity_list(request: AuthenticatedRequest) -> HttpResponse:
    staff_only(request)
    employers = selectors.employers_for_staff(user=request.user)
    opportunities = selectors.open_opportunities_of(employers=employers, today=timezone.localdate())
    return render(request, "employers/opportunities.html", {"opportunities": opportunities})


@require_http_methods(["GET"])
def opportunity_detail(request: AuthenticatedRequest, opportunity_id: int) -> HttpResponse:
    user = request.user
    opportunity, as_staff = selectors.opportunity_get_for_user(
        user=user, opportunity_id=opportunity_id
    )
    may_refer = as_staff and user_has_capability(user=user, capability=Capability.REFER_RESIDENTS)
    page = selectors.opportunity_page(
        user=user,
        opportunity=opportunity,
        as_staff=as_staff,
        with_matches=may_refer,
        today=timezone.localdate(),
    )
    access = selectors.employer_get_for_user(user=user, employer_id=opportunity.employer_id)
    context: dict[str, Any] = {
        "opportunity": opportunity,
        "may_edit": may_edit(request, access),
        "as_staff": as_staff,
        "needs": page.needs,
        "is_open": page.is_open,
        "referrals": page.referrals,
    }
    if may_refer:
        context.update(matches=page.matches, match_total=page.match_total, may_refer=True)
    shown = [r.resident for r in page.referrals]
    if page.is_open:
        shown += [m.resident for m in page.matches]
    audit_shown(
        user=user,
        residents=shown,
        action=AuditAction.LISTED,
        request=request,
        summary="Referrals and matches for an opportunity",
    )
    return render(request, "employers/opportunity.html", context)


@require_POST
def opportunity_refer(request: AuthenticatedRequest, opportunity_id: int) -> HttpResponse:
    user = request.user
    opportunity, as_staff = selectors.opportunity_get_for_user(
        user=user, opportunity_id=opportunity_id
    )
    if not as_staff:
        raise Http404
    form = forms.ReferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a resident to refer.")
        return redirect("employers:opportunity", opportunity_id=opportunity.pk)
    resident = resident_get_for_user(
        user=user, public_id=form.cleaned_data["resident"], capability=Capability.REFER_RESIDENTS
    )
    back = request.POST.get("next") or ""
    try:
        services.referral_create(
            actor=user,
            opportunity=opportunity,
            resident=resident,
            note=form.cleaned_data["note"],
            request=request,
        )
    except EmployerError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            f"{resident.full_name} referred to {opportunity.title} at {opportunity.employer}.",
        )
    if back == "resident":
        return redirect("employers:resident", public_id=resident.public_id)
    return redirect("employers:opportunity", opportunity_id=opportunity.pk)


@require_http_methods(["GET"])
def resident_opportunities(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    user = request.user
    resident = resident_get_for_user(user=user, public_id=public_id)
    now, next_step = selectors.opportunities_for_resident(resident=resident)
    referrals = selectors.referrals_of_resident(resident=resident)
    audit_shown(
        user=user,
        residents=[resident],
        request=request,
        summary="Opened the resident's opportunities",
    )
    return render(
        request,
        "employers/resident.html",
        {
            "resident": resident,
            "now": now,
            "next_step": next_step,
            "referrals": referrals,
            "as_staff": True,
            "referred_ids": {
                r.opportunity_id for r in referrals if r.status != ReferralStatus.WITHDRAWN
            },
            "may_refer": user_has_capability(
                user=user,
                capability=Capability.REFER_RESIDENTS,
                organisation_id=resident.organisation_id,
            ),
        },
    )
