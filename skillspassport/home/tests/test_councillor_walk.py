"""A councillor sees figures and published reports, and never a resident's personal data.

The demo scheme is seeded, every Sefton resident's surname becomes a marker, and a Sefton
councillor requests every URL pattern of the project (with ids from the Sefton records, and
the outreach download of every plan). The marker must never appear. Draft monitoring reports
are read only by those who write them: analysts, viewers and councillors get a 404.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from skillspassport.accounts.models import Membership, Role, User
from skillspassport.home.tests.test_access_walk import MARKER, _urls, seed_marked_scheme
from skillspassport.reports import kpis
from skillspassport.reports.services import report_create, report_publish
from skillspassport.targeting.models import TargetingPlan


@pytest.mark.django_db
def test_a_councillor_never_sees_a_resident_and_only_writers_see_drafts(client, demo):
    sefton, ints, uuids = seed_marked_scheme()

    administrator = User.objects.filter(
        memberships__organisation=sefton, memberships__role=Role.ADMINISTRATOR
    ).first()
    period = kpis.Period.containing(timezone.localdate())
    published = report_create(council=sefton, period=period.previous(), user=administrator)
    report_publish(report=published, user=administrator, interim=True)
    draft = report_create(council=sefton, period=period, user=administrator)
    ints.update({published.pk, draft.pk})

    readers = {}
    for role in (Role.COUNCILLOR, Role.ANALYST, Role.VIEWER):
        readers[role] = User.objects.create_user(f"{role.value}@sefton.test", "x", full_name="T")
        Membership.objects.create(user=readers[role], organisation=sefton, role=role)
    councillor = readers[Role.COUNCILLOR]

    # The control: an adviser of the scheme does see the marker, so the check can fail.
    client.force_login(User.objects.get(email="adviser@sefton.demo"))
    assert MARKER.encode() in client.get("/residents/").content

    client.force_login(councillor)
    urls = list(_urls(sorted(ints), uuids, ["x"]))
    urls += [
        reverse("targeting:plan", args=[pk]) + "?format=csv"
        for pk in TargetingPlan.objects.values_list("pk", flat=True)
    ]
    answered: set[str] = set()
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and not response.streaming:
            assert MARKER.encode() not in response.content, url
            answered.add(url)
    # The councillor's own pages did answer: figures, areas and the published report.
    assert {
        reverse("reports:dashboard"),
        reverse("reports:list"),
        reverse("reports:detail", args=[published.pk]),
        reverse("reports:pdf", args=[published.pk]),
        reverse("targeting:page"),
        reverse("employers:demand"),
    } <= answered
    assert reverse("reports:detail", args=[draft.pk]) not in answered

    for role, user in readers.items():
        client.force_login(user)
        assert client.get(reverse("reports:detail", args=[draft.pk])).status_code == 404, role
        assert client.get(reverse("reports:csv", args=[draft.pk])).status_code == 404, role
        assert client.get(reverse("reports:detail", args=[published.pk])).status_code == 200
    client.force_login(administrator)
    assert client.get(reverse("reports:detail", args=[draft.pk])).status_code == 200
