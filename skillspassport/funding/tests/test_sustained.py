"""A project counts the jobs sustained during it: checks due in its dates (ADR 0015)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from skillspassport.employers.services import job_start_record, sustainment_record
from skillspassport.funding.outputs import MEASURES
from skillspassport.people.tests.factories import ResidentFactory


def _sustained_job(resident, adviser, started_on):
    job = job_start_record(
        actor=adviser,
        resident=resident,
        employer_name="Dockside Logistics",
        role_title="Warehouse operative",
        contract="permanent",
        started_on=started_on,
        hours_per_week=Decimal("37.5"),
    )
    check = job.checks.get(weeks=13)
    sustainment_record(
        actor=adviser,
        check=check,
        outcome="in_work",
        checked_on=check.due_on,
        today=check.due_on,  # recorded on the day it fell due
    )
    return check


def test_sustained_is_counted_by_the_check_due_date_not_the_job_start(project, adviser, council):
    """The project runs through 2026. A job started in December 2025 reaches 13 weeks in March
    2026, during the project; a job started in December 2026 reaches them after it ends."""
    resident = ResidentFactory(organisation=council, user=adviser)
    during = _sustained_job(resident, adviser, date(2025, 12, 1))
    _sustained_job(resident, adviser, date(2026, 12, 1))
    ending = _sustained_job(resident, adviser, project.ends_on - timedelta(weeks=13))
    records = MEASURES["sustained_13_weeks"].records(project)
    assert sorted(records.values_list("pk", flat=True)) == sorted([during.pk, ending.pk])
    assert MEASURES["sustained_13_weeks"].date_path == "due_on"
