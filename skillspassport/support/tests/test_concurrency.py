"""The budget cap under concurrent requests (PostgreSQL: real row locks, real threads).

Each thread has its own test client and database connection; a barrier releases them at the
same moment, so without the ledger row lock several would read the same total and together
push the resident past the cap.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from skillspassport.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.support import services
from skillspassport.support.models import (
    COMMITTED,
    BudgetDecision,
    BudgetPolicy,
    BudgetSpend,
    Device,
    SpendStatus,
)
from skillspassport.support.tests.helpers import date_post

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8


def member(email: str, organisation: Organisation, role: Role) -> User:
    user = User.objects.create_user(email, "correct-horse-battery", full_name=email)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def run_together(work, count: int) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = work(index)
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.fixture
def setting():
    council = Organisation.objects.create(name="Cap Council", kind=OrganisationKind.COUNCIL)
    BudgetPolicy.objects.create(
        council=council, cap=Decimal("500.00"), approval_threshold=Decimal("100.00")
    )
    adviser = member("adviser@cap.test", council, Role.ADVISER)
    manager = member("manager@cap.test", council, Role.PROGRAMME_MANAGER)
    admin = member("admin@cap.test", council, Role.ADMINISTRATOR)
    resident = ResidentFactory(organisation=council, user=adviser)
    today = timezone.localdate()
    case = services.case_open(
        actor=adviser,
        resident=resident,
        referral_source="jobcentre",
        referred_on=today - timedelta(days=1),
        referring_organisation="Jobcentre",
        opened_on=today,
    )
    return {"adviser": adviser, "manager": manager, "admin": admin, "case": case, "today": today}


def committed(case) -> Decimal:
    total = BudgetSpend.objects.filter(case=case, status__in=COMMITTED).aggregate(t=Sum("amount"))
    return total["t"] or Decimal("0")


def test_parallel_spends_never_pass_the_cap(setting):
    case, today = setting["case"], setting["today"]
    url = reverse("support:spend-add", args=[case.public_id])
    # Mixed amounts above and below the threshold: 8 x £90 = £720 asked for against £500.
    data = {"category": "travel", "description": "Bus pass", **date_post("spent_on", today)}

    def spend(index: int):
        client = Client()
        client.force_login(setting["adviser"])
        amount = "90.00" if index % 2 else "120.00"
        return client.post(url, {**data, "amount": amount})

    responses = run_together(spend, THREADS)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    saved = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code == 200]
    assert len(saved) + len(refused) == THREADS
    assert refused, "some requests must have been refused"
    assert committed(case) <= Decimal("500.00")
    assert BudgetSpend.objects.filter(case=case).count() == len(saved)
    for response in refused:
        text = response.content.decode()
        assert "There is a problem" in text
        assert "the budget cap is £500.00" in text
    # Every refusal was right: the spend it asked for did not fit what was left.
    assert Decimal("500.00") - committed(case) < Decimal("120.00")


def test_parallel_approvals_decide_once(setting):
    case, today = setting["case"], setting["today"]
    spend = services.budget_spend_record(
        actor=setting["adviser"],
        case=case,
        category="equipment",
        amount=Decimal("300.00"),
        description="Laptop",
        spent_on=today,
    )
    url = reverse("support:approval-decide", args=[spend.pk])
    approvers = [setting["manager"], setting["admin"]] * 2

    def decide(index: int):
        client = Client()
        client.force_login(approvers[index])
        return client.post(url, {"decision": "approve" if index % 2 else "refuse", "note": "n"})

    responses = run_together(decide, len(approvers))
    assert not [r for r in responses if isinstance(r, Exception)], responses
    done = [r for r in responses if r.status_code == 302]
    assert len(done) == 1
    for response in responses:
        if response.status_code == 200:
            assert "This spend has already been" in response.content.decode()
    spend.refresh_from_db()
    assert spend.status in (SpendStatus.APPROVED, SpendStatus.REFUSED)
    assert BudgetDecision.objects.filter(spend=spend).count() == 1


def test_spends_racing_a_refusal_stay_within_the_cap(setting):
    """A refusal frees budget while new spends arrive; the total still never passes the cap."""
    case, today = setting["case"], setting["today"]
    big = services.budget_spend_record(
        actor=setting["adviser"],
        case=case,
        category="training",
        amount=Decimal("450.00"),
        description="Course",
        spent_on=today,
    )
    spend_url = reverse("support:spend-add", args=[case.public_id])
    decide_url = reverse("support:approval-decide", args=[big.pk])
    data = {"category": "travel", "description": "Bus", **date_post("spent_on", today)}

    def work(index: int):
        client = Client()
        if index == 0:
            client.force_login(setting["manager"])
            return client.post(decide_url, {"decision": "refuse", "note": "Too costly"})
        client.force_login(setting["adviser"])
        return client.post(spend_url, {**data, "amount": "60.00"})

    responses = run_together(work, 6)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert responses[0].status_code == 302
    assert committed(case) <= Decimal("500.00")


def test_parallel_loans_of_one_laptop_lend_it_once(setting):
    """Advisers lending the same serial to different residents at once: one loan is saved, the
    others are told it is already on loan."""
    today, adviser = setting["today"], setting["adviser"]
    council = setting["case"].organisation
    cases = [setting["case"]]
    for _ in range(THREADS - 1):
        cases.append(
            services.case_open(
                actor=adviser,
                resident=ResidentFactory(organisation=council, user=adviser),
                referral_source="self",
                referred_on=today - timedelta(days=1),
                referring_organisation="Self",
                opened_on=today,
            )
        )
    data = {
        "hub": council.pk,
        "kind": "laptop",
        "serial": "PF3X9K2L",
        **date_post("issued_on", today),
        "arrangement": "lent",
        **date_post("due_back_on", today + timedelta(days=30)),
    }

    def lend(index: int):
        client = Client()
        client.force_login(adviser)
        return client.post(reverse("support:device-add", args=[cases[index].public_id]), data)

    responses = run_together(lend, THREADS)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert [r.status_code for r in responses].count(302) == 1
    assert Device.objects.filter(serial="PF3X9K2L").count() == 1
    for response in responses:
        if response.status_code == 200:
            assert "is already on loan" in response.content.decode()
