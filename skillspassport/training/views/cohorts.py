"""Training pages: courses, cohorts and their sessions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.access import acting_council_or_none
from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import OrganisationKind, User
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.skills.selectors import rule_set_for_organisation
from skillspassport.training import forms, selectors, services
from skillspassport.training.models import HOLDS_PLACE, EnrolmentStatus
from skillspassport.training.views.common import require_training


@require_http_methods(["GET"])
def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    require_training(user)
    current, finished = selectors.cohorts_split(user=user, today=selectors.today())
    return render(
        request,
        "training/index.html",
        {
            "courses": selectors.courses_for_user(user=user),
            "current": current,
            "finished": finished,
            "plans": selectors.plans_for_user(user=user),
            "can_set_policy": acting_council_or_none(
                user=user,
                capabilities=[Capability.MANAGE_ORGANISATION],
                kinds=[OrganisationKind.COUNCIL],
            )
            is not None,
        },
    )


def _course_form(request: AuthenticatedRequest, user: User, course: Any = None) -> forms.CourseForm:
    providers = selectors.training_organisations(user=user)
    first = course.provider if course else providers.first()
    if first is None:
        raise PermissionDenied
    framework = rule_set_for_organisation(organisation=first).framework
    initial = {}
    if course is not None:
        initial = {
            "provider": course.provider_id,
            "title": course.title,
            "description": course.description,
            "level": course.level_id,
            "delivery_mode": course.delivery_mode,
            "funding_source": course.funding_source,
            "hours": course.hours,
            "descriptors": [d.pk for d in course.descriptors.all()],
        }
    return forms.CourseForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        providers=providers,
        framework=framework,
    )


def _course_edit(request: AuthenticatedRequest, course: Any = None) -> HttpResponse:
    user = request.user
    require_training(user)
    form = _course_form(request, user, course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.course_save(actor=user, course=course, **data)
        except services.TrainingError as exc:
            form.add_error("title", exc.message)
        else:
            messages.success(request, f"Course “{saved.title}” saved.")
            return redirect("training:index")
    return render(request, "training/course_form.html", {"form": form, "course": course})


@require_http_methods(["GET", "POST"])
def course_create(request: AuthenticatedRequest) -> HttpResponse:
    return _course_edit(request)


@require_http_methods(["GET", "POST"])
def course_edit(request: AuthenticatedRequest, course_id: int) -> HttpResponse:
    course = selectors.course_get_for_user(user=request.user, course_id=course_id)
    return _course_edit(request, course)


@require_http_methods(["GET", "POST"])
def cohort_create(request: AuthenticatedRequest, course_id: int) -> HttpResponse:
    user = request.user
    course = selectors.course_get_for_user(user=user, course_id=course_id)
    tutors = selectors.tutors_for(course=course)
    plans = selectors.plans_for_user(user=user)
    form = forms.CohortForm(
        request.POST if request.method == "POST" else None,
        tutors=tutors,
        plans=plans,
        initial={"tutor": selectors.tutor_default(course=course, user=user)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.cohort_create(actor=user, course=course, **form.cleaned_data)
        except services.TrainingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Cohort created. Add its sessions below.")
            if cohort.targeting_plan_id and not cohort.in_plan_area:
                messages.warning(request, "The venue is not in one of the plan's priority areas.")
            return redirect("training:cohort", cohort_id=cohort.pk)
    return render(
        request,
        "training/cohort_form.html",
        {"form": form, "course": course},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def cohort_edit(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    if cohort.is_cancelled:
        messages.error(request, "This cohort was cancelled, so it cannot be changed.")
        return redirect("training:cohort", cohort_id=cohort.pk)
    form = forms.CohortForm(
        request.POST if request.method == "POST" else None,
        tutors=selectors.tutors_for(course=cohort.course),
        plans=selectors.plans_for_user(user=user),
        initial=forms.cohort_initial(cohort),
    )
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.cohort_update(
                actor=user, cohort=cohort, request=request, **form.cleaned_data
            )
        except services.TrainingError as exc:
            form.add_error(None, exc.message)
        else:
            text = "Cohort saved."
            if moved:
                names = ", ".join(e.resident.full_name for e in moved)
                text += f" Moved from the waiting list into the new places: {names}."
            messages.success(request, text)
            return redirect("training:cohort", cohort_id=cohort.pk)
    return render(
        request,
        "training/cohort_form.html",
        {"form": form, "course": cohort.course, "cohort": cohort},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def cohort_cancel(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    form = forms.ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            affected = services.cohort_cancel(
                actor=user, cohort=cohort, reason=form.cleaned_data["reason"], request=request
            )
        except services.TrainingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                f"Cohort cancelled. {affected} learner{'s' if affected != 1 else ''} "
                "(with places or waiting) marked as cohort cancelled: let them know.",
            )
            return redirect("training:cohort", cohort_id=cohort.pk)
    return render(
        request,
        "training/cohort_cancel.html",
        {
            "cohort": cohort,
            "form": form,
            "affected": selectors.cohort_live_learners_count(cohort=cohort),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def session_delete(request: AuthenticatedRequest, cohort_id: int, session_id: int) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    session = selectors.session_get_for_cohort(cohort=cohort, session_id=session_id)
    form = forms.SessionDeleteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            removed = services.session_delete(
                actor=user,
                session=session,
                remove_attendance=form.cleaned_data["remove_attendance"],
                request=request,
            )
        except services.TrainingError as exc:
            form.add_error("remove_attendance", exc.message)
        else:
            text = f"Session on {session} deleted."
            if removed:
                text += f" {removed} attendance mark{'s' if removed != 1 else ''} removed."
            messages.success(request, text)
            return redirect(reverse("training:cohort", args=[cohort.pk]) + "#sessions")
    return render(
        request,
        "training/session_delete.html",
        {
            "cohort": cohort,
            "session": session,
            "form": form,
            "marked": selectors.session_marks_count(session=session),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def cohort_detail(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    learners = selectors.cohort_learners(cohort=cohort)
    audit_shown(
        user=user,
        residents=[e.resident for e in learners],
        action=AuditAction.LISTED,
        request=request,
        summary=f"Learners of cohort {cohort.pk} ({cohort.course.title})",
    )
    today = selectors.today()
    attendance = selectors.attendance_summaries(cohort=cohort)
    for e in learners:
        e.summary = attendance.get(e.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "placed": [e for e in learners if e.status != EnrolmentStatus.WAITING],
            "places_taken": sum(1 for e in learners if e.status in HOLDS_PLACE),
            "waiting": [e for e in learners if e.status == EnrolmentStatus.WAITING],
            "sessions": selectors.cohort_sessions(cohort=cohort),
            "sessions_form": forms.SessionsForm(),
            "finished": cohort.end_date <= today,
            "ended": cohort.end_date < today,
            "started": cohort.start_date <= today,
            "cancelled": cohort.is_cancelled,
            "awaiting_outcome": any(e.status == EnrolmentStatus.ENROLLED for e in learners),
            "threshold": selectors.completion_percent_for(cohort=cohort),
            "invited": selectors.invitations_count(cohort=cohort),
            "now": timezone.now(),
        },
    )


@require_http_methods(["POST"])
def sessions_add(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    form = forms.SessionsForm(request.POST)
    if form.is_valid():
        try:
            added = services.sessions_add(actor=user, cohort=cohort, **form.cleaned_data)
        except services.TrainingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"{len(added)} session{'s' if len(added) != 1 else ''} added."
            )
            return redirect(reverse("training:cohort", args=[cohort.pk]) + "#sessions")
    return render(request, "training/sessions_form.html", {"form": form, "cohort": cohort})
