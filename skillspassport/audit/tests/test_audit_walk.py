"""Every page, export and download that shows a resident writes an audit event for them.

The demo scheme is seeded, every resident is renamed to a marker holding their own id, and
then each role of the council (and its partners' staff) requests every URL pattern of the
project with ids taken from the records. Whenever a response holds a resident's marker, the
same request must have written an audit event, by that user, linked to that resident.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db.models import Max
from django.urls import get_resolver

from skillspassport.accounts.models import Membership, Organisation, Role, User
from skillspassport.audit.models import AuditEvent
from skillspassport.funding.outputs import MEASURES
from skillspassport.home.tests.test_access_walk import _routes
from skillspassport.people.models import Resident
from skillspassport.people.selectors import name_key

MARKER = re.compile(rb"Qzm(\d+)qz")
PER_PARAM = 3  # records tried for each URL pattern

# Where each URL parameter's values come from: a model and, for each parameter of the
# pattern that the same row can fill, the field path that fills it (so nested URLs get
# matching parents: a session of that cohort, a credential of that referral's resident).
SOURCES: dict[str, tuple[str, dict[str, str]]] = {
    "consent_id": ("people.ConsentRecord", {"public_id": "resident__public_id"}),
    "evidence_id": ("skills.Evidence", {"public_id": "resident__public_id"}),
    "credential_id": (
        "credentials.IssuedCredential",
        {
            "credential_id": "public_id",
            "public_id": "resident__public_id",
            "referral_id": "resident__referrals__id",
        },
    ),
    "client_id": ("credentials.ApiClient", {}),
    "issuer_id": ("credentials.TrustedIssuer", {}),
    "council_id": ("accounts.Organisation", {}),
    "plan_id": ("targeting.TargetingPlan", {}),
    "report_id": ("reports.MonitoringReport", {}),
    "employer_id": ("employers.EmployerProfile", {}),
    "opportunity_id": ("employers.Opportunity", {}),
    "referral_id": ("employers.Referral", {}),
    "check_id": ("employers.SustainmentCheck", {}),
    "course_id": ("training.Course", {}),
    "cohort_id": ("training.Cohort", {}),
    "session_id": ("training.Session", {"cohort_id": "cohort_id"}),
    "enrolment_id": ("training.Enrolment", {"cohort_id": "cohort_id"}),
    "goal_id": ("support.Goal", {"public_id": "case__public_id"}),
    "spend_id": ("support.BudgetSpend", {"public_id": "case__public_id"}),
    "device_id": ("support.Device", {"public_id": "case__public_id"}),
    "placement_id": ("support.Placement", {"public_id": "case__public_id"}),
    "fund_id": ("funding.Fund", {}),
    "proposal_id": ("funding.Proposal", {}),
    "assessment_id": ("funding.Assessment", {}),
    "project_id": ("funding.Project", {}),
    "milestone_id": ("funding.Milestone", {"project_id": "agreement__project_id"}),
}
FIXED = {
    "strand_code": ["digital", "overall"],
    "measure": list(MEASURES)[:PER_PARAM],
    "action": ["rotate"],
    "owner": ["x"],
    "purpose": ["revocation"],
}


def _rows(label: str, paths: dict[str, str], params: list[str], pk_name: str) -> list[dict]:
    model = apps.get_model(label)
    fields = {name: paths.get(name, "pk" if name == pk_name else None) for name in params}
    if any(path is None for path in fields.values()):
        return []
    queryset = model.objects.exclude(**{f"{p}__isnull": True for p in fields.values()})
    rows = list(queryset.order_by("pk").values(*fields.values())[: PER_PARAM * 20])
    chosen = rows[: PER_PARAM - 1] + rows[-1:] if len(rows) >= PER_PARAM else rows
    return [{name: row[path] for name, path in fields.items()} for row in chosen]


def _values(route: str, params: list[str], extra: dict[str, list]) -> list[dict]:
    """Values for a URL pattern's parameters, drawn from matching records."""
    if not params:
        return [{}]
    last = params[-1]
    if last in SOURCES:
        label, paths = SOURCES[last]
        rows = _rows(label, paths, params, last)
        if rows:
            return rows
    if params == ["public_id"]:
        return [{"public_id": v} for v in extra["cases" if "cases/" in route else "residents"]]
    if params == ["token"]:
        return [{"token": v} for v in extra["tokens"]]
    pools = []
    for name in params:
        if name in FIXED:
            pools.append(FIXED[name])
        elif name == "code":
            pools.append(extra["areas"])
        elif name == "public_id":
            pools.append(extra["cases" if "cases/" in route else "residents"])
        elif name in SOURCES:
            model = apps.get_model(SOURCES[name][0])
            pools.append(list(model.objects.order_by("pk").values_list("pk", flat=True))[:2])
        else:
            pools.append(["x"])
    return [dict(zip(params, combo, strict=True)) for combo in itertools.product(*pools)][:12]


