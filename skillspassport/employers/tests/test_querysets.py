"""What the counts of job starts, sustained jobs and fulfilled pledges take in."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from skillspassport.employers.models import JobStart, SustainmentCheck
from skillspassport.people.models import Resident
from skillspassport.people.tests.factories import ResidentFactory

FIRST, LAST = date(2026, 4, 1), date(2026, 9, 30)


@pytest.fixture
def resident(council, adviser):
    return ResidentFactory(organisation=council, user=adviser)


def _job(resident, adviser, started_on, **outcomes):
    job = JobStart.objects.create(
        resident=resident,
        employer_name="Dockside Logistics",
        role_title="Warehouse operative",
        contract="permanent",
        started_on=started_on,
        hours_per_week=Decimal("37.5"),
        recorded_by=adviser,
    )
    for weeks in (13, 26):
        SustainmentCheck.objects.create(
            job_start=job,
            weeks=weeks,
            due_on=started_on + timedelta(weeks=weeks),
            outcome=outcomes.get(f"w{weeks}", ""),
        )
    return job


@pytest.mark.django_db
def test_job_starts_count_on_both_end_days(resident, adviser):
    for day in (FIRST - timedelta(days=1), FIRST, LAST, LAST + timedelta(days=1)):
        _job(resident, adviser, day)
    starts = JobStart.objects.started_between(FIRST, LAST)
    assert sorted(starts.values_list("started_on", flat=True)) == [FIRST, LAST]


@pytest.mark.django_db
def test_a_job_is_sustained_in_the_period_its_check_falls_due(resident, adviser):
    before = _job(resident, adviser, FIRST - timedelta(weeks=13), w13="in_work")  # due FIRST
    late = _job(resident, adviser, LAST, w13="in_work")  # started on LAST, due after
    left = _job(resident, adviser, FIRST, w13="not_in_work")
    _job(resident, adviser, LAST - timedelta(weeks=13), w13="unknown")  # due LAST
    sustained = SustainmentCheck.objects.sustained_between(13, FIRST, LAST)
    assert list(sustained.values_list("job_start", flat=True)) == [before.pk]
    assert not SustainmentCheck.objects.sustained_between(13, FIRST, LAST).filter(
        job_start__in=[late, left]
    )
    assert not SustainmentCheck.objects.sustained_between(26, FIRST, LAST)


@pytest.mark.django_db
def test_for_residents_follows_the_job_start_to_its_resident(resident, adviser, other_council):
    _job(resident, adviser, FIRST - timedelta(weeks=13), w13="in_work")
    checks = SustainmentCheck.objects.sustained_between(13, FIRST, LAST)
    assert checks.for_residents(Resident.objects.in_scheme_of(resident.organisation_id)).count()
    assert not checks.for_residents(Resident.objects.in_scheme_of(other_council.pk)).exists()
