"""A referral's way through the employer pipeline: interview booked, interviewed, offered,
started, unsuccessful, declined — valid moves only, each audited, seen by the employer contact
and the adviser."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.employers import services
from skillspassport.employers.forms import parse_time
from skillspassport.employers.models import Referral, ReferralStatus
from skillspassport.employers.services import EmployerError
from skillspassport.employers.tests.conftest import make_resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def date_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.fixture
def referral(adviser, council, opportunity):
    resident = make_resident(council, adviser, digital="silver")
    referral = services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    Referral.objects.filter(pk=referral.pk).update(referred_at=timezone.now() - timedelta(days=20))
    referral.refresh_from_db()
    return referral


def _post(client, referral, **fields):
    data = {"progress": "1"}
    data.update({f"p-{k}": v for k, v in fields.items() if not k.startswith("p-")})
    data.update({k: v for k, v in fields.items() if k.startswith("p-")})
    return client.post(f"/employers/referrals/{referral.pk}/", data)


def test_the_employer_books_an_interview_in_the_future_and_both_sides_see_it(
    client, adviser, contact, referral
):
    day = TODAY + timedelta(days=9)
    client.force_login(contact)
    response = _post(
        client,
        referral,
        stage="interview_booked",
        interview_time="2:30pm",
        **date_fields("p-interview_on", day),
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.INTERVIEW_BOOKED
    assert timezone.localtime(referral.interview_at) == timezone.make_aware(
        datetime.combine(day, time(14, 30))
    )
    assert AuditEvent.objects.filter(
        action=AuditAction.REFERRAL_UPDATED,
        resident=referral.resident,
        summary__contains="interview booked for",
    ).exists()
    when = f"{day:%-d %B %Y}, 14:30"
    assert when in client.get(f"/employers/referrals/{referral.pk}/").content.decode()
    client.force_login(adviser)
    shown = client.get(f"/employers/residents/{referral.resident.public_id}/").content.decode()
    assert "Interview booked" in shown
    assert f"{day:%-d %b %Y}, 14:30" in shown


def test_an_interview_booked_after_the_fact_may_be_in_the_past_not_before_the_referral(
    adviser, referral
):
    services.referral_progress(
        actor=adviser,
        referral=referral,
        stage="interview_booked",
        at=timezone.now() - timedelta(days=3),
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.INTERVIEW_BOOKED
    with pytest.raises(EmployerError, match="before the referral was made"):
        services.referral_progress(
            actor=adviser,
            referral=referral,
            stage="interview_booked",
            at=timezone.now() - timedelta(days=40),
        )


@pytest.mark.parametrize(
    ("time_text", "message"),
    [
        ("", "Enter the interview time"),
        ("25:00", "Enter the interview time like 14:30 or 2:30pm"),
        ("noon", "Enter the interview time like 14:30 or 2:30pm"),
        ("<b>2pm</b>", "Interview time must be 8 characters or fewer"),
    ],
)
def test_a_booking_without_a_real_time_gets_a_message_and_changes_nothing(
    client, contact, referral, time_text, message
):
    client.force_login(contact)
    response = _post(
        client,
        referral,
        stage="interview_booked",
        interview_time=time_text,
        **date_fields("p-interview_on", TODAY + timedelta(days=2)),
    )
    assert message in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_times_are_read_as_people_type_them():
    assert parse_time("9.15") == time(9, 15)
    assert parse_time("12am") == time(0, 0)
    assert parse_time("12:05pm") == time(12, 5)
    assert parse_time("14") is None
    assert parse_time("13pm") is None


def test_unsuccessful_only_after_an_interview_or_an_offer(adviser, referral):
    with pytest.raises(EmployerError, match="cannot be marked unsuccessful"):
        services.referral_progress(actor=adviser, referral=referral, stage="unsuccessful", on=TODAY)
    services.referral_progress(
        actor=adviser, referral=referral, stage="interviewed", on=TODAY - timedelta(days=2)
    )
    with pytest.raises(EmployerError, match="before the day they were interviewed"):
        services.referral_progress(
            actor=adviser, referral=referral, stage="unsuccessful", on=TODAY - timedelta(days=5)
        )
    services.referral_progress(
        actor=adviser,
        referral=referral,
        stage="unsuccessful",
        on=TODAY,
        note="Another candidate had forklift experience",
    )
    referral.refresh_from_db()
    assert (referral.status, referral.closed_stage, referral.closed_on) == (
        ReferralStatus.UNSUCCESSFUL,
        ReferralStatus.INTERVIEWED,
        TODAY,
    )
    with pytest.raises(EmployerError, match="cannot be marked started"):
        services.referral_progress(
            actor=adviser,
            referral=referral,
            stage="started",
            on=TODAY,
            hours_per_week=Decimal(30),
        )
    with pytest.raises(EmployerError, match="closed already"):
        services.referral_withdraw(actor=adviser, referral=referral, reason="Tidying up")


def test_the_resident_declines_an_offer_and_the_page_shows_it_closed(
    client, adviser, contact, referral
):
    services.referral_progress(actor=adviser, referral=referral, stage="offered", on=TODAY)
    client.force_login(contact)
    response = _post(
        client,
        referral,
        stage="declined",
        note="Found work nearer home",
        **date_fields("p-on", TODAY),
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    shown = client.get(f"/employers/referrals/{referral.pk}/").content.decode()
    assert "Declined by the resident" in shown
    assert "Found work nearer home" in shown
    assert "Record what happened" not in shown


def test_a_start_straight_from_an_interview_booked_is_refused(adviser, referral):
    services.referral_progress(
        actor=adviser, referral=referral, stage="interview_booked", at=timezone.now()
    )
    with pytest.raises(EmployerError, match="interview booked: it cannot be marked started"):
        services.referral_progress(
            actor=adviser,
            referral=referral,
            stage="started",
            on=TODAY,
            hours_per_week=Decimal(30),
        )


def test_a_wrong_hours_figure_on_a_start_is_reported_once(client, contact, referral, adviser):
    services.referral_progress(actor=adviser, referral=referral, stage="offered", on=TODAY)
    client.force_login(contact)
    shown = _post(
        client, referral, stage="started", hours_per_week="thirty", **date_fields("p-on", TODAY)
    ).content.decode()
    assert "Hours a week must be a number" in shown
    assert "Enter the hours a week for a start" not in shown
    assert shown.count('id="id_p-hours_per_week_error"') == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OFFERED
