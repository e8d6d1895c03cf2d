"""An employer contact sees nothing about residents who were not referred to it — on any
page or API endpoint, including by guessing URLs."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from skillspassport.employers import services
from skillspassport.employers.models import SustainmentCheck
from skillspassport.employers.tests.conftest import make_resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _candidate_urls(int_values, uuid_values):
    """Every URL of the project with its parameters filled by the values to guess."""
    for route in _patterns(get_resolver().url_patterns):
        if route.startswith(("admin/", "^admin")) or "(?P" in route:
            continue
        params = re.findall(r"<(?:(\w+):)?(\w+)>", route)
        choices = []
        for converter, _name in params:
            if converter == "int":
                choices.append(int_values)
            elif converter == "uuid":
                choices.append(uuid_values)
            else:
                choices.append(["x"])
        for combo in itertools.islice(itertools.product(*choices), 60):
            path = route
            for value in combo:
                path = re.sub(r"<(?:\w+:)?\w+>", str(value), path, count=1)
            yield "/" + path.lstrip("^").rstrip("$")


@pytest.fixture
def world(council, adviser, employer, other_employer, contact, opportunity):
    """Resident A referred to the contact's employer; B referred to another employer and
    started there (so B has a job start and sustainment checks); C referred to nobody."""
    a = make_resident(council, adviser, digital="silver")
    a.first_name, a.last_name = "Alice", "Referredhere"
    a.save()
    b = make_resident(council, adviser, digital="gold")
    b.first_name, b.last_name = "Bertram", "Elsewhere"
    b.save()
    c = make_resident(council, adviser, digital="gold")
    c.first_name, c.last_name = "Cecily", "Unreferred"
    c.save()
    mine = services.referral_create(actor=adviser, opportunity=opportunity, resident=a)
    theirs_opportunity = services.opportunity_create(
        actor=adviser,
        employer=other_employer,
        title="Web apprentice",
        opportunity_type="job",
        places=1,
        closing_on=opportunity.closing_on,
        minimum={"digital": "gold"},
    )
    theirs = services.referral_create(actor=adviser, opportunity=theirs_opportunity, resident=b)
    services.referral_progress(actor=adviser, referral=theirs, stage="offered", on=TODAY)
    theirs = services.referral_progress(
        actor=adviser, referral=theirs, stage="started", on=TODAY, hours_per_week=Decimal(30)
    )
    return {"a": a, "b": b, "c": c, "mine": mine, "theirs": theirs}


def test_employer_contact_sees_referred_resident_and_no_one_else_anywhere(client, contact, world):
    client.force_login(contact)
    page = client.get(f"/employers/referrals/{world['mine'].pk}/")
    assert page.status_code == 200
    assert "Alice Referredhere" in page.content.decode()  # the control: what they may see

    hidden = [world["b"], world["c"]]
    ints = sorted(
        {
            world["theirs"].pk,
            world["theirs"].job_start_id,
            world["theirs"].opportunity_id,
            world["theirs"].opportunity.employer_id,
            *(r.pk for r in hidden),
            *SustainmentCheck.objects.values_list("pk", flat=True),
            1,
            2,
            3,
        }
    )
    uuids = [r.public_id for r in hidden]
    checked = 0
    for url in _candidate_urls(ints, uuids):
        response = client.get(url)
        body = response.content.decode(errors="replace") if response.status_code < 300 else ""
        for person in hidden:
            assert person.last_name not in body, f"{url} shows {person.full_name}"
        checked += 1
    assert checked > 100


def test_employer_contact_gets_404_for_another_employer_and_its_referrals(
    client, contact, world, other_employer
):
    client.force_login(contact)
    theirs = world["theirs"]
    for url in [
        f"/employers/{other_employer.pk}/",
        f"/employers/opportunities/{theirs.opportunity_id}/",
        f"/employers/referrals/{theirs.pk}/",
        f"/employers/residents/{world['b'].public_id}/",
        f"/residents/{world['b'].public_id}/",
        "/employers/opportunities/",
        "/employers/demand/",
    ]:
        assert client.get(url).status_code == 404, url
    due = client.get("/employers/sustainment/").content.decode()  # their own starts only
    assert world["b"].last_name not in due
    assert (
        client.post(
            f"/employers/referrals/{theirs.pk}/", {"withdraw": "1", "w-reason": "guess"}
        ).status_code
        == 404
    )


def test_employer_contact_never_sees_matches_or_can_refer(client, contact, world, opportunity):
    client.force_login(contact)
    body = client.get(f"/employers/opportunities/{opportunity.pk}/").content.decode()
    assert "Residents who qualify" not in body
    assert "Cecily" not in body
    response = client.post(
        f"/employers/opportunities/{opportunity.pk}/refer/", {"resident": world["c"].public_id}
    )
    assert response.status_code == 404


def test_other_councils_staff_get_404_on_employer_pages(client, other_staff, world, employer):
    client.force_login(other_staff["adviser"])
    for url in [
        f"/employers/{employer.pk}/",
        f"/employers/referrals/{world['mine'].pk}/",
        f"/employers/residents/{world['a'].public_id}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_viewer_and_analyst_cannot_refer(client, staff, world, opportunity):
    for role in ("viewer", "analyst", "tutor"):
        client.force_login(staff[role])
        response = client.post(
            f"/employers/opportunities/{opportunity.pk}/refer/",
            {"resident": world["c"].public_id},
        )
        assert response.status_code in (403, 404), role
    assert not world["c"].referrals.exists()
