"""Job outcomes recorded by the employer: a sustainment check the way casework records one,
and referral outcomes dated by the day in Britain, not in UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.utils import timezone

from skillspassport.employers import services
from skillspassport.employers.models import Referral, SustainmentCheck
from skillspassport.employers.services import EmployerError
from skillspassport.employers.tests.conftest import make_resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def date_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def _started(adviser, council, opportunity, *, weeks_ago=14):
    """A referral that led to a start `weeks_ago` weeks ago; its 13-week check."""
    resident = make_resident(council, adviser, digital="silver")
    referral = services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    started = TODAY - timedelta(weeks=weeks_ago)
    referral.referred_at = timezone.now() - timedelta(weeks=weeks_ago + 2)
    referral.save(update_fields=["referred_at"])
    services.referral_progress(actor=adviser, referral=referral, stage="offered", on=started)
    referral = services.referral_progress(
        actor=adviser,
        referral=referral,
        stage="started",
        on=started,
        hours_per_week=Decimal("30"),
    )
    return SustainmentCheck.objects.get(job_start=referral.job_start, weeks=13)


def test_the_employer_cannot_overwrite_a_check_staff_recorded(
    client, adviser, contact, council, opportunity
):
    check = _started(adviser, council, opportunity)
    client.force_login(adviser)
    client.post(
        f"/employers/sustainment/{check.pk}/",
        {"outcome": "not_in_work", **date_fields("checked_on", TODAY - timedelta(days=2))},
    )
    check.refresh_from_db()
    assert (check.outcome, check.checked_by) == ("not_in_work", adviser)

    client.force_login(contact)
    page = client.post(
        f"/employers/sustainment/{check.pk}/",
        {"outcome": "in_work", **date_fields("checked_on", TODAY)},
    )
    assert page.status_code == 200
    assert "This check was already recorded: No longer in work" in page.content.decode()
    check.refresh_from_db()
    assert (check.outcome, check.checked_by, check.checked_on) == (
        "not_in_work",
        adviser,
        TODAY - timedelta(days=2),
    )


def test_the_employer_cannot_date_a_check_before_the_job_started(
    client, adviser, contact, council, opportunity
):
    check = _started(adviser, council, opportunity)
    client.force_login(contact)
    page = client.post(
        f"/employers/sustainment/{check.pk}/",
        {"outcome": "in_work", **date_fields("checked_on", TODAY - timedelta(days=365))},
    )
    assert page.status_code == 200
    assert "The date checked cannot be before the job started" in page.content.decode()
    check.refresh_from_db()
    assert check.outcome == ""


def test_the_service_refuses_a_second_recording_whoever_asks(
    adviser, contact, council, opportunity
):
    check = _started(adviser, council, opportunity)
    services.sustainment_record(actor=adviser, check=check, outcome="in_work", checked_on=TODAY)
    with pytest.raises(EmployerError, match="already recorded"):
        services.sustainment_record(
            actor=contact, check=check, outcome="not_in_work", checked_on=TODAY
        )
    check.refresh_from_db()
    assert (check.outcome, check.checked_by) == ("in_work", adviser)


def test_an_administrator_walks_the_checks_due_and_records_one(
    client, staff, adviser, council, opportunity
):
    """Council administrators hold the employer-portal capability without being an employer's
    contact: the page is theirs as scheme staff, with the checks of the council's residents."""
    check = _started(adviser, council, opportunity)
    administrator = staff["administrator"]
    client.force_login(administrator)
    page = client.get("/employers/sustainment/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "for residents you can see" in body
    assert check.job_start.resident.full_name in body
    assert f"/employers/sustainment/{check.pk}/" in body
    assert client.get(f"/employers/sustainment/{check.pk}/").status_code == 200
    response = client.post(
        f"/employers/sustainment/{check.pk}/",
        {"outcome": "in_work", **date_fields("checked_on", TODAY)},
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.outcome, check.checked_by) == ("in_work", administrator)


# 00:30 on 1 July 2026 in London (British Summer Time) is still 30 June in UTC.
HALF_PAST_MIDNIGHT_BST = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)


def test_a_referral_made_after_midnight_in_summer_cannot_have_an_outcome_the_day_before(
    adviser, council, opportunity
):
    resident = make_resident(council, adviser, digital="silver")
    opportunity.closing_on = date(2026, 7, 31)
    opportunity.save(update_fields=["closing_on"])
    with mock.patch("django.utils.timezone.now", return_value=HALF_PAST_MIDNIGHT_BST):
        assert timezone.localdate() == date(2026, 7, 1)
        referral = services.referral_create(
            actor=adviser, opportunity=opportunity, resident=resident
        )
        # The model's default took `timezone.now` before the patch: date the referral by hand.
        Referral.objects.filter(pk=referral.pk).update(referred_at=HALF_PAST_MIDNIGHT_BST)
        with pytest.raises(EmployerError, match="before the referral was made"):
            services.referral_progress(
                actor=adviser, referral=referral, stage="interviewed", on=date(2026, 6, 30)
            )
        referral = services.referral_progress(
            actor=adviser, referral=referral, stage="interviewed", on=date(2026, 7, 1)
        )
    assert referral.interviewed_on == date(2026, 7, 1)
