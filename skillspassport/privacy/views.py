"""Pages for data-subject rights: a resident's rights page, the subject access document and
JSON, erasure, and each council's retention rules (with a dry run before every run)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.models import Organisation
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_record
from skillspassport.core.services import AlreadySubmitted, submitted_once
from skillspassport.people.models import Resident
from skillspassport.people.selectors import resident_get_for_user
from skillspassport.privacy import forms, retention, selectors, services
from skillspassport.privacy.models import RetentionRule

MAX_LISTED = 500  # residents listed on one dry-run page (all are counted)


def _resident(request: AuthenticatedRequest, public_id: Any) -> Resident:
    return resident_get_for_user(
        user=request.user,
        public_id=public_id,
        capability=Capability.HANDLE_RIGHTS_REQUESTS,
    )


@require_GET
def resident_rights(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    resident = _resident(request, public_id)
    audit_record(
        user=request.user,
        action=AuditAction.VIEWED,
        resident=resident,
        summary="Data rights page (with earlier values of corrected details)",
        request=request,
    )
    return render(
        request,
        "privacy/resident_rights.html",
        {
            "resident": resident,
            "reference": selectors.resident_reference(resident.public_id),
            "erasure": selectors.erasure_for(resident=resident),
            "revisions": [
                (revision, selectors.revision_values(revision))
                for revision in selectors.revisions_for(resident=resident)
            ],
        },
    )


@require_GET
def subject_access_document(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    resident = _resident(request, public_id)
    export = services.subject_access_export(
        user=request.user,
        resident=resident,
        file_format="printable document",
        request=request,
    )
    return render(
        request,
        "privacy/subject_access.html",
        {
            "resident": resident,
            "export": export,
            "reference": selectors.resident_reference(resident.public_id),
        },
    )


@require_GET
def subject_access_json(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    resident = _resident(request, public_id)
    export = services.subject_access_export(
        user=request.user,
        resident=resident,
        file_format="JSON",
        request=request,
    )
    response = HttpResponse(export.as_json(), content_type="application/json; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="subject-access-{resident.public_id}-{stamp}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def resident_erase(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    resident = _resident(request, public_id)
    reference = selectors.resident_reference(resident.public_id)
    back = reverse("privacy:resident", args=[resident.public_id])
    if selectors.erasure_for(resident=resident) is not None:
        messages.info(request, "This resident's record has already been erased.")
        return redirect(back)
    form = forms.EraseForm(request.POST or None, reference=reference)
    if request.method == "POST" and form.is_valid():
        try:
            with submitted_once(
                token=form.cleaned_data["submission_token"], user=request.user
            ) as claim:
                result = services.resident_erase(
                    user=request.user,
                    resident=resident,
                    confirmation=form.cleaned_data["confirmation"],
                    request=request,
                )
                claim.result_url = back
        except AlreadySubmitted as done:
            messages.info(request, "This form had already been sent. Here is the result.")
            return redirect(done.result_url)
        except services.ErasureError as error:
            form.add_error("confirmation", str(error))
        else:
            messages.success(
                request,
                f"Record {reference} has been anonymised. {result.credentials_revoked} "
                f"credentials were revoked and {result.consents_withdrawn} consents withdrawn.",
            )
            return redirect(back)
    audit_record(
        user=request.user,
        action=AuditAction.VIEWED,
        resident=resident,
        summary="Erasure page",
        request=request,
    )
    return render(
        request,
        "privacy/erase.html",
        {"resident": resident, "reference": reference, "form": form},
    )


# --- Retention rules -------------------------------------------------------------------------


@require_GET
def retention_councils(request: AuthenticatedRequest) -> HttpResponse:
    councils = list(selectors.rights_councils_for(user=request.user))
    if not councils:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if len(councils) == 1:
        return redirect("privacy:retention-council", council_id=councils[0].pk)
    return render(request, "privacy/retention_councils.html", {"councils": councils})


def _council(request: AuthenticatedRequest, council_id: int) -> Organisation:
    return selectors.council_get_for_rights(user=request.user, council_id=council_id)


@require_GET
def retention_council(request: AuthenticatedRequest, council_id: int) -> HttpResponse:
    council = _council(request, council_id)
    rules = list(selectors.rules_for(council=council))
    return render(
        request,
        "privacy/retention_council.html",
        {
            "council": council,
            "rules": rules,
            "can_add": len(rules) < len(forms.RetentionScope.choices),
            "sources": retention.ACTIVITY_SOURCES,
        },
    )


def _rule_form(
    request: AuthenticatedRequest, council: Organisation, rule: RetentionRule | None
) -> HttpResponse:
    taken = {each.scope for each in selectors.rules_for(council=council)}
    initial: dict[str, Any] = {"active": True}
    if rule is not None:
        taken.discard(rule.scope)
        initial = {"scope": rule.scope, "years": rule.years, "active": rule.active}
    form = forms.RetentionRuleForm(request.POST or None, initial=initial, taken=taken)
    result = reverse("privacy:retention-council", args=[council.pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with submitted_once(token=data["submission_token"], user=request.user) as claim:
                services.retention_rule_save(
                    user=request.user,
                    council=council,
                    rule=rule,
                    scope=data["scope"],
                    years=data["years"],
                    active=data["active"],
                    request=request,
                )
                claim.result_url = result
        except AlreadySubmitted as done:
            messages.info(request, "This form had already been sent. Here is the result.")
            return redirect(done.result_url)
        messages.success(request, "Retention rule saved.")
        return redirect(result)
    return render(
        request,
        "privacy/rule_form.html",
        {"council": council, "rule": rule, "form": form},
    )


@require_http_methods(["GET", "POST"])
def retention_rule_add(request: AuthenticatedRequest, council_id: int) -> HttpResponse:
    return _rule_form(request, _council(request, council_id), None)


@require_http_methods(["GET", "POST"])
def retention_rule_edit(request: AuthenticatedRequest, rule_id: int) -> HttpResponse:
    rule = selectors.rule_get_for_rights(user=request.user, rule_id=rule_id)
    return _rule_form(request, rule.council, rule)


@require_http_methods(["GET", "POST"])
def retention_review(request: AuthenticatedRequest, rule_id: int) -> HttpResponse:
    """GET: the dry run (what the rule would anonymise now). POST: run it on those listed."""
    rule = selectors.rule_get_for_rights(user=request.user, rule_id=rule_id)
    council_page = reverse("privacy:retention-council", args=[rule.council_id])
    if request.method == "POST":
        form = forms.RetentionRunForm(request.POST)
        if not form.is_valid():
            messages.error(request, "This form has expired. Review the list again, then run.")
            return redirect("privacy:rule-review", rule_id=rule.pk)
        try:
            with submitted_once(
                token=form.cleaned_data["submission_token"], user=request.user
            ) as claim:
                outcome = services.retention_apply(
                    user=request.user,
                    rules=[rule],
                    dry_run=False,
                    only=form.cleaned_data["residents"],
                    request=request,
                )[0]
                claim.result_url = council_page
        except AlreadySubmitted as done:
            messages.info(request, "This form had already been sent. Here is the result.")
            return redirect(done.result_url)
        messages.success(request, f"{outcome.erased} residents' records were anonymised.")
        return redirect(council_page)
    outcome = services.retention_apply(
        user=request.user,
        rules=[rule],
        dry_run=True,
    )[0]
    listed = outcome.candidates[:MAX_LISTED]
    return render(
        request,
        "privacy/retention_review.html",
        {
            "rule": rule,
            "council": rule.council,
            "candidates": listed,
            "total": len(outcome.candidates),
            "cutoff": retention.cutoff(rule, timezone.now()),
            "form": forms.RetentionRunForm(
                initial={"residents": ",".join(c.public_id for c in listed)}
            ),
        },
    )
