"""Training pages seen from a resident: an adviser's view of their training, what a provider
sees of a learner, and programmes for a targeting plan's areas."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.selectors import user_has_capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record, audit_shown
from skillspassport.people.selectors import resident_get_for_user
from skillspassport.skills.selectors import passport_summary
from skillspassport.targeting.outreach import outreach_list
from skillspassport.training import forms, selectors, services
from skillspassport.training.models import EnrolmentSource, EnrolmentStatus
from skillspassport.training.views.common import require_training


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
                chosen = form.cleaned_data["cohort"]
                if enrolment.status == EnrolmentStatus.WAITING:
                    text = (
                        f"{resident.full_name} is number {enrolment.waiting_position} "
                        "on the waiting list."
                    )
                elif chosen.end_date < today:
                    text = (
                        f"Recorded that {resident.full_name} had a place on this course, which "
                        "has ended: the provider records whether they completed it."
                    )
                else:
                    text = f"{resident.full_name} is enrolled."
                messages.success(request, text)
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
    require_training(user)
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
