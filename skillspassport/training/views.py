"""Training pages: courses, cohorts, enrolment, registers, outcomes, the adviser's view of a
resident's training, and programmes planned for a targeting plan's areas."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import User
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import user_has_capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record, audit_searched, audit_shown
from skillspassport.people.selectors import query_kind, resident_get_for_user, residents_for_user
from skillspassport.skills.selectors import passport_summary, rule_set_for_organisation
from skillspassport.targeting.outreach import outreach_list
from skillspassport.training import forms, selectors, services
from skillspassport.training.models import AttendanceMark, EnrolmentSource, EnrolmentStatus


def _require_training(user: User) -> None:
    if not selectors.training_organisation_ids(user=user):
        raise PermissionDenied


@require_http_methods(["GET"])
def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    _require_training(user)
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
    _require_training(user)
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


@require_http_methods(["GET", "POST"])
def enrol(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    error = ""
    if request.method == "POST":
        form = forms.EnrolForm(request.POST)
        if form.is_valid():
            resident = resident_get_for_user(
                user=user,
                public_id=form.cleaned_data["resident"],
                capability=Capability.RUN_TRAINING,
            )
            try:
                enrolment = services.enrolment_create(
                    actor=user, cohort=cohort, resident=resident, request=request
                )
            except services.TrainingError as exc:
                error = exc.message
            else:
                if enrolment.status == EnrolmentStatus.WAITING:
                    messages.success(
                        request,
                        f"The course is full: {resident.full_name} is number "
                        f"{enrolment.waiting_position} on the waiting list.",
                    )
                else:
                    messages.success(request, f"{resident.full_name} is enrolled.")
                return redirect("training:cohort", cohort_id=cohort.pk)
        else:
            error = "Choose a resident to enrol."
    query = " ".join(request.GET.get("q", "").split())[:100]
    results = []
    if query:
        results = list(
            residents_for_user(user=user, query=query, capability=Capability.RUN_TRAINING)[:20]
        )
        audit_searched(
            user=user,
            kind=query_kind(query),
            shown=results,
            request=request,
            where="to enrol on a course",
        )
    return render(
        request,
        "training/enrol.html",
        {"cohort": cohort, "query": query, "results": results, "error": error},
        status=400 if error else 200,
    )


@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedRequest, cohort_id: int, session_id: int) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    session = selectors.session_get_for_cohort(cohort=cohort, session_id=session_id)
    learners = selectors.register_learners(session=session)
    errors: list[str] = []
    if request.method == "POST":
        marks, errors = forms.parse_register(request.POST, [e.pk for e in learners])
        if not errors:
            try:
                changed = services.attendance_record(
                    actor=user, session=session, marks=marks, request=request
                )
            except services.TrainingError as exc:
                errors = [exc.message]
            else:
                messages.success(request, f"Register saved ({changed} marks new or changed).")
                return redirect(reverse("training:cohort", args=[cohort.pk]) + "#sessions")
    rows = []
    for e in learners:
        held = e.marks[0].mark if e.marks else ""  # type: ignore[attr-defined]
        rows.append((e, request.POST.get(f"mark-{e.pk}", held) if errors else held))
    audit_shown(
        user=user,
        residents=[e.resident for e in learners],
        action=AuditAction.LISTED,
        request=request,
        summary=f"Register of session {session.pk}, cohort {cohort.pk}",
    )
    return render(
        request,
        "training/register.html",
        {
            "cohort": cohort,
            "session": session,
            "rows": rows,
            "errors": errors,
            "choices": AttendanceMark.choices,
        },
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, cohort_id: int, enrolment_id: int) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    enrolment = selectors.enrolment_get_for_cohort(cohort=cohort, enrolment_id=enrolment_id)
    form = forms.ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.enrolment_withdraw(
                actor=user, enrolment=enrolment, reason=form.cleaned_data["reason"], request=request
            )
        except services.TrainingError as exc:
            form.add_error(None, exc.message)
        else:
            text = f"{enrolment.resident.full_name} has been withdrawn."
            if moved is not None:
                text += (
                    f" {moved.resident.full_name} has moved from the waiting list into the place."
                )
            messages.success(request, text)
            return redirect("training:cohort", cohort_id=cohort.pk)
    audit_shown(
        user=user,
        residents=[enrolment.resident],
        request=request,
        summary=f"Opened a withdrawal from cohort {cohort.pk}",
    )
    return render(
        request,
        "training/withdraw.html",
        {"cohort": cohort, "enrolment": enrolment, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def outcome(request: AuthenticatedRequest, cohort_id: int, enrolment_id: int) -> HttpResponse:
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    enrolment = selectors.enrolment_get_for_cohort(cohort=cohort, enrolment_id=enrolment_id)
    form = forms.OutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["outcome"] == "completed":
                changes = services.enrolment_complete(
                    actor=user, enrolment=enrolment, request=request
                )
                text = f"Completion recorded for {enrolment.resident.full_name}."
                reached = [c for c in changes if c.strand_code == "overall" and c.to_level]
                if reached:
                    text += f" Their passport is now {reached[0].to_level.title()} overall."
            else:
                services.enrolment_not_complete(
                    actor=user,
                    enrolment=enrolment,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
                text = f"Recorded that {enrolment.resident.full_name} did not complete."
        except services.TrainingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, text)
            return redirect("training:cohort", cohort_id=cohort.pk)
    audit_shown(
        user=user,
        residents=[enrolment.resident],
        request=request,
        summary=f"Opened a course outcome in cohort {cohort.pk}",
    )
    return render(
        request,
        "training/outcome.html",
        {
            "cohort": cohort,
            "enrolment": enrolment,
            "form": form,
            "descriptors": selectors.course_descriptors(course=cohort.course),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def resident_training(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    """A resident's courses, for staff who may see the resident; advisers may refer from it."""
    user = request.user
    resident = resident_get_for_user(user=user, public_id=public_id)
    may_refer = user_has_capability(
        user=user, capability=Capability.REFER_RESIDENTS, organisation_id=resident.organisation_id
    )
    today = selectors.today()
    cohorts = selectors.cohorts_open_for_referral(user=user, today=today)
    form = forms.ReferForm(request.POST if request.method == "POST" else None, cohorts=cohorts)
    if request.method == "POST":
        if not may_refer:
            raise PermissionDenied
        if form.is_valid():
            try:
                enrolment = services.enrolment_create(
                    actor=user,
                    cohort=form.cleaned_data["cohort"],
                    resident=resident,
                    source=EnrolmentSource.REFERRAL,
                    referring_organisation=resident.organisation,
                    request=request,
                )
            except services.TrainingError as exc:
                form.add_error("cohort", exc.message)
            else:
                where = (
                    f"number {enrolment.waiting_position} on the waiting list"
                    if enrolment.status == EnrolmentStatus.WAITING
                    else "enrolled"
                )
                messages.success(request, f"{resident.full_name} is {where}.")
                return redirect("training:resident", public_id=resident.public_id)
    audit_record(
        user=user,
        action=AuditAction.VIEWED,
        resident=resident,
        summary="training enrolments",
        request=request,
    )
    return render(
        request,
        "training/resident.html",
        {
            "resident": resident,
            "enrolments": selectors.enrolments_of_resident(resident=resident),
            "form": form if may_refer else None,
            "has_cohorts": cohorts.exists(),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET"])
def learner(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    """What a training provider sees of a resident who shares their record with providers (or
    is on one of its courses): name, how they like to be contacted, ward and passport levels,
    and their places on the provider's own courses. Nothing else of the record."""
    user = request.user
    _require_training(user)
    resident = resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.RUN_TRAINING
    )
    audit_record(
        user=user,
        action=AuditAction.VIEWED,
        resident=resident,
        summary="record as shared with training providers",
        request=request,
    )
    return render(
        request,
        "training/learner.html",
        {
            "resident": resident,
            "passport": passport_summary(resident=resident),
            "enrolments": selectors.enrolments_with_providers_of(user=user, resident=resident),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_programme(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    user = request.user
    plan = selectors.plan_get_for_user(user=user, plan_id=plan_id)
    own = selectors.training_organisation_ids(user=user)
    invitable = selectors.cohorts_to_invite_to(user=user, today=selectors.today())
    form = forms.InviteForm(request.POST if request.method == "POST" else None, cohorts=invitable)
    if request.method == "POST" and form.is_valid():
        ids = []
        for value in request.POST.getlist("resident"):
            try:
                ids.append(int(value))
            except ValueError as exc:
                raise Http404("No such resident") from exc
        try:
            count = services.invitations_send(
                actor=user,
                cohort=form.cleaned_data["cohort"],
                plan=plan,
                resident_ids=ids,
                request=request,
            )
        except services.TrainingError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{count} resident{'s' if count != 1 else ''} invited.")
            return redirect("training:plan", plan_id=plan.pk)
    outreach = outreach_list(user=user, plan=plan)
    if outreach.allowed:
        audit_shown(
            user=user,
            residents=outreach.residents,
            action=AuditAction.LISTED,
            request=request,
            summary=f"Outreach list of targeting plan {plan.pk} (training)",
        )
    return render(
        request,
        "training/plan.html",
        {
            "plan": plan,
            "cohorts": selectors.plan_cohorts(plan=plan),
            "own": own,
            "reach": selectors.plan_reach(plan=plan),
            "outreach": outreach,
            "form": form,
            "chosen": {str(v) for v in request.POST.getlist("resident")},
        },
        status=400 if form.errors else 200,
    )
