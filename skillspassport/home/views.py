"""The dashboard: what each user sees first."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.audit.models import AuditAction
from skillspassport.audit.services import audit_shown
from skillspassport.home import selectors


def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    context = selectors.dashboard_for_user(user=request.user)
    if "recent" in context:
        context["recent"] = list(context["recent"])
        audit_shown(
            user=request.user,
            residents=context["recent"],
            action=AuditAction.LISTED,
            request=request,
            summary="Dashboard: recently registered",
        )
    named = selectors.queue_residents(context)
    if named:
        audit_shown(
            user=request.user,
            residents=named,
            action=AuditAction.LISTED,
            request=request,
            summary="Dashboard: work queues",
        )
    return render(request, "home/dashboard.html", context)
