"""Job starts recorded from a case: who the employer is, errors shown once, and the same
sustainment rules as the employer's own pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from skillspassport.employers.models import JobStart, SustainmentCheck
from skillspassport.support.tests.helpers import date_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, adviser):
    client.force_login(adviser)
    return client


def _data(today, **overrides):
    data = {
        "employer_name": "",
        "role_title": "Customer service assistant",
        "contract": "permanent",
        "hours_per_week": "30",
        "hourly_wage": "",
        **date_post("started_on", today),
    }
    data.update(overrides)
    return data


def test_a_scheme_employer_and_a_typed_name_together_are_refused(signed_in, case, employer, today):
    url = reverse("support:job-start-add", args=[case.public_id])
    shown = signed_in.post(
        url, _data(today, employer=str(employer.pk), employer_name="Also a name")
    ).content.decode()
    assert "Select a scheme employer or enter the employer name, not both" in shown
    assert not JobStart.objects.exists()
    signed_in.post(url, _data(today, employer=str(employer.pk)))
    job = JobStart.objects.get()
    assert (job.employer, job.employer_name) == (employer, "Dockside Logistics Ltd")


def test_a_wrong_hours_figure_is_reported_once_in_the_field(signed_in, case, today):
    url = reverse("support:job-start-add", args=[case.public_id])
    shown = signed_in.post(
        url, _data(today, employer_name="Bootle Bakery", hours_per_week="lots")
    ).content.decode()
    message = "Hours per week must be a number"
    # Once in the error summary, once beside the field: nothing else about the hours.
    assert shown.count(message) == 2
    assert shown.count('id="id_hours_per_week_error"') == 1
    assert not JobStart.objects.exists()


def test_the_adviser_cannot_mark_a_job_sustained_before_the_check_is_due(signed_in, case, today):
    """A start from a case is a job: its checks are listed; the 13-week one cannot be marked
    "still in work" until it falls due, with the message beside the date."""
    url = reverse("support:job-start-add", args=[case.public_id])
    signed_in.post(url, _data(today, employer_name="Bootle Bakery"))
    check = SustainmentCheck.objects.get(weeks=13)
    assert check.due_on == today + timedelta(weeks=13)
    record = reverse("support:check-record", args=[check.pk])
    shown = signed_in.post(
        record, {"outcome": "in_work", **date_post("checked_on", today)}
    ).content.decode()
    assert f"falls due on {check.due_on:%-d %B %Y}" in shown
    check.refresh_from_db()
    assert check.outcome == ""
