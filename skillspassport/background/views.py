"""The progress page of a piece of long work, and the list of recent work."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.background import selectors

REFRESH_SECONDS = 2


def work_detail(request: AuthenticatedRequest, work_id: str) -> HttpResponse:
    work = selectors.work_get_for_user(user=request.user, work_id=work_id)
    return render(
        request,
        "background/work_detail.html",
        {"work": work, "refresh": None if work.finished else REFRESH_SECONDS},
    )


def work_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "background/work_list.html",
        {
            "works": selectors.work_recent_for_user(user=request.user),
            "failures": selectors.failures_for_user(user=request.user),
        },
    )
