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

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import User
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.skills.selectors import rule_set_for_organisation
from skillspassport.training import forms, selectors, services
from skillspassport.training.models import EnrolmentStatus
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
        cohort = services.cohort_create(actor=user, course=course, **form.cleaned_data)
        messages.success(request, "Cohort created. Add its sessions below.")
        if cohort.targeting_plan_id and not cohort.in_plan_area:
            messages.warning(request, "The venue is not in one of the plan's priority areas.")
        return redirect("training:cohort", cohort_id=cohort.pk)
    return render(request, "training/cohort_form.html", {"form": form, "course": course})


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
    return render(
        request,
        "training/cohort_detail.html",
        {
            "cohort": cohort,
            "placed": [e for e in learners if e.status != EnrolmentStatus.WAITING],
            "waiting": [e for e in learners if e.status == EnrolmentStatus.WAITING],
            "sessions": selectors.cohort_sessions(cohort=cohort),
            "sessions_form": forms.SessionsForm(),
            "finished": cohort.end_date <= today,
            "open": cohort.start_date >= today,
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
