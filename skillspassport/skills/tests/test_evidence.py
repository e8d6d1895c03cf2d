"""Recording and withdrawing evidence, and the levels that follow, through services and pages."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import (
    OVERALL,
    Descriptor,
    Evidence,
    LevelRuleSet,
    PassportLevel,
    PassportLevelChange,
)
from skillspassport.skills.selectors import passport_summary, rule_set_for_organisation
from skillspassport.skills.services import EvidenceError, evidence_record, evidence_withdraw

TODAY = date(2026, 11, 1)


@pytest.fixture
def resident(council, adviser):
    return ResidentFactory(organisation=council, user=adviser)


def descriptors(**filters):
    rule_set = LevelRuleSet.objects.get(name="default")
    return list(Descriptor.objects.filter(framework=rule_set.framework, **filters))


def bronze_sets():
    """Descriptors that give Bronze in every strand under the shipped default rules."""
    rules = LevelRuleSet.objects.get(name="default").rules
    chosen = []
    for _strand, per_award in rules["strands"].items():
        for req in per_award["bronze"]:
            for area in req["areas"]:
                if req["require"] == "all":
                    chosen += descriptors(area__code=area, level__code=req["level"])
                else:
                    pool = descriptors(area__code=area, level__code=req["min_level"])
                    chosen += pool[: req.get("count", 1)]
    return chosen


def levels(resident):
    return dict(PassportLevel.objects.filter(resident=resident).values_list("strand_code", "level"))


def test_recording_evidence_raises_the_level_with_history(resident, adviser, staff):
    all_bronze = bronze_sets()
    *most, last = all_bronze
    evidence_record(
        user=adviser, resident=resident, descriptors=most, method="observed_adviser", shown_on=TODAY
    )
    assert levels(resident)[OVERALL] == ""
    _items, changes = evidence_record(
        user=staff["tutor"],
        resident=resident,
        descriptors=[last],
        method="observed_tutor",
        shown_on=TODAY,
    )
    assert levels(resident)[OVERALL] == "bronze"
    assert any(c.strand_code == OVERALL and c.to_level == "bronze" for c in changes)
    history = PassportLevelChange.objects.filter(resident=resident, strand_code=OVERALL).get()
    assert (history.from_level, history.to_level) == ("", "bronze")
    summary = passport_summary(resident=resident)
    assert summary.overall.level == "bronze"
    assert summary.overall.since is not None
    assert summary.overall.next_award_name == "Silver"
    assert summary.overall.needed


def test_self_assessed_evidence_does_not_count_unless_council_says_so(resident, adviser, council):
    evidence_record(
        user=adviser,
        resident=resident,
        descriptors=bronze_sets(),
        method="self_assessed",
        shown_on=TODAY,
    )
    assert levels(resident)[OVERALL] == ""
    rule_set = rule_set_for_organisation(organisation=council)
    rule_set.count_self_assessed = True
    rule_set.save()
    from skillspassport.skills.services import passport_recompute

    passport_recompute(resident=resident)
    assert levels(resident)[OVERALL] == "bronze"


def test_withdrawn_evidence_stops_counting(resident, adviser):
    items, _ = evidence_record(
        user=adviser,
        resident=resident,
        descriptors=bronze_sets(),
        method="qualification",
        shown_on=TODAY,
    )
    assert levels(resident)[OVERALL] == "bronze"
    changes = evidence_withdraw(
        user=adviser, resident=resident, evidence_id=items[0].pk, reason="Recorded in error"
    )
    assert levels(resident)[OVERALL] == ""
    assert any(c.strand_code == OVERALL and c.to_level == "" for c in changes)
    item = Evidence.objects.get(pk=items[0].pk)
    assert item.withdrawn_at is not None
    assert item.withdrawn_by == adviser
    with pytest.raises(EvidenceError):
        evidence_withdraw(user=adviser, resident=resident, evidence_id=items[0].pk, reason="again")


@pytest.mark.parametrize(
    ("shown_on", "message"),
    [
        (timezone.localdate() + timedelta(days=1), "cannot be in the future"),
        (date(1980, 1, 1), "before the resident was born"),
    ],
)
def test_impossible_dates_are_refused_and_nothing_saved(resident, adviser, shown_on, message):
    with pytest.raises(EvidenceError, match=message):
        evidence_record(
            user=adviser,
            resident=resident,
            descriptors=bronze_sets(),
            method="qualification",
            shown_on=shown_on,
        )
    assert Evidence.objects.count() == 0


def test_checklist_page_records_a_whole_strand(client, resident, adviser):
    client.force_login(adviser)
    url = reverse("skills:evidence-record", args=[resident.public_id, "digital"])
    page = client.get(url)
    assert page.status_code == 200
    foundation = descriptors(area__strand__code="digital", level__code="foundation")
    assert all(d.text in page.content.decode() for d in foundation)
    response = client.post(
        url,
        {
            "submission_token": str(uuid.uuid4()),
            "descriptors": [d.pk for d in foundation],
            "method": "observed_adviser",
            "shown_on_0": "1",
            "shown_on_1": "11",
            "shown_on_2": "2026",
            "note": "Shown at the Bootle library session",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert levels(resident)["digital"] == "bronze"
    assert "Bronze" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.EVIDENCE_RECORDED, resident=resident
    ).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"descriptors": []}, "Select at least one skill"),
        ({"descriptors": ["999999"]}, "Select skills from the list"),
        ({"descriptors": ["abc"]}, "Select skills from the list"),
        ({"method": ""}, "Select how the resident showed"),
        ({"shown_on_0": "40"}, "Date shown must be a real date"),
        ({"shown_on_2": "2999"}, "Date shown must be in the past"),
        ({"note": "x" * 1001}, "1,000 characters or fewer"),
    ],
)
def test_checklist_bad_input(client, resident, adviser, overrides, message):
    client.force_login(adviser)
    url = reverse("skills:evidence-record", args=[resident.public_id, "digital"])
    data = {
        "submission_token": str(uuid.uuid4()),
        "descriptors": [descriptors(area__strand__code="digital")[0].pk],
        "method": "observed_adviser",
        "shown_on_0": "1",
        "shown_on_1": "11",
        "shown_on_2": "2026",
    }
    data.update(overrides)
    response = client.post(url, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Evidence.objects.count() == 0


def test_descriptor_from_another_strand_is_refused(client, resident, adviser):
    client.force_login(adviser)
    url = reverse("skills:evidence-record", args=[resident.public_id, "digital"])
    numeracy = descriptors(area__strand__code="numeracy")[0]
    response = client.post(
        url,
        {
            "submission_token": str(uuid.uuid4()),
            "descriptors": [numeracy.pk],
            "method": "qualification",
            "shown_on_0": "1",
            "shown_on_1": "11",
            "shown_on_2": "2026",
        },
    )
    assert "Select skills from the list" in response.content.decode()
    assert Evidence.objects.count() == 0


def test_double_submitted_checklist_records_once(client, resident, adviser):
    client.force_login(adviser)
    url = reverse("skills:evidence-record", args=[resident.public_id, "digital"])
    data = {
        "submission_token": str(uuid.uuid4()),
        "descriptors": [descriptors(area__strand__code="digital")[0].pk],
        "method": "observed_adviser",
        "shown_on_0": "1",
        "shown_on_1": "11",
        "shown_on_2": "2026",
    }
    client.post(url, data)
    client.post(url, data)
    assert Evidence.objects.count() == 1


def test_unknown_strand_is_not_found(client, resident, adviser):
    client.force_login(adviser)
    assert (
        client.get(
            reverse("skills:evidence-record", args=[resident.public_id, "juggling"])
        ).status_code
        == 404
    )


def test_withdraw_page_needs_a_reason(client, resident, adviser):
    items, _ = evidence_record(
        user=adviser,
        resident=resident,
        descriptors=bronze_sets()[:1],
        method="qualification",
        shown_on=TODAY,
    )
    client.force_login(adviser)
    url = reverse("skills:evidence-withdraw", args=[resident.public_id, items[0].pk])
    response = client.post(url, {"submission_token": str(uuid.uuid4()), "reason": ""})
    assert "Enter why the evidence is being withdrawn" in response.content.decode()
    assert Evidence.objects.current().count() == 1
    response = client.post(url, {"submission_token": str(uuid.uuid4()), "reason": "Wrong resident"})
    assert response.status_code == 302
    assert Evidence.objects.current().count() == 0
