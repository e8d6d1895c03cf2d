"""Devices and data SIMs: recording one issued from a case, correcting its record, and its
return."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.support import forms, selectors, services
from skillspassport.support.views.shared import add_service_error, case_form_page, case_url


@require_http_methods(["GET", "POST"])
def device_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.DeviceForm(
        request.POST or None, hubs=selectors.hubs_for(organisation=case.organisation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.device_record(
                actor=user,
                case=case,
                hub=data["hub"],
                kind=data["kind"],
                serial=data["serial"],
                issued_on=data["issued_on"],
                arrangement=data["arrangement"],
                due_back_on=data["due_back_on"],
                condition=data["condition"],
                request=request,
            )
        except services.CaseworkError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Device recorded.")
            return redirect(case_url(case, "devices"))
    return case_form_page(request, case, form, "Record a device or data SIM", action="Record")


@require_http_methods(["GET", "POST"])
def device_edit(request: AuthenticatedRequest, public_id: str, device_id: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    device = selectors.device_get_for_case(case=case, device_id=device_id)
    form = forms.DeviceForm(
        request.POST or None,
        hubs=selectors.hubs_for(organisation=case.organisation),
        initial={
            "hub": device.hub_id,
            "kind": device.kind,
            "serial": device.serial,
            "issued_on": device.issued_on,
            "arrangement": device.arrangement,
            "due_back_on": device.due_back_on,
            "condition": device.condition,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.device_update(
                actor=user,
                case=case,
                device=device,
                hub=data["hub"],
                kind=data["kind"],
                serial=data["serial"],
                issued_on=data["issued_on"],
                arrangement=data["arrangement"],
                due_back_on=data["due_back_on"],
                condition=data["condition"],
                request=request,
            )
        except services.CaseworkError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Device record changed.")
            return redirect(case_url(case, "devices"))
    return case_form_page(request, case, form, f"Change the record of {device}")


@require_http_methods(["GET", "POST"])
def device_return(request: AuthenticatedRequest, public_id: str, device_id: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    device = selectors.device_get_for_case(case=case, device_id=device_id)
    form = forms.DeviceReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.device_return(
                actor=user,
                device=device,
                returned_on=form.cleaned_data["returned_on"],
                condition=form.cleaned_data["condition"],
                request=request,
            )
        except services.CaseworkError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Return recorded.")
            return redirect(case_url(case, "devices"))
    return case_form_page(request, case, form, f"Record the return of {device}", action="Record")
