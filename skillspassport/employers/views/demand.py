"""Demand against supply: the skill areas employers need against residents' verified skills."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from skillspassport.accounts.http import AuthenticatedRequest
from skillspassport.accounts.roles import Capability
from skillspassport.employers import selectors
from skillspassport.employers.models import SicSection


@require_http_methods(["GET"])
def demand(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    councils = selectors.scheme_council_ids(
        user=user, capabilities=[*selectors.STAFF_CAPABILITIES, Capability.VIEW_AGGREGATES]
    )
    if not councils:
        raise Http404
    sector = request.GET.get("sector", "")
    if sector not in SicSection.values:
        sector = ""
    ward = request.GET.get("ward", "")
    table = selectors.demand_and_supply(council_ids=councils, sector=sector, ward=ward)
    return render(
        request,
        "employers/demand.html",
        {
            "table": table,
            "sectors": SicSection.choices,
            "sector": sector,
            "ward": ward,
            "wards": selectors.scheme_wards(council_ids=councils),
            "self_url": reverse("employers:demand"),
        },
    )
