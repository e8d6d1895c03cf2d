"""Nobody sees a resident they have no business with — on any page of any app.

The demo scheme is seeded (employers, training, casework, funding and all), every Sefton
resident is renamed to a marker, and then staff of another council in every role, and the
council's own analyst, request every URL pattern of the project with ids taken from the
Sefton records. The marker must never appear in a response.
"""

from __future__ import annotations

import itertools
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from skillspassport.accounts.models import Membership, Organisation, Role, User
from skillspassport.people.models import Resident

MARKER = "Qzmarkerqz"
MODELS = [
    "employers.Opportunity",
    "employers.Referral",
    "employers.SustainmentCheck",
    "employers.JobStart",
    "training.Cohort",
    "training.Enrolment",
    "training.Session",
    "support.BudgetSpend",
    "support.Device",
    "support.Placement",
    "support.Goal",
    "funding.Project",
    "funding.Proposal",
    "funding.Assessment",
    "funding.Fund",
    "targeting.TargetingPlan",
    "credentials.IssuedCredential",
]


def _routes(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _urls(ints, uuids, strs):
    for route in _routes(get_resolver().url_patterns):
        if route.startswith("admin/") or "(?P" in route:
            continue
        params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        pools = [ints if c == "int" else uuids if c == "uuid" else strs for c, _ in params]
        for combo in itertools.islice(itertools.product(*pools), 40):
            path = route
            for value in combo:
                path = re.sub(r"<(?:\w+:)?\w+>", str(value), path, count=1)
            yield "/" + path


def seed_marked_scheme() -> tuple[Organisation, set[int], list]:
    """On the shared demo (the `demo` fixture), rename every Sefton-scheme resident to the
    marker, and return the council with the ids (ints, uuids) the walks put into URL patterns."""
    sefton = Organisation.objects.get(name="Sefton Council")
    scheme = Resident.objects.filter(organisation__in=[sefton, *sefton.partners.all()])
    for resident in scheme:
        resident.last_name = f"{MARKER}{resident.pk}"
        resident.save(update_fields=["last_name"])
    ints = {1, 2}
    for label in MODELS:
        ints.update(apps.get_model(label).objects.order_by("pk").values_list("pk", flat=True)[:2])
    ints.update(scheme.values_list("pk", flat=True)[:2])
    uuids = list(scheme.values_list("public_id", flat=True)[:2])
    uuids += list(apps.get_model("support.Case").objects.values_list("public_id", flat=True)[:2])
    return sefton, ints, uuids


@pytest.mark.django_db
def test_staff_of_another_council_never_see_a_sefton_resident(client, demo):
    _, ints, uuids = seed_marked_scheme()
    knowsley = Organisation.objects.get(name="Knowsley Council")
    users = []
    for role in Role:
        user = User.objects.create_user(f"{role.value}@knowsley.test", "x", full_name=role.label)
        Membership.objects.create(user=user, organisation=knowsley, role=role)
        users.append(user)
    # Sefton's analyst works with figures only: no resident's name either.
    users.append(User.objects.get(email="analyst@sefton.demo"))
    # The control: Sefton's own adviser does see the marker, so the check can fail.
    client.force_login(User.objects.get(email="adviser@sefton.demo"))
    assert MARKER.encode() in client.get("/residents/").content
    assert MARKER.encode() in client.get("/support/").content
    requests = pages = 0
    for user in users:
        client.force_login(user)
        for url in _urls(sorted(ints), uuids, ["x"]):
            response = client.get(url)
            if response.status_code == 200 and not response.streaming:
                assert MARKER.encode() not in response.content, f"{user.email}: {url}"
                pages += 1
            requests += 1
    assert requests > 1000
    assert pages > 100  # the other council's own pages did answer
