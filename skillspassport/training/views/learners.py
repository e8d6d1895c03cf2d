"""Training pages about learners on a cohort: enrolment, registers, withdrawal and outcomes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_searched, audit_shown
from skillspassport.people.selectors import query_kind, resident_get_for_user, residents_for_user
from skillspassport.training import forms, selectors, services
from skillspassport.training.models import AttendanceMark, EnrolmentStatus


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
        {
            "cohort": cohort,
            "query": query,
            "results": results,
            "error": error,
            "ended": cohort.end_date < selectors.today(),
        },
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
        if "everyone_else_present" in request.POST:
            # Anyone the tutor did not mark is marked present.
            errors = [e for e in errors if not e.startswith("Mark at least one")]
            for e in learners:
                marks.setdefault(e.pk, AttendanceMark.PRESENT)
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
                    actor=user,
                    enrolment=enrolment,
                    override_reason=form.cleaned_data["override_reason"],
                    request=request,
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
    summary = selectors.attendance_summaries(cohort=cohort).get(enrolment.pk)
    threshold = selectors.completion_percent_for(cohort=cohort)
    return render(
        request,
        "training/outcome.html",
        {
            "cohort": cohort,
            "enrolment": enrolment,
            "form": form,
            "descriptors": selectors.course_descriptors(course=cohort.course),
            "summary": summary,
            "threshold": threshold,
            "meets": summary is not None and summary.meets(threshold),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["POST"])
def complete_many(request: AuthenticatedRequest, cohort_id: int) -> HttpResponse:
    """Complete the learners ticked on the cohort page. Those below the attendance threshold
    are listed back, each with a box for the reason to complete them anyway."""
    user = request.user
    cohort = selectors.cohort_get_for_user(user=user, cohort_id=cohort_id)
    ids = forms.parse_ids(request.POST.getlist("enrolment"))
    if ids is None:
        raise Http404("No such learner")
    reasons = {pk: " ".join(request.POST.get(f"reason-{pk}", "").split())[:500] for pk in ids}
    error = ""
    try:
        result = services.enrolments_complete(
            actor=user, cohort=cohort, enrolment_ids=ids, reasons=reasons, request=request
        )
    except services.TrainingError as exc:
        error = exc.message
        result = services.BulkCompletion()
    if result.completed:
        count = len(result.completed)
        messages.success(
            request,
            f"Completion recorded for {count} learner{'s' if count != 1 else ''}: "
            + ", ".join(e.resident.full_name for e in result.completed)
            + ".",
        )
    if not error and not result.needs_reason:
        return redirect(reverse("training:cohort", args=[cohort.pk]) + "#learners")
    if error:
        messages.error(request, error)
        return redirect(reverse("training:cohort", args=[cohort.pk]) + "#learners")
    audit_shown(
        user=user,
        residents=[e.resident for e, _why in result.needs_reason],
        action=AuditAction.LISTED,
        request=request,
        summary=f"Learners of cohort {cohort.pk} below the attendance threshold",
    )
    tried = "reason-" in "".join(request.POST)
    return render(
        request,
        "training/complete_many.html",
        {
            "cohort": cohort,
            "below": result.needs_reason,
            "threshold": selectors.completion_percent_for(cohort=cohort),
            "tried": tried,
        },
        status=400 if tried else 200,
    )
