"""Recomputing every passport of a scheme runs as background work, batch by batch, and a
worker that stops half-way leaves nothing done twice."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db import transaction

from skillspassport.background.models import Work, WorkStatus
from skillspassport.background.services import work_recover
from skillspassport.background.testing import drain, stop_worker_midway
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills import services
from skillspassport.skills.admin import CouncilSchemeAdmin
from skillspassport.skills.models import (
    CouncilScheme,
    Descriptor,
    LevelRuleSet,
    PassportLevel,
    PassportLevelChange,
)
from skillspassport.skills.services import (
    evidence_record,
    framework_load,
    passports_recompute_batch,
    scheme_adopt,
)
from skillspassport.skills.tests.test_admin import _request
from skillspassport.skills.tests.test_framework_versions import (
    foundation_area,
    shipped_document,
    write_version,
)

NEW_SKILL = {
    "code": "dig.fnd.9",
    "level": "foundation",
    "text": "I can charge a device and tell when it needs charging.",
}


@pytest.fixture
def scheme(council, adviser, tmp_path):
    """Five residents at Bronze under the shipped rules, and a new version under which the
    foundation needs one more skill (so each of them drops to no level)."""
    shipped = LevelRuleSet.objects.get(framework__code="2026.1", name="default")
    CouncilScheme.objects.update_or_create(council=council, defaults={"rule_set": shipped})
    foundation = list(
        Descriptor.objects.filter(framework=shipped.framework, level__code="foundation")
    )
    residents = [ResidentFactory(organisation=council, user=adviser) for _ in range(5)]
    for resident in residents:
        evidence_record(
            user=adviser,
            resident=resident,
            descriptors=foundation,
            method="observed_adviser",
            shown_on=date(2026, 10, 1),
        )
    doc = shipped_document()
    foundation_area(doc)["descriptors"].append(dict(NEW_SKILL))
    framework, _ = framework_load(path=write_version(tmp_path, doc, "2099.4"))
    return residents, framework.rule_sets.get(name="default")


def digital(resident):
    return PassportLevel.objects.get(resident=resident, strand_code="digital").level


def drops(resident):
    return PassportLevelChange.objects.filter(
        resident=resident, strand_code="digital", framework_code="2099.4"
    ).count()


def test_adopting_recomputes_in_the_background_with_progress(
    council, scheme, django_capture_on_commit_callbacks
):
    residents, rule_set = scheme
    with django_capture_on_commit_callbacks(execute=True):
        work = scheme_adopt(council=council, rule_set=rule_set)
    assert work.status == WorkStatus.QUEUED
    assert digital(residents[0]) == "bronze"  # nothing recomputed in the request
    drain()
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED
    assert (work.done, work.total, work.result["changed"]) == (5, 5, 5)
    assert "5 residents' levels changed." in work.message
    assert [digital(r) for r in residents] == [""] * 5


def test_a_worker_stopped_half_way_is_taken_over_and_nothing_is_done_twice(
    council, scheme, django_capture_on_commit_callbacks, monkeypatch
):
    residents, rule_set = scheme
    monkeypatch.setattr(services, "RECOMPUTE_BATCH", 2)
    with django_capture_on_commit_callbacks(execute=True):
        work = scheme_adopt(council=council, rule_set=rule_set)
    # The first worker committed one batch of two residents, then was killed.
    with transaction.atomic():
        count, changed, last = passports_recompute_batch(
            council=council, after=0, cause="scheme moved to framework 2099.4", size=2
        )
    stop_worker_midway(work, done=count, state={"after": last, "changed": changed})
    assert drain() == 0

    assert [w.pk for w in work_recover()] == [work.pk]
    drain()
    work.refresh_from_db()
    assert work.status == WorkStatus.SUCCEEDED
    assert work.attempts == 2
    assert (work.done, work.total, work.result["changed"]) == (5, 5, 5)
    assert [digital(r) for r in residents] == [""] * 5
    assert [drops(r) for r in residents] == [1] * 5  # each resident's change recorded once


def test_the_admin_sends_the_operator_to_the_progress_page(
    council, staff, scheme, django_capture_on_commit_callbacks
):
    _residents, rule_set = scheme
    model_admin = CouncilSchemeAdmin(CouncilScheme, admin.site)
    request = _request(staff["administrator"])
    obj = CouncilScheme.objects.get(council=council)
    obj.rule_set = rule_set
    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, obj, None, change=True)
    work = Work.objects.get()
    response = model_admin.response_change(request, obj)
    assert response.url == f"/work/{work.pk}/"
    assert work.started_by == staff["administrator"]


def test_the_command_runs_it_now_with_a_bar_or_queues_it(council, scheme, capsys):
    residents, _rule_set = scheme
    call_command("adopt_framework", "--queue", council=council.name, framework="2099.4")
    out = capsys.readouterr().out
    assert "queued. Progress: " in out
    assert digital(residents[0]) == "bronze"
    call_command("adopt_framework", council=council.name, framework="2099.4")
    out = capsys.readouterr().out
    assert "5 residents' levels changed." in out
    assert [digital(r) for r in residents] == [""] * 5
