"""The dashboard: what each user sees first."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.home import selectors


def dashboard(request: HttpRequest) -> HttpResponse:
    context = selectors.dashboard_for_user(user=request.user)  # type: ignore[arg-type]
    if "recent" in context:
        context["recent"] = list(context["recent"])
        audit_shown(
            user=request.user,
            residents=context["recent"],
            action=AuditAction.LISTED,
            request=request,
            summary="Dashboard: recently registered",
        )
    return render(request, "home/dashboard.html", context)
