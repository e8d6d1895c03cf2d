"""Referrals, outcomes and the compact: the rules a user would notice."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.employers import selectors, services
from skillspassport.employers.models import (
    OpportunityType,
    Referral,
    ReferralStatus,
    SustainmentCheck,
)
from skillspassport.employers.services import EmployerError
from skillspassport.employers.tests.conftest import make_resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_opportunity_closing_in_the_past_or_without_places_is_refused(employer, adviser):
    common = {
        "actor": adviser,
        "employer": employer,
        "title": "Job",
        "minimum": {},
        "opportunity_type": OpportunityType.JOB,
    }
    with pytest.raises(EmployerError, match="closing date must be today or in the future"):
        services.opportunity_create(**common, places=1, closing_on=TODAY - timedelta(days=1))
    with pytest.raises(EmployerError, match="at least 1 place"):
        services.opportunity_create(**common, places=0, closing_on=TODAY)
    assert not employer.opportunities.exists()


def test_referral_needs_consent_to_be_put_forward(opportunity, council, adviser):
    resident = make_resident(council, adviser, put_forward=False, digital="silver")
    with pytest.raises(EmployerError, match="has not agreed to be put forward"):
        services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    assert not Referral.objects.exists()


def test_second_referral_to_the_same_opportunity_is_refused(opportunity, council, adviser):
    resident = make_resident(council, adviser, digital="gold")
    services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    with pytest.raises(EmployerError, match="already referred to this opportunity"):
        services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    assert Referral.objects.count() == 1


def test_after_a_withdrawal_the_resident_can_be_referred_again(opportunity, council, adviser):
    resident = make_resident(council, adviser, digital="gold")
    first = services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    services.referral_withdraw(actor=adviser, referral=first, reason="Moved away")
    services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    assert Referral.objects.filter(status=ReferralStatus.REFERRED).count() == 1


def test_referral_below_the_minimum_level_or_to_a_closed_opportunity_is_refused(
    opportunity, council, adviser
):
    low = make_resident(council, adviser, digital="bronze")
    with pytest.raises(EmployerError, match="does not meet this opportunity's minimum levels"):
        services.referral_create(actor=adviser, opportunity=opportunity, resident=low)
    ok = make_resident(council, adviser, digital="silver")
    with pytest.raises(EmployerError, match="has closed"):
        services.referral_create(
            actor=adviser,
            opportunity=opportunity,
            resident=ok,
            today=opportunity.closing_on + timedelta(days=1),
        )
    assert not Referral.objects.exists()


def test_outcomes_run_in_order_and_a_start_schedules_13_and_26_week_checks(
    opportunity, council, adviser, contact
):
    resident = make_resident(council, adviser, digital="silver")
    referral = services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    with pytest.raises(EmployerError, match="cannot be marked started now"):
        services.referral_progress(
            actor=contact,
            referral=referral,
            stage="started",
            on=TODAY,
            hours_per_week=Decimal("30"),
        )
    services.referral_progress(actor=contact, referral=referral, stage="interviewed", on=TODAY)
    services.referral_progress(actor=contact, referral=referral, stage="offered", on=TODAY)
    referral = services.referral_progress(
        actor=contact,
        referral=referral,
        stage="started",
        on=TODAY,
        hours_per_week=Decimal("30"),
        hourly_wage=Decimal("12.60"),
    )
    checks = SustainmentCheck.objects.filter(job_start=referral.job_start).order_by("weeks")
    assert [(c.weeks, c.due_on) for c in checks] == [
        (13, TODAY + timedelta(weeks=13)),
        (26, TODAY + timedelta(weeks=26)),
    ]
    assert referral.job_start.employer == opportunity.employer
    actions = set(AuditEvent.objects.filter(resident=resident).values_list("action", flat=True))
    assert {
        AuditAction.REFERRED,
        AuditAction.REFERRAL_UPDATED,
        AuditAction.JOB_START_RECORDED,
    } <= actions


def test_future_outcome_dates_and_empty_withdrawal_reasons_are_refused(
    opportunity, council, adviser
):
    resident = make_resident(council, adviser, digital="silver")
    referral = services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    with pytest.raises(EmployerError, match="cannot be in the future"):
        services.referral_progress(
            actor=adviser, referral=referral, stage="interviewed", on=TODAY + timedelta(days=1)
        )
    with pytest.raises(EmployerError, match="Say why"):
        services.referral_withdraw(actor=adviser, referral=referral, reason="   ")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_pledges_count_interviews_or_starts_inside_their_dates(
    employer, opportunity, council, adviser
):
    interview = services.pledge_sign(
        actor=adviser,
        employer=employer,
        level="silver",
        opportunity_type=OpportunityType.GUARANTEED_INTERVIEW,
        quantity_per_year=6,
        starts_on=TODAY - timedelta(days=100),
        ends_on=TODAY + timedelta(days=265),
    )
    opportunity.pledge = interview
    opportunity.save()
    for _ in range(3):
        resident = make_resident(council, adviser, digital="silver")
        referral = services.referral_create(
            actor=adviser, opportunity=opportunity, resident=resident
        )
        services.referral_progress(actor=adviser, referral=referral, stage="interviewed", on=TODAY)
    make_resident(council, adviser, digital="silver")  # referred to nothing
    (progress,) = selectors.pledge_progress(pledges=[interview])
    assert (progress.pledged, progress.fulfilled) == (6, 3)


def test_matches_rank_only_consenting_qualifying_residents_the_user_may_see(
    opportunity, council, adviser, other_staff
):
    yes = make_resident(council, adviser, digital="gold")
    make_resident(council, adviser, put_forward=False, digital="gold")
    make_resident(council, adviser, digital="bronze")
    ranked, total = selectors.matches_for_opportunity(user=adviser, opportunity=opportunity)
    assert [r.resident for r in ranked] == [yes]
    assert total == 1
    ranked, total = selectors.matches_for_opportunity(
        user=other_staff["adviser"], opportunity=opportunity
    )
    assert (ranked, total) == ([], 0)


def test_opportunities_for_a_resident_now_and_one_step_away(opportunity, council, adviser):
    resident = make_resident(council, adviser, digital="bronze")
    now, next_step = selectors.opportunities_for_resident(resident=resident)
    assert now == []
    assert [(m.opportunity, m.match.shortfall.needs) for m in next_step] == [
        (opportunity, "silver")
    ]
