"""What the casework pages share: the case page's address, the caseworker check, and the page
that shows one of the case's forms."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.audit.services import audit_shown
from skillspassport.support import selectors
from skillspassport.support.models import Case


def case_url(case: Case, anchor: str = "") -> str:
    """The case page, at one of its sections (`#plan`, `#budget`, ...) if given."""
    return reverse("support:case", args=[case.public_id]) + (f"#{anchor}" if anchor else "")


def add_service_error(form: BaseForm, exc: Exception) -> None:
    """Show a casework rule's refusal on the field it names, or on the form as a whole."""
    field = getattr(exc, "field", None)
    form.add_error(field if field in form.fields else None, str(exc))


def require_caseworker(request: AuthenticatedRequest) -> None:
    """Refuse (403) a user who cannot open cases anywhere."""
    if not selectors.may_open_cases(user=request.user):
        raise PermissionDenied


def case_form_page(
    request: AuthenticatedRequest,
    case: Case,
    form: BaseForm,
    title: str,
    *,
    action: str = "Save",
    multipart: bool = False,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """One of the case's forms on its own page, recording that the resident's case was shown."""
    view = request.resolver_match.view_name if request.resolver_match else "case form"
    audit_shown(
        user=request.user,
        residents=[case.resident],
        request=request,
        summary=f"Opened a case form ({view})",
    )
    return render(
        request,
        "support/case_form.html",
        {
            "case": case,
            "resident": case.resident,
            "form": form,
            "title": title,
            "action": action,
            "multipart": multipart,
            **(extra or {}),
        },
    )
