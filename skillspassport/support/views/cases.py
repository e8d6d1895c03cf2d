"""The case page and the forms on it: the adviser and review date, the action plan's goals,
case notes, and closing the case."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.support import forms, selectors, services
from skillspassport.support.views.shared import add_service_error, case_form_page, case_url


@require_GET
def case_detail(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    resident = case.resident
    audit_record(
        user=user,
        action=AuditAction.VIEWED,
        resident=resident,
        summary="Opened the case",
        request=request,
    )
    return render(
        request,
        "support/case_detail.html",
        {
            "case": case,
            "resident": resident,
            "goals": list(case.goals.all()),
            "goal_form": forms.GoalStatusForm(),
            "notes": list(case.notes.select_related("author")),
            "note_form": forms.NoteForm(),
            "balance": selectors.balance_for(resident=resident),
            "spends": list(selectors.spends_for(resident=resident)),
            "devices": list(selectors.devices_for(resident=resident)),
            "placements": list(selectors.placements_for(resident=resident)),
            "job_starts": selectors.job_starts_for(case=case),
            "other_cases": list(resident.cases.exclude(pk=case.pk).select_related("organisation")),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def case_edit(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.CaseUpdateForm(
        request.POST or None,
        advisers=selectors.advisers_for(case=case),
        initial={"adviser": case.adviser, "next_review_on": case.next_review_on},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
                actor=user,
                case=case,
                adviser=form.cleaned_data["adviser"],
                next_review_on=form.cleaned_data["next_review_on"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Case updated.")
            return redirect(case_url(case))
    return case_form_page(request, case, form, "Change adviser or review date")


@require_http_methods(["GET", "POST"])
def goal_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.GoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_add(
                actor=user,
                case=case,
                text=form.cleaned_data["text"],
                target_on=form.cleaned_data["target_on"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Goal added to the action plan.")
            return redirect(case_url(case, "plan"))
    return case_form_page(request, case, form, "Add a goal to the action plan", action="Add goal")


@require_http_methods(["GET", "POST"])
def goal_edit(request: AuthenticatedRequest, public_id: str, goal_id: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    goal = selectors.goal_get_for_case(case=case, goal_id=goal_id)
    form = forms.GoalEditForm(
        request.POST or None,
        initial={"text": goal.text, "target_on": goal.target_on, "status": goal.status},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.goal_update(
                actor=user,
                goal=goal,
                text=form.cleaned_data["text"],
                target_on=form.cleaned_data["target_on"],
                status=form.cleaned_data["status"],
                request=request,
            )
        except services.CaseworkError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "Goal changed.")
            return redirect(case_url(case, "plan"))
    return case_form_page(request, case, form, "Change a goal of the action plan")


@require_POST
def goal_status(request: AuthenticatedRequest, public_id: str, goal_id: int) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    goal = selectors.goal_get_for_case(case=case, goal_id=goal_id)
    form = forms.GoalStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select a goal status from the list.")
    else:
        try:
            services.goal_set_status(
                actor=user, goal=goal, status=form.cleaned_data["status"], request=request
            )
        except services.CaseworkError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Goal status changed.")
    return redirect(case_url(case, "plan"))


@require_http_methods(["GET", "POST"])
def note_add(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.case_note_add(
            actor=user, case=case, text=form.cleaned_data["text"], request=request
        )
        messages.success(request, "Note added.")
        return redirect(case_url(case, "notes"))
    return case_form_page(request, case, form, "Add a case note", action="Add note")


@require_http_methods(["GET", "POST"])
def case_close(request: AuthenticatedRequest, public_id: str) -> HttpResponse:
    user = request.user
    case = selectors.case_get_for_user(user=user, public_id=public_id)
    form = forms.CloseCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(
                actor=user,
                case=case,
                outcome=form.cleaned_data["outcome"],
                closed_on=form.cleaned_data["closed_on"],
                request=request,
            )
        except services.CaseworkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Case closed.")
            return redirect(case_url(case))
    return case_form_page(request, case, form, "Close the case", action="Close case")
