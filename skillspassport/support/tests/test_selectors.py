"""Caseload order, checks due, the approvals queue and the monitoring counts."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.support import selectors, services


def open_case(resident, adviser, today, *, review=None, source="jobcentre", opened=None):
    opened = opened or today - timedelta(days=3)
    return services.case_open(
        actor=adviser,
        resident=resident,
        referral_source=source,
        referred_on=opened,
        referring_organisation="Bootle Jobcentre",
        opened_on=opened,
        next_review_on=review,
    )


def span(start, end):
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end, time.min, tzinfo=zone),
    )


def test_caseload_overdue_first_then_due_then_unset(council, adviser, staff, today):
    later = open_case(
        ResidentFactory(organisation=council, user=adviser),
        adviser,
        today,
        review=today + timedelta(days=20),
    )
    unset = open_case(ResidentFactory(organisation=council, user=adviser), adviser, today)
    overdue = open_case(
        ResidentFactory(organisation=council, user=adviser),
        adviser,
        today,
        review=today - timedelta(days=2),
    )
    soon = open_case(
        ResidentFactory(organisation=council, user=adviser),
        adviser,
        today,
        review=today + timedelta(days=1),
    )
    closed = open_case(ResidentFactory(organisation=council, user=adviser), adviser, today)
    services.case_close(actor=adviser, case=closed, outcome="other", closed_on=today)
    open_case(ResidentFactory(organisation=council, user=adviser), staff["administrator"], today)
    assert list(selectors.caseload_for(user=adviser)) == [overdue, soon, later, unset]


def test_caseload_page_queries_do_not_grow(
    client, council, adviser, today, django_assert_num_queries
):
    for _ in range(3):
        open_case(ResidentFactory(organisation=council, user=adviser), adviser, today)
    client.force_login(adviser)
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("support:caseload"))
    for _ in range(5):
        open_case(ResidentFactory(organisation=council, user=adviser), adviser, today)
    with django_assert_num_queries(len(captured)):
        response = client.get(reverse("support:caseload"))
    assert response.content.decode().count("support/cases/") == 8


def test_approvals_page_queries_do_not_grow(
    client, council, adviser, staff, today, django_assert_num_queries
):
    def awaiting():
        case = open_case(ResidentFactory(organisation=council, user=adviser), adviser, today)
        services.budget_spend_record(
            actor=adviser,
            case=case,
            category="equipment",
            amount=Decimal("250"),
            description="Safety boots",
            spent_on=today,
        )

    awaiting()
    client.force_login(staff["programme_manager"])
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("support:approvals"))
    for _ in range(4):
        awaiting()
    with django_assert_num_queries(len(captured)):
        response = client.get(reverse("support:approvals"))
    assert response.content.decode().count("Safety boots") == 5


def test_case_page_queries_do_not_grow(
    client, case, adviser, hub, today, django_assert_num_queries
):
    def add_things():
        services.goal_add(actor=adviser, case=case, text="CV", target_on=today)
        services.case_note_add(actor=adviser, case=case, text="Note")
        services.budget_spend_record(
            actor=adviser,
            case=case,
            category="travel",
            amount=Decimal("5"),
            description="Bus",
            spent_on=today,
        )
        services.device_record(
            actor=adviser,
            case=case,
            hub=hub,
            kind="tablet",
            serial="T1",
            issued_on=today,
            arrangement="gifted",
        )
        services.case_job_start_record(
            actor=adviser,
            case=case,
            employer=None,
            employer_name="Cafe",
            role_title="Barista",
            contract="permanent",
            started_on=today,
            hours_per_week=Decimal("20"),
            hourly_wage=None,
        )

    add_things()
    client.force_login(adviser)
    url = reverse("support:case", args=[case.public_id])
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    for _ in range(3):
        add_things()
    with django_assert_num_queries(len(captured)):
        client.get(url)


def test_checks_due_only_my_cases_and_unrecorded(case, adviser, council, staff, today):
    link = (
        services.case_job_start_record(
            actor=adviser,
            case=case,
            employer=None,
            employer_name="Cafe",
            role_title="Barista",
            contract="permanent",
            started_on=today - timedelta(weeks=14),
            hours_per_week=Decimal("20"),
            hourly_wage=None,
        )
        if False
        else None
    )
    # A job start long enough ago that the 13-week check is overdue.
    case.opened_on = today - timedelta(weeks=20)
    case.referred_on = case.opened_on
    case.save()
    # A job start long enough ago that the 13-week check is overdue.
    case.opened_on = today - timedelta(weeks=20)
    case.referred_on = case.opened_on
    case.save()
    link = services.case_job_start_record(
        actor=adviser,
        case=case,
        employer=None,
        employer_name="Cafe",
        role_title="Barista",
        contract="permanent",
        started_on=today - timedelta(weeks=14),
        hours_per_week=Decimal("20"),
        hourly_wage=None,
    )
    due = list(selectors.checks_due_for(user=adviser, today=today))
    assert [c.weeks for c in due] == [13]
    assert selectors.checks_due_for(user=staff["administrator"], today=today).count() == 0
    services.case_sustainment_record(
        actor=adviser, check=due[0], outcome="in_work", checked_on=today
    )
    assert selectors.checks_due_for(user=adviser, today=today).count() == 0
    assert link.job_start.checks.count() == 2


def test_monitoring_counts(council, other_council, adviser, other_staff, hub, today):
    a = open_case(
        ResidentFactory(organisation=council, user=adviser), adviser, today, source="jobcentre"
    )
    b = open_case(
        ResidentFactory(organisation=council, user=adviser), adviser, today, source="self"
    )
    other_adviser = other_staff["adviser"]
    c = open_case(
        ResidentFactory(organisation=other_council, user=other_adviser),
        other_adviser,
        today,
        source="jobcentre",
    )
    for case, who in ((a, adviser), (c, other_adviser)):
        services.budget_spend_record(
            actor=who,
            case=case,
            category="travel",
            amount=Decimal("40.50"),
            description="Bus",
            spent_on=today,
        )
    services.budget_spend_record(
        actor=adviser,
        case=b,
        category="equipment",
        amount=Decimal("300"),
        description="Laptop",
        spent_on=today,
    )
    services.device_record(
        actor=adviser,
        case=a,
        hub=hub,
        kind="data_sim",
        serial="894",
        issued_on=today,
        arrangement="gifted",
    )
    services.placement_record(
        actor=adviser,
        case=a,
        employer=None,
        employer_name="Cafe",
        role_title="Barista",
        weeks=4,
        hours_per_week=Decimal("16"),
        hourly_wage=Decimal("12.21"),
        starts_on=today,
        ends_on=today + timedelta(weeks=4),
    )
    services.case_job_start_record(
        actor=adviser,
        case=b,
        employer=None,
        employer_name="Cafe",
        role_title="Barista",
        contract="permanent",
        started_on=today,
        hours_per_week=Decimal("20"),
        hourly_wage=None,
    )
    start, end = span(today - timedelta(days=30), today + timedelta(days=1))
    mine = [council.pk]
    assert selectors.residents_by_referral_source(mine, start, end) == {"jobcentre": 1, "self": 1}
    assert selectors.residents_by_referral_source(None, start, end) == {"jobcentre": 2, "self": 1}
    # The £300 spend awaits approval, so only approved spends count.
    assert selectors.budget_spend_total(mine, start, end) == Decimal("40.50")
    assert selectors.budget_spend_total(None, start, end) == Decimal("81.00")
    assert selectors.budget_spend_residents(None, start, end) == 2
    assert selectors.placements_started(mine, start, end) == 1
    assert selectors.devices_provided(mine, start, end) == {"data_sim": 1}
    assert selectors.case_job_starts(mine, start, end) == 1
    before = span(today - timedelta(days=90), today - timedelta(days=60))
    assert selectors.placements_started(mine, *before) == 0
    assert selectors.residents_by_referral_source(mine, *before) == {}


@pytest.mark.parametrize("role", ["programme_manager", "administrator"])
def test_approvers_see_partner_residents_spends(role, council, staff, adviser, hub, today):
    partner_resident = ResidentFactory(organisation=hub, user=adviser)
    from skillspassport.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=adviser, organisation=hub, role="adviser")
    case = open_case(partner_resident, adviser, today)
    services.budget_spend_record(
        actor=adviser,
        case=case,
        category="training",
        amount=Decimal("200"),
        description="Forklift",
        spent_on=today,
    )
    assert selectors.approvals_queue(user=staff[role]).count() == 1
