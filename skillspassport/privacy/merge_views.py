"""Pages for merging two records of the same person: possible duplicates of a record, and the
side-by-side confirmation before the merge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.core.services import AlreadySubmitted, submitted_once
from skillspassport.people.models import Resident
from skillspassport.people.selectors import possible_duplicates, resident_get_for_user
from skillspassport.privacy import merge
from skillspassport.privacy.forms import MergeForm


def _resident(request: AuthenticatedRequest, public_id: Any) -> Resident:
    return resident_get_for_user(
        user=request.user, public_id=public_id, capability=Capability.MERGE_RESIDENTS
    )


@require_GET
def merge_choose(request: AuthenticatedRequest, public_id: Any) -> HttpResponse:
    """The records that may be the same person as this one, each to compare and merge."""
    resident = _resident(request, public_id)
    duplicates = possible_duplicates(
        user=request.user,
        first_name=resident.first_name,
        last_name=resident.last_name,
        date_of_birth=resident.date_of_birth,
        email=resident.email,
        phone=resident.phone,
        postcode=resident.postcode,
        exclude_id=resident.pk,
    )
    audit_shown(
        user=request.user,
        residents=[resident, *(d.resident for d in duplicates)],
        action=AuditAction.LISTED,
        request=request,
        summary="Possible duplicates shown to merge",
    )
    return render(
        request, "privacy/merge_choose.html", {"resident": resident, "duplicates": duplicates}
    )


@require_http_methods(["GET", "POST"])
def merge_confirm(request: AuthenticatedRequest, public_id: Any, other_id: Any) -> HttpResponse:
    """Both records side by side with what each holds; merging keeps the first."""
    user = request.user
    survivor = _resident(request, public_id)
    duplicate = _resident(request, other_id)
    if not merge.may_merge(user=user, survivor=survivor, duplicate=duplicate):
        raise PermissionDenied
    problems = merge.merge_problems(survivor=survivor, duplicate=duplicate)
    form = MergeForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not problems:
        try:
            with submitted_once(token=form.cleaned_data["submission_token"], user=user) as claim:
                result = merge.residents_merge(
                    user=user, survivor=survivor, duplicate=duplicate, request=request
                )
                claim.result_url = reverse("people:detail", args=[result.survivor.public_id])
        except AlreadySubmitted as done:
            return redirect(done.result_url)
        except merge.MergeError as exc:
            problems = [str(exc)]
        else:
            messages.success(
                request,
                f"The records have been merged. Everything is now on {survivor.full_name}'s "
                "record; the other record's address leads here.",
            )
            return redirect(claim.result_url)
    audit_shown(
        user=user,
        residents=[survivor, duplicate],
        request=request,
        summary="Compared two records to merge",
    )
    return render(
        request,
        "privacy/merge_confirm.html",
        {
            "survivor": survivor,
            "duplicate": duplicate,
            "problems": problems,
            "form": form,
            "rows": [
                (name.replace("_", " ").capitalize(), count, merge.holdings(duplicate)[name])
                for name, count in merge.holdings(survivor).items()
            ],
        },
    )
