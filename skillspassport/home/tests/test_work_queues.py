"""The dashboard's work queues: each role sees the work waiting for it, linked to where it is
done, and only from its own council, organisation and caseload."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from skillspassport.accounts.models import OrganisationKind, Role
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor, LevelRuleSet, ScaleStep
from skillspassport.support import selectors as support_selectors
from skillspassport.support import services as support
from skillspassport.training import selectors as training_selectors
from skillspassport.training import services as training
from skillspassport.training.models import Session


def today():
    return timezone.localdate()


def open_case(adviser, *, review_in_days=None, opened_days_ago=14, **resident):
    person = ResidentFactory(organisation=adviser.memberships.first().organisation, **resident)
    return support.case_open(
        actor=adviser,
        resident=person,
        referral_source="jobcentre",
        referred_on=today() - timedelta(days=opened_days_ago + 6),
        referring_organisation="Bootle Jobcentre",
        opened_on=today() - timedelta(days=opened_days_ago),
        next_review_on=None if review_in_days is None else today() + timedelta(review_in_days),
    )


def queue(body, name):
    """The dashboard's section for one work queue ("" when it is not shown)."""
    start = body.find(f'aria-labelledby="queue-{name}"')
    return "" if start < 0 else body[start : body.index("</section>", start)]


def dashboard(client, user):
    client.force_login(user)
    response = client.get(reverse("home:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


# --- Adviser --------------------------------------------------------------------------------


def test_adviser_sees_reviews_overdue_and_due_within_a_week(client, adviser, staff):
    overdue = open_case(adviser, review_in_days=-3, first_name="Olwen", last_name="Overdue")
    soon = open_case(adviser, review_in_days=7, first_name="Sunil", last_name="Soon")
    open_case(adviser, review_in_days=8, first_name="Lara", last_name="Later")
    open_case(adviser, first_name="Nia", last_name="Noreview")
    colleague = UserFactory(email="colleague@council.test")
    MembershipFactory(user=colleague, organisation=overdue.organisation, role=Role.ADVISER)
    open_case(colleague, review_in_days=-1, first_name="Colm", last_name="Colleagues")

    reviews = queue(dashboard(client, adviser), "reviews")

    assert "2 reviews due" in reviews
    assert reverse("support:case", args=[overdue.public_id]) in reviews
    assert reverse("support:case", args=[soon.public_id]) in reviews
    assert "Olwen Overdue" in reviews
    assert "Overdue</strong>" in reviews
    assert "Lara Later" not in reviews
    assert "Nia Noreview" not in reviews
    assert "Colm Colleagues" not in reviews


def test_adviser_sees_sustainment_checks_due_until_recorded(client, adviser):
    case = open_case(adviser, opened_days_ago=120, first_name="Jo", last_name="Working")
    support.case_job_start_record(
        actor=adviser,
        case=case,
        employer=None,
        employer_name="Dockside Logistics",
        role_title="Warehouse operative",
        contract="permanent",
        started_on=today() - timedelta(weeks=13),
        hours_per_week=Decimal("30"),
        hourly_wage=Decimal("12.50"),
    )
    check = support_selectors.checks_due_for(user=adviser, today=today()).get()

    body = dashboard(client, adviser)
    assert "1 sustainment check due" in body
    assert reverse("support:check-record", args=[check.pk]) in body

    support.case_sustainment_record(
        actor=adviser, check=check, outcome="in_work", checked_on=today()
    )
    assert "0 sustainment checks due" in dashboard(client, adviser)


def test_referrals_in_are_listed_until_someone_picks_them_up(client, adviser, other_staff):
    case = open_case(adviser, review_in_days=30, first_name="Rhys", last_name="Referred")
    open_case(other_staff["adviser"], first_name="Kim", last_name="Knowsley")

    referrals = queue(dashboard(client, adviser), "referrals")
    assert "1 referral in to pick up" in referrals
    assert reverse("support:case", args=[case.public_id]) in referrals
    assert "Kim Knowsley" not in referrals

    support.case_note_add(actor=adviser, case=case, text="Phoned: first meeting booked.")
    referrals = queue(dashboard(client, adviser), "referrals")
    assert "0 referrals in to pick up" in referrals
    assert "Rhys Referred" not in referrals


def test_dashboard_records_who_the_queues_showed(client, adviser):
    case = open_case(adviser, review_in_days=-1)
    dashboard(client, adviser)
    assert AuditEvent.objects.filter(
        user=adviser,
        resident=case.resident,
        action=AuditAction.LISTED,
        summary="Dashboard: work queues",
    ).exists()


def test_a_long_queue_shows_ten_and_says_how_many_more(client, adviser):
    for i in range(12):
        open_case(adviser, review_in_days=-1, first_name=f"Person{i:02d}")
    body = dashboard(client, adviser)
    assert "12 reviews due" in body
    assert "and 2 more" in body


def test_roles_without_casework_see_no_casework_queues(client, staff):
    for role in ("viewer", "analyst", "councillor", "employer_contact"):
        body = dashboard(client, staff[role])
        assert "reviews due" not in body, role
        assert "awaiting approval" not in body, role
        assert "registers to take" not in body, role


# --- Programme manager ----------------------------------------------------------------------


def test_programme_manager_sees_spends_awaiting_approval_with_amounts(
    client, adviser, staff, other_staff
):
    case = open_case(adviser, first_name="Asha", last_name="Awaiting")
    spend = support.budget_spend_record(
        actor=adviser,
        case=case,
        category="equipment",
        amount=Decimal("249.99"),
        description="Laptop for an online course",
        spent_on=today(),
    )
    small = support.budget_spend_record(
        actor=adviser,
        case=case,
        category="travel",
        amount=Decimal("20.00"),
        description="Bus pass",
        spent_on=today(),
    )
    elsewhere = open_case(other_staff["adviser"], first_name="Otto", last_name="Elsewhere")
    support.budget_spend_record(
        actor=other_staff["adviser"],
        case=elsewhere,
        category="equipment",
        amount=Decimal("300.00"),
        description="Tablet",
        spent_on=today(),
    )

    body = dashboard(client, staff["programme_manager"])

    assert "1 spend awaiting approval" in body
    assert "£249.99" in body
    assert reverse("support:approval-decide", args=[spend.pk]) in body
    assert reverse("support:approval-decide", args=[small.pk]) not in body
    assert "Otto Elsewhere" not in body
    assert "£300.00" not in body

    support.budget_spend_decide(actor=staff["programme_manager"], spend=spend, approve=True)
    assert "0 spends awaiting approval" in dashboard(client, staff["programme_manager"])


# --- Tutor ----------------------------------------------------------------------------------


@pytest.fixture
def provider(council):
    return OrganisationFactory(
        name="Sefton Community Learning", kind=OrganisationKind.PROVIDER, council=council
    )


def make_tutor(provider, email):
    user = UserFactory(email=email, full_name=email.split("@")[0].title())
    MembershipFactory(user=user, organisation=provider, role=Role.TUTOR)
    return user


def make_cohort(provider, tutor, title):
    framework = LevelRuleSet.objects.get(name="default").framework
    course = training.course_save(
        actor=tutor,
        provider=provider,
        title=title,
        description="",
        descriptors=list(
            Descriptor.objects.filter(
                framework=framework, area__strand__code="digital", level__code="foundation"
            )[:2]
        ),
        level=ScaleStep.objects.get(
            strand__framework=framework, strand__code="digital", code="foundation"
        ),
        delivery_mode="in_person",
        funding_source="asf",
        hours=12,
    )
    cohort = training.cohort_create(
        actor=tutor,
        course=course,
        venue_name="Bootle Library",
        venue_postcode="l20 1ad",
        start_date=today(),
        end_date=today() + timedelta(weeks=6),
        capacity=10,
        waiting_list_open=True,
        tutor=tutor,
    )
    learner = ResidentFactory(organisation=provider)
    enrolment = training.enrolment_create(actor=tutor, cohort=cohort, resident=learner)
    cohort.start_date = today() - timedelta(weeks=2)  # it has been running for two weeks
    cohort.save(update_fields=["start_date"])
    return cohort, enrolment


def session_on(cohort, day, hour=10):
    start = timezone.make_aware(datetime.combine(day, time(hour)))
    return Session.objects.create(
        cohort=cohort, starts_at=start, ends_at=start + timedelta(hours=2)
    )


def test_tutor_sees_registers_to_take_for_their_cohorts(client, provider):
    tutor = make_tutor(provider, "grace@provider.test")
    colleague = make_tutor(provider, "henry@provider.test")
    cohort, enrolment = make_cohort(provider, tutor, "Get online: first steps")
    theirs, _ = make_cohort(provider, colleague, "Using email")
    last_week = session_on(cohort, today() - timedelta(days=7), hour=0)
    this_morning = session_on(cohort, today(), hour=0)
    next_week = session_on(cohort, today() + timedelta(days=7))
    other = session_on(theirs, today() - timedelta(days=7))

    body = dashboard(client, tutor)

    assert "2 registers to take" in body
    assert reverse("training:register", args=[cohort.pk, last_week.pk]) in body
    assert reverse("training:register", args=[cohort.pk, this_morning.pk]) in body
    assert reverse("training:register", args=[cohort.pk, next_week.pk]) not in body
    assert reverse("training:register", args=[theirs.pk, other.pk]) not in body

    training.attendance_record(actor=tutor, session=last_week, marks={enrolment.pk: "present"})
    body = dashboard(client, tutor)
    assert "1 register to take" in body
    assert reverse("training:register", args=[cohort.pk, last_week.pk]) not in body


def test_registers_to_take_selector_ignores_other_providers(provider, other_council):
    tutor = make_tutor(provider, "grace@provider.test")
    cohort, _ = make_cohort(provider, tutor, "Get online: first steps")
    session_on(cohort, today() - timedelta(days=1))
    elsewhere = OrganisationFactory(
        name="Knowsley Learning", kind=OrganisationKind.PROVIDER, council=other_council
    )
    outsider = make_tutor(elsewhere, "outsider@knowsley.test")
    assert training_selectors.registers_to_take_for(tutor).count() == 1
    assert training_selectors.registers_to_take_for(outsider).count() == 0
