"""The council-wide audit page, and changes recorded with their values before and after."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
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
from skillspassport.audit.chain import audit_chain_verify
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.audit.services import audit_record
from skillspassport.funding.models import Conflict, Criterion
from skillspassport.funding.services import conflict_declare, proposal_decide, scores_submit
from skillspassport.funding.tests.conftest import (  # noqa: F401 - fixtures
    appraise,
    assessment,
    assessor,
    fund,
    manager,
    proposal,
    provider,
    second_assessor,
)
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.reports import kpis
from skillspassport.reports.services import (
    framework,
    narratives_save,
    report_create,
    report_publish,
)
from skillspassport.skills.models import LevelRuleSet
from skillspassport.skills.services import scheme_adopt
from skillspassport.support.services import budget_policy_set

PAGE = reverse("audit:council")


@pytest.fixture
def partner(council):
    return OrganisationFactory(
        name="Bootle Learning", kind=OrganisationKind.PROVIDER, council=council
    )


@pytest.fixture
def admin(staff):
    return staff["administrator"]


def test_the_page_holds_the_council_and_its_partners_but_never_another_council(
    client, admin, council, partner, other_council, other_staff
):
    tutor = UserFactory(email="tutor@partner.test", full_name="Partner Tutor")
    MembershipFactory(user=tutor, organisation=partner, role=Role.TUTOR)
    ours = ResidentFactory(organisation=partner, user=tutor)
    theirs = ResidentFactory(organisation=other_council, user=other_staff["adviser"])
    audit_record(
        user=other_staff["administrator"],
        action=AuditAction.RULES_CHANGED,
        organisation=other_council,
        summary="Knowsley rules",
    )
    client.force_login(admin)
    response = client.get(PAGE)
    assert response.status_code == 200
    body = response.content.decode()
    assert str(ours.public_id) in body
    assert "Partner Tutor" in body
    assert str(theirs.public_id) not in body
    assert "Knowsley rules" not in body
    # Residents appear by reference only: the page shows nobody's personal data.
    assert ours.last_name not in body
    assert 'href="/audit/"' in body  # in the menu
    client.force_login(other_staff["administrator"])
    body = client.get(PAGE).content.decode()
    assert "Knowsley rules" in body
    assert str(ours.public_id) not in body


@pytest.mark.parametrize("role", ["adviser", "tutor", "viewer", "analyst", "councillor"])
def test_only_those_who_may_read_the_audit_log_open_it(client, staff, role):
    client.force_login(staff[role])
    assert client.get(PAGE).status_code == 403
    assert 'href="/audit/"' not in client.get("/").content.decode()


def test_filters_by_action_user_resident_and_dates(client, admin, adviser, council):
    first = ResidentFactory(organisation=council, user=adviser)
    second = ResidentFactory(organisation=council, user=adviser)
    client.force_login(admin)
    client.get(reverse("people:detail", args=[second.public_id]))
    by_action = client.get(PAGE, {"action": AuditAction.CREATED}).context["page"]
    assert {e.resident_id for e in by_action} == {first.pk, second.pk}
    by_user = client.get(PAGE, {"user": admin.pk, "action": AuditAction.VIEWED}).context["page"]
    assert [e.resident_id for e in by_user] == [second.pk]
    by_resident = client.get(PAGE, {"resident": str(first.public_id)}).context["page"]
    assert {e.resident_id for e in by_resident} == {first.pk}
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    on = {"start_0": today.day, "start_1": today.month, "start_2": today.year}
    assert client.get(PAGE, on).context["page"].paginator.count >= 3
    later = {"start_0": tomorrow.day, "start_1": tomorrow.month, "start_2": tomorrow.year}
    assert client.get(PAGE, later).context["page"].paginator.count == 0


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"resident": "not-a-reference"}, "Enter a resident reference"),
        ({"start_0": "31", "start_1": "2", "start_2": "2026"}, "From"),
        ({"action": "nonsense"}, "Select what was done from the list"),
        ({"user": "999999"}, "Select a person from the list"),
        (
            {
                "start_0": "2",
                "start_1": "1",
                "start_2": "2026",
                "end_0": "1",
                "end_1": "1",
                "end_2": "2026",
            },
            "must be the same as or after",
        ),
    ],
)
def test_bad_filters_get_a_message_not_an_error(client, admin, params, message):
    client.force_login(admin)
    response = client.get(PAGE, params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_csv_is_formula_safe_and_its_download_is_audited(client, admin, council):
    audit_record(
        user=admin,
        action=AuditAction.RULES_CHANGED,
        organisation=council,
        summary='=HYPERLINK("http://x")',
        changes={"cap": ("500.00", "600.00")},
    )
    client.force_login(admin)
    response = client.get(PAGE, {"action": AuditAction.RULES_CHANGED, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "when (UTC)"
    assert len(rows) == 2
    assert rows[1][7].startswith("'=")
    assert rows[1][6] == "cap: 500.00 → 600.00"
    exported = AuditEvent.objects.get(action=AuditAction.AUDIT_EXPORTED)
    assert exported.organisation == council
    assert exported.user == admin
    assert "1 events" in exported.summary


def test_budget_settings_show_before_and_after(client, admin, council):
    budget_policy_set(
        actor=admin, council=council, cap=Decimal("500"), approval_threshold=Decimal("100")
    )
    budget_policy_set(
        actor=admin, council=council, cap=Decimal("600"), approval_threshold=Decimal("100")
    )
    event = AuditEvent.objects.filter(action=AuditAction.RULES_CHANGED).order_by("seq").last()
    assert event.organisation == council
    assert event.changes["cap"] == ["500.00", "600.00"]
    client.force_login(admin)
    assert "cap: 500.00 → 600.00" in client.get(PAGE).content.decode()


def test_funding_declarations_scores_and_decisions_are_recorded(
    assessment,  # noqa: F811
    assessor,  # noqa: F811
    second_assessor,  # noqa: F811
    proposal,  # noqa: F811
    manager,  # noqa: F811
    fund,  # noqa: F811
    council,
):
    conflict_declare(actor=assessor, assessment=assessment, conflict=Conflict.NONE)
    criteria = list(Criterion.objects.filter(fund=fund))
    scores_submit(actor=assessor, assessment=assessment, scores={c.pk: (3, "ok") for c in criteria})
    appraise(proposal, manager, [second_assessor])
    proposal_decide(
        actor=manager, proposal=proposal, decision="approved", amount="35000", reasons="Good"
    )
    first = AuditEvent.objects.order_by("seq")
    declared = first.filter(action=AuditAction.CONFLICT_DECLARED).first()
    assert declared.changes == {"conflict": ["", "none"]}
    scored = first.filter(action=AuditAction.ASSESSMENT_SCORED).first()
    assert scored.changes["Need"] == [None, 3]
    decided = AuditEvent.objects.get(action=AuditAction.FUNDING_DECIDED)
    assert decided.organisation == council
    assert decided.changes == {
        "decision": ["", "approved"],
        "amount_approved": [None, "35000.00"],
    }
    assert "decision_reasons" in decided.fields
    assert audit_chain_verify().ok


def test_reports_record_creation_drafting_and_publication(admin, council):
    today = timezone.localdate()
    period = kpis.Period(today - timedelta(days=180), today, "Test half-year")
    report = report_create(council=council, period=period, user=admin)
    narratives_save(report=report, narratives={}, user=admin)  # nothing changed: no event
    code = framework()["recommendations"][0]["code"]
    narratives_save(report=report, narratives={code: "On track."}, user=admin)
    report_publish(report=report, user=admin, interim=True)
    actions = list(
        AuditEvent.objects.filter(organisation=council)
        .order_by("seq")
        .values_list("action", "changes")
    )
    assert actions[0][0] == AuditAction.REPORT_CREATED
    assert actions[1] == (AuditAction.REPORT_DRAFTED, {f"narrative {code}": ["", "On track."]})
    assert actions[2] == (AuditAction.REPORT_PUBLISHED, {"status": ["draft", "published"]})


def test_moving_the_scheme_to_other_rules_is_recorded_with_both_rule_sets(admin, council):
    first = LevelRuleSet.objects.order_by("pk").first()
    second = LevelRuleSet.objects.create(
        framework=first.framework, name="Self-assessment counts", rules=first.rules
    )
    scheme_adopt(council=council, rule_set=first, user=admin)
    scheme_adopt(council=council, rule_set=second, user=admin)
    moved = AuditEvent.objects.filter(action=AuditAction.RULES_CHANGED).order_by("seq")
    assert [e.changes["rule set"] for e in moved] == [
        [None, str(first)],
        [str(first), str(second)],
    ]
    assert {e.organisation_id for e in moved} == {council.pk}
