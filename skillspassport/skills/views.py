from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.audit.services import audit_shown
from skillspassport.core.services import AlreadySubmitted, submitted_once
from skillspassport.people.models import Resident
from skillspassport.people.selectors import resident_get_for_user
from skillspassport.skills import forms, selectors, services
from skillspassport.skills.models import Award, EvidenceMethod, Strand


def framework_detail(request: AuthenticatedRequest) -> HttpResponse:
    framework = selectors.frameworks().first()
    if framework is None:
        raise Http404("No framework loaded")
    strands = Strand.objects.filter(framework=framework).prefetch_related(
        "scale", "areas__descriptors__level"
    )
    rule_set = framework.rule_sets.filter(name="default").first()
    return render(
        request,
        "skills/framework.html",
        {"framework": framework, "strands": strands, "rules": rule_set.rules if rule_set else {}},
    )


def _level_message(changes: list[services.LevelChange]) -> str | None:
    names = dict(Award.choices)
    for change in changes:
        if change.strand_code == "overall":
            after = names[change.to_level] if change.to_level else "no level"
            return f"Their overall passport level is now {after}."
    return None


def _recorded_message(count: int, method: str, resident: Resident) -> str:
    recorded = ngettext(
        "%(count)d piece of evidence recorded.", "%(count)d pieces of evidence recorded.", count
    ) % {"count": count}
    if method != EvidenceMethod.SELF_ASSESSED:
        return recorded
    rule_set = selectors.rule_set_for_organisation(organisation=resident.organisation)
    if rule_set.count_self_assessed:
        return recorded
    return f"{recorded} {capfirst(selectors.self_assessed_note(resident=resident))}"


@require_http_methods(["GET", "POST"])
def evidence_record(
    request: AuthenticatedRequest, public_id: str, strand_code: str
) -> HttpResponse:
    user = request.user
    resident = resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.RECORD_EVIDENCE
    )
    framework = selectors.rule_set_for_organisation(organisation=resident.organisation).framework
    try:
        strand = selectors.strand_checklist(framework=framework, strand_code=strand_code)
    except Strand.DoesNotExist as exc:
        raise Http404("No such strand") from exc
    form = forms.EvidenceChecklistForm(
        request.POST or None,
        strand=strand,
        methods=selectors.evidence_methods_for(user=user, resident=resident),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submitted_once(token=data["submission_token"], user=user) as claim:
                items, changes = services.evidence_record(
                    user=user,
                    resident=resident,
                    descriptors=data["descriptors"],
                    method=data["method"],
                    shown_on=data["shown_on"],
                    note=data["note"],
                    request=request,
                )
                claim.result_url = reverse("people:detail", args=[resident.public_id]) + "#passport"
        except AlreadySubmitted as done:
            return redirect(done.result_url)
        except services.EvidenceError as exc:
            form.add_error(exc.field, str(exc))
        else:
            messages.success(request, _recorded_message(len(items), data["method"], resident))
            if (note := _level_message(changes)) is not None:
                messages.success(request, note)
            return redirect(claim.result_url)
    audit_shown(
        user=user, residents=[resident], request=request, summary="Opened the evidence form"
    )
    return render(
        request,
        "skills/evidence_record.html",
        {
            "form": form,
            "resident": resident,
            "strand": strand,
            "already": selectors.evidenced_codes(resident=resident, framework=framework),
        },
    )


@require_http_methods(["GET", "POST"])
def evidence_withdraw(
    request: AuthenticatedRequest, public_id: str, evidence_id: int
) -> HttpResponse:
    user = request.user
    resident = resident_get_for_user(
        user=user, public_id=public_id, capability=Capability.RECORD_EVIDENCE
    )
    item = selectors.evidence_for_resident(resident=resident).filter(pk=evidence_id).first()
    if item is None:
        raise Http404("No such evidence")
    form = forms.WithdrawEvidenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(token=form.cleaned_data["submission_token"], user=user) as claim:
                changes = services.evidence_withdraw(
                    user=user,
                    resident=resident,
                    evidence_id=item.pk,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
                claim.result_url = reverse("people:detail", args=[resident.public_id]) + "#evidence"
        except AlreadySubmitted as done:
            return redirect(done.result_url)
        except services.EvidenceError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, "Evidence withdrawn.")
            if (note := _level_message(changes)) is not None:
                messages.success(request, note)
            return redirect(claim.result_url)
    audit_shown(
        user=user, residents=[resident], request=request, summary="Opened an evidence withdrawal"
    )
    return render(
        request, "skills/evidence_withdraw.html", {"form": form, "resident": resident, "item": item}
    )
