"""Employers and the compact: the list of employers, adding one, its page, sites and pledges."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.access import acting_council
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.employers import forms, selectors, services
from skillspassport.employers.services import EmployerError
from skillspassport.employers.views.common import editable_employer, may_edit, show_error


@require_http_methods(["GET"])
def employer_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    own = selectors.own_employer_ids(user=user)
    is_staff = bool(
        selectors.scheme_council_ids(user=user, capabilities=selectors.STAFF_CAPABILITIES)
    )
    if is_staff:
        employers = selectors.employers_for_staff(user=user)
    elif len(own) == 1:
        return redirect("employers:detail", employer_id=next(iter(own)))
    elif own:
        employers = selectors.own_employers(user=user)
    else:
        raise Http404
    listing = selectors.employer_list(employers=employers, today=timezone.localdate())
    return render(
        request,
        "employers/list.html",
        {
            "rows": listing.rows,
            "total_pledged": listing.total_pledged,
            "total_fulfilled": listing.total_fulfilled,
            "may_add": bool(
                selectors.scheme_council_ids(user=user, capabilities=[Capability.MANAGE_EMPLOYERS])
            ),
            "is_staff": is_staff,
        },
    )


@require_http_methods(["GET", "POST"])
def employer_create(request: AuthenticatedRequest) -> HttpResponse:
    council = acting_council(request, Capability.MANAGE_EMPLOYERS)
    form = forms.EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(
                actor=request.user, council=council, **form.cleaned_data
            )
        except EmployerError as error:
            show_error(form, error)
        else:
            messages.success(request, f"{employer} added to the scheme.")
            return redirect("employers:detail", employer_id=employer.pk)
    return render(request, "employers/form.html", {"form": form, "title": "Add an employer"})


@require_http_methods(["GET"])
def employer_detail(request: AuthenticatedRequest, employer_id: int) -> HttpResponse:
    access = selectors.employer_get_for_user(user=request.user, employer_id=employer_id)
    employer = access.employer
    page = selectors.employer_page(user=request.user, access=access)
    audit_shown(
        user=request.user,
        residents=[r.resident for r in page.referrals],
        action=AuditAction.LISTED,
        request=request,
        summary="Referrals on an employer's page",
    )
    return render(
        request,
        "employers/detail.html",
        {
            "employer": employer,
            "profile": getattr(employer, "employer_profile", None),
            "sites": page.sites,
            "pledges": page.pledges,
            "roles": page.roles,
            "opportunities": page.opportunities,
            "referrals": page.referrals,
            "as_staff": access.as_staff,
            "may_edit": may_edit(request, access),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def site_add(request: AuthenticatedRequest, employer_id: int) -> HttpResponse:
    employer = editable_employer(request, employer_id)
    form = forms.SiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.site_add(actor=request.user, employer=employer, **form.cleaned_data)
        except EmployerError as error:
            show_error(form, error)
        else:
            messages.success(request, "Site added.")
            return redirect("employers:detail", employer_id=employer.pk)
    return render(
        request,
        "employers/form.html",
        {"form": form, "title": f"Add a site for {employer}", "employer": employer},
    )


@require_http_methods(["GET", "POST"])
def pledge_add(request: AuthenticatedRequest, employer_id: int) -> HttpResponse:
    employer = editable_employer(request, employer_id)
    form = forms.PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_sign(actor=request.user, employer=employer, **form.cleaned_data)
        except EmployerError as error:
            show_error(form, error)
        else:
            messages.success(request, "Pledge added to the compact.")
            return redirect("employers:detail", employer_id=employer.pk)
    return render(
        request,
        "employers/form.html",
        {
            "form": form,
            "title": f"Add a pledge to {employer}'s compact",
            "employer": employer,
            "lede": "What each passport level unlocks at this employer, and how many a year.",
        },
    )
