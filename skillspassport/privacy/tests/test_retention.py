"""Retention rules: what counts as activity, the dry run and the run, from the command line
and from the council's page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.models import ConsentRecord, Resident
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.privacy import retention
from skillspassport.privacy.models import Erasure, ErasureReason, RetentionRule, RetentionScope
from skillspassport.privacy.selectors import resident_reference
from skillspassport.skills.models import Descriptor
from skillspassport.skills.services import evidence_record
from skillspassport.support.models import CaseNote
from skillspassport.support.services import case_close, case_note_add, case_open

YEAR = timedelta(days=365)


def _backdate(resident, years):
    moment = timezone.now() - years * YEAR
    Resident.objects.filter(pk=resident.pk).update(created_at=moment, updated_at=moment)
    ConsentRecord.objects.filter(resident=resident).update(given_at=moment)
    resident.refresh_from_db()
    return resident


def _rule(council, user, scope=RetentionScope.INACTIVE_RESIDENTS, years=5):
    return RetentionRule.objects.create(
        council=council, scope=scope, years=years, created_by=user, updated_by=user
    )


@pytest.fixture
def people(council, staff):
    adviser = staff["adviser"]

    def make(name):
        return ResidentFactory(organisation=council, user=adviser, last_name=name)

    idle = _backdate(make("Idle"), 8)
    busy = _backdate(make("Busy"), 8)
    evidence_record(
        user=adviser,
        resident=busy,
        descriptors=Descriptor.objects.filter(code="dig.fnd.1"),
        method="observed_adviser",
        shown_on=date(2020, 1, 1),
    )
    noted = _backdate(make("Noted"), 8)
    old = timezone.localdate() - 8 * YEAR
    case = case_open(
        actor=adviser,
        resident=noted,
        referral_source="self",
        referred_on=old,
        referring_organisation="Self",
        opened_on=old,
    )
    case_close(actor=adviser, case=case, closed_on=old + timedelta(days=30), outcome="other")
    note = case_note_add(actor=adviser, case=case, text="Called")
    case.__class__.objects.filter(pk=case.pk).update(created_at=timezone.now() - 8 * YEAR)
    CaseNote._base_manager.filter(pk=note.pk).update(written_at=timezone.now() - 3 * YEAR)
    open_case = _backdate(make("Opencase"), 8)
    case = case_open(
        actor=adviser,
        resident=open_case,
        referral_source="self",
        referred_on=old,
        referring_organisation="Self",
        opened_on=old,
    )
    case.__class__.objects.filter(pk=case.pk).update(created_at=timezone.now() - 8 * YEAR)
    return {"idle": idle, "busy": busy, "noted": noted, "open_case": open_case}


def _names(candidates):
    return sorted(Resident.objects.get(pk=c.resident_id).last_name for c in candidates)


@pytest.mark.django_db
def test_last_activity_is_the_latest_record_of_any_kind(council, staff, people):
    now = timezone.now()
    five = _rule(council, staff["administrator"], years=5)
    assert _names(retention.candidates_for(rule=five, now=now)) == ["Idle", "Opencase"]
    five.years = 2
    assert _names(retention.candidates_for(rule=five, now=now)) == ["Idle", "Noted", "Opencase"]
    latest = retention.last_activity(Resident.objects.filter(pk=people["noted"].pk))
    assert abs(latest[people["noted"].pk] - (now - 3 * YEAR)) < timedelta(minutes=1)


@pytest.mark.django_db
def test_the_closed_case_scope_leaves_residents_with_an_open_case(council, staff, people):
    rule = _rule(council, staff["administrator"], scope=RetentionScope.CLOSED_CASE_RESIDENTS)
    assert _names(retention.candidates_for(rule=rule, now=timezone.now())) == ["Idle"]


@pytest.mark.django_db
def test_another_councils_residents_are_not_covered(council, other_council, staff, people):
    rule = _rule(other_council, staff["administrator"])
    assert retention.candidates_for(rule=rule, now=timezone.now()) == []


@pytest.mark.django_db
def test_the_command_dry_run_lists_references_and_changes_nothing_then_the_run(
    council, staff, people
):
    rule = _rule(council, staff["administrator"])
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "would anonymise 2" in text
    assert str(people["idle"].public_id) in text
    assert str(people["busy"].public_id) not in text
    for resident in people.values():
        assert resident.last_name not in text
        assert resident.first_name not in text
    assert not Erasure.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.RETENTION_APPLIED).exists()

    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "anonymised 2" in out.getvalue()
    erased = Erasure.objects.get(resident=people["idle"])
    assert (erased.reason, erased.rule, erased.erased_by) == (ErasureReason.RETENTION, rule, None)
    people["idle"].refresh_from_db()
    assert people["idle"].last_name == "resident"
    applied = AuditEvent.objects.get(action=AuditAction.RETENTION_APPLIED)
    assert applied.organisation == council
    assert "2 residents anonymised" in applied.summary
    rule.refresh_from_db()
    assert rule.last_applied_at is not None

    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert "would anonymise 0" in out.getvalue()  # the erased are not listed again


@pytest.mark.django_db
def test_paused_rules_are_not_applied(council, staff, people):
    rule = _rule(council, staff["administrator"])
    rule.active = False
    rule.save()
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "No active retention rules" in out.getvalue()
    assert not Erasure.objects.exists()


def _token(html):
    return re.search(r'name="submission_token" value="([^"]+)"', html)[1]


@pytest.mark.django_db
def test_an_administrator_adds_a_rule_on_the_council_page(client, council, staff):
    client.force_login(staff["administrator"])
    assert client.get(reverse("privacy:retention")).status_code == 302
    page = reverse("privacy:rule-add", args=[council.pk])
    for years, message in [
        ("", "Enter the number of years"),
        ("six", "whole number"),
        ("0", "must be 1 or more"),
        ("99999999999999999999", "must be 100 or fewer"),
    ]:
        token = _token(client.get(page).content.decode())
        response = client.post(
            page, {"scope": "inactive_residents", "years": years, "submission_token": token}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not RetentionRule.objects.exists()
    token = _token(client.get(page).content.decode())
    response = client.post(
        page,
        {"scope": "inactive_residents", "years": "6", "active": "on", "submission_token": token},
    )
    assert response.status_code == 302
    rule = RetentionRule.objects.get()
    assert (rule.council, rule.years, rule.active) == (council, 6, True)
    changed = AuditEvent.objects.get(action=AuditAction.RULES_CHANGED)
    assert changed.changes["years"] == [None, 6]
    listing = client.get(reverse("privacy:retention-council", args=[council.pk]))
    assert "6 years" in listing.content.decode()

    token = _token(client.get(page).content.decode())
    again = client.post(
        page, {"scope": "inactive_residents", "years": "3", "submission_token": token}
    )
    assert "already has a rule" in again.content.decode()

    edit = reverse("privacy:rule-edit", args=[rule.pk])
    token = _token(client.get(edit).content.decode())
    client.post(edit, {"scope": "inactive_residents", "years": "7", "submission_token": token})
    rule.refresh_from_db()
    assert (rule.years, rule.active) == (7, False)


@pytest.mark.django_db
def test_the_review_page_lists_then_runs_only_what_it_listed(client, council, staff, people):
    rule = _rule(council, staff["administrator"])
    client.force_login(staff["administrator"])
    review = reverse("privacy:rule-review", args=[rule.pk])
    page = client.get(review).content.decode()
    assert "2 residents would be anonymised" in page
    assert resident_reference(people["idle"].public_id) in page
    for resident in people.values():
        assert resident.last_name not in page
    assert not Erasure.objects.exists()

    late = _backdate(ResidentFactory(organisation=council, user=staff["adviser"]), 9)
    form = {
        "residents": re.search(r'name="residents" value="([^"]*)"', page)[1],
        "submission_token": _token(page),
    }
    response = client.post(review, form)
    assert response.status_code == 302
    assert set(Erasure.objects.values_list("resident__last_name", flat=True)) == {"resident"}
    assert Erasure.objects.count() == 2
    assert not Erasure.objects.filter(resident=late).exists()  # not in the list reviewed


@pytest.mark.django_db
def test_retention_pages_are_for_the_councils_own_administrators(
    client, council, staff, other_staff
):
    rule = _rule(council, staff["administrator"])
    urls = [
        reverse("privacy:retention-council", args=[council.pk]),
        reverse("privacy:rule-add", args=[council.pk]),
        reverse("privacy:rule-edit", args=[rule.pk]),
        reverse("privacy:rule-review", args=[rule.pk]),
    ]
    client.force_login(other_staff["administrator"])
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(urls[3], {"residents": "", "submission_token": "x"}).status_code == 404
    for role in ("adviser", "viewer", "councillor", "analyst"):
        client.force_login(staff[role])
        assert client.get(reverse("privacy:retention")).status_code == 403
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)


@pytest.mark.django_db
def test_a_record_erased_while_the_run_goes_is_skipped(council, staff, people, monkeypatch):
    from skillspassport.privacy.services import resident_erase, retention_apply

    rule = _rule(council, staff["administrator"])
    listed = retention.candidates_for(rule=rule, now=timezone.now())
    idle = people["idle"]
    resident_erase(
        user=staff["administrator"], resident=idle, confirmation=resident_reference(idle.public_id)
    )
    monkeypatch.setattr(retention, "candidates_for", lambda **kwargs: listed)
    (outcome,) = retention_apply(user=None, rules=[rule], dry_run=False)
    assert outcome.erased == 1
    assert Erasure.objects.get(resident=idle).reason == ErasureReason.REQUEST
    assert Erasure.objects.filter(reason=ErasureReason.RETENTION).count() == 1