# Pages that also answer a search or an export from the same address.
QUERIES = {
    "residents/": ["?q=qzm", "?q=qzm&page=2"],
    "support/": ["?q=qzm"],
    "training/cohorts/<int:cohort_id>/enrol/": ["?q=qzm"],
    "targeting/plans/<int:plan_id>/": ["?format=csv"],
    "audit/": ["?format=csv"],
}


def _urls(extra: dict[str, list]) -> Iterator[str]:
    for route in _routes(get_resolver().url_patterns):
        if route.startswith(("admin/", "o/")) or "(?P" in route:
            continue
        params = [name for _conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", route)]
        for values in _values(route, params, extra):
            path = route
            for name in params:
                path = re.sub(rf"<(?:\w+:)?{name}>", str(values[name]), path, count=1)
            yield "/" + path
            for query in QUERIES.get(route, []):
                yield "/" + path + query


def _body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.mark.django_db
def test_every_page_showing_a_resident_records_it_for_that_resident(client, demo):
    for resident in Resident.objects.all():
        resident.last_name = f"Qzm{resident.pk}qz"
        resident.name_key = name_key(resident.first_name, resident.last_name)
        resident.save(update_fields=["last_name", "name_key"])
    sefton = Organisation.objects.get(name="Sefton Council")
    scheme = Resident.objects.filter(organisation__in=[sefton, *sefton.partners.all()])
    case_model = apps.get_model("support.Case")
    credential_model = apps.get_model("credentials.IssuedCredential")
    extra = {
        "residents": list(
            scheme.filter(referrals__isnull=False, enrolments__isnull=False)
            .order_by("pk")
            .values_list("public_id", flat=True)
            .distinct()[:PER_PARAM]
        )
        + list(scheme.order_by("-pk").values_list("public_id", flat=True)[:1]),
        "cases": list(case_model.objects.order_by("pk").values_list("public_id", flat=True)[:2]),
        "tokens": list(
            credential_model.objects.filter(share_token__isnull=False).values_list(
                "share_token", flat=True
            )[:2]
        ),
        "areas": list(scheme.exclude(lsoa=None).values_list("lsoa_id", flat=True)[:2]),
    }
    councillor = User.objects.create_user("councillor@sefton.test", "x", full_name="Councillor")
    Membership.objects.create(user=councillor, organisation=sefton, role=Role.COUNCILLOR)
    users = [
        *User.objects.filter(email__endswith="@sefton.demo").order_by("email"),
        councillor,
    ]
    urls = list(dict.fromkeys(_urls(extra)))
    gaps: list[str] = []
    shown_pages = 0
    shown_urls: set[str] = set()
    seen_roles: set[str] = set()
    for user in users:
        client.force_login(user)
        for url in urls:
            before = AuditEvent.objects.aggregate(last=Max("seq"))["last"] or 0
            response = client.get(url)
            if response.status_code != 200:
                continue
            body = _body(response)
            shown = {int(pk) for pk in MARKER.findall(body)}
            if not shown:
                continue
            shown_pages += 1
            seen_roles.add(user.email)
            shown_urls.add(url)
            recorded = set(
                AuditEvent.objects.filter(seq__gt=before, user=user).values_list(
                    "resident_id", flat=True
                )
            )
            if missing := shown - recorded:
                gaps.append(f"{user.email} {url}: {len(missing)} of {len(shown)} not recorded")
    assert gaps == [], "\n".join(gaps)
    # The walk did reach residents' records, as each role that may see them, and searches.
    assert shown_pages > 60
    assert {"/residents/?q=qzm", "/support/?q=qzm"} <= shown_urls
    assert {"adviser@sefton.demo", "tutor@sefton.demo", "admin@sefton.demo"} <= seen_roles
    assert {"viewer@sefton.demo", "employer@sefton.demo"} <= seen_roles
