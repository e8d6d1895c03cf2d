"""Output drill-downs: the records behind a project's figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from skillspassport.accounts.models import Role
from skillspassport.accounts.tests.factories import MembershipFactory, UserFactory
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.employers.services import job_start_record
from skillspassport.funding.tests.test_views import _query_count
from skillspassport.people.tests.factories import ResidentFactory

# --- drill-down ---------------------------------------------------------------------------------


@pytest.fixture
def two_job_starts(project, adviser, council, provider):
    tutor = UserFactory(email="tutor@provider.test")
    MembershipFactory(user=tutor, organisation=provider, role=Role.TUTOR)
    ours = ResidentFactory(organisation=council, user=adviser, first_name="Olwen", last_name="Ours")
    theirs = ResidentFactory(
        organisation=provider, user=tutor, first_name="Tobias", last_name="Theirs"
    )
    for resident, user in ((ours, adviser), (theirs, tutor)):
        job_start_record(
            actor=user,
            resident=resident,
            employer_name="Dockside",
            role_title="Driver",
            contract="permanent",
            started_on=date(2026, 4, 1),
            hours_per_week=Decimal(30),
        )
    return ours, theirs


def test_drill_down_lists_visible_residents_and_counts_the_rest(
    client, staff, project, two_job_starts
):
    """An administrator of the council (who may view its residents) also manages funding."""
    ours, theirs = two_job_starts
    client.force_login(staff["administrator"])
    response = client.get(reverse("funding:outputs", args=[project.pk, "job_starts"]))
    body = response.content.decode()
    assert "Olwen Ours" in body
    assert str(ours.public_id) in body
    assert "Tobias" not in body
    assert str(theirs.public_id) not in body
    assert "And 1 record you do not have access to" in body
    assert AuditEvent.objects.filter(action=AuditAction.LISTED, user=staff["administrator"])


def test_drill_down_for_a_manager_without_resident_access_only_counts(
    client, manager, project, two_job_starts
):
    client.force_login(manager)
    body = client.get(reverse("funding:outputs", args=[project.pk, "job_starts"])).content.decode()
    assert "Olwen" not in body
    assert "Tobias" not in body
    assert "2 records you do not have access to" in body


def test_unknown_measure_is_not_found(client, manager, project):
    client.force_login(manager)
    response = client.get(reverse("funding:outputs", args=[project.pk, "happiness"]))
    assert response.status_code == 404


def test_drill_down_queries_do_not_grow_with_records(
    client, staff, project, adviser, council, two_job_starts
):
    client.force_login(staff["administrator"])
    url = reverse("funding:outputs", args=[project.pk, "job_starts"])
    client.get(url)

    def count() -> int:
        return _query_count(client, url)

    one = count()
    for _ in range(3):
        resident = ResidentFactory(organisation=council, user=adviser)
        job_start_record(
            actor=adviser,
            resident=resident,
            employer_name="Dockside",
            role_title="Driver",
            contract="permanent",
            started_on=date(2026, 4, 1),
            hours_per_week=Decimal(30),
        )
    assert count() == one
