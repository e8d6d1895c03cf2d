"""The council's training policy: the attendance needed to complete a course."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.access import acting_council
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import OrganisationKind
from skillspassport.accounts.roles import Capability
from skillspassport.training import forms, selectors, services
from skillspassport.training.models import DEFAULT_COMPLETION_PERCENT


@require_http_methods(["GET", "POST"])
def training_policy(request: AuthenticatedRequest) -> HttpResponse:
    """For a council's administrators (who manage the council itself)."""
    user = request.user
    council = acting_council(
        request, Capability.MANAGE_ORGANISATION, kinds=[OrganisationKind.COUNCIL]
    )
    policy = selectors.policy_row_of(council=council)
    current = policy.completion_attendance_percent if policy else DEFAULT_COMPLETION_PERCENT
    form = forms.TrainingPolicyForm(
        request.POST if request.method == "POST" else None,
        initial={"completion_attendance_percent": current},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.training_policy_set(
                actor=user,
                council=council,
                completion_attendance_percent=form.cleaned_data["completion_attendance_percent"],
                request=request,
            )
        except services.TrainingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Training policy saved.")
            return redirect("training:policy")
    return render(
        request,
        "training/policy.html",
        {"form": form, "council": council, "policy": policy},
        status=400 if form.errors else 200,
    )
