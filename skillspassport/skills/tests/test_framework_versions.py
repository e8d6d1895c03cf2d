"""A council moves to a new framework version without losing evidence recorded under the old."""

from __future__ import annotations

import copy
from datetime import date

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.urls import reverse

from skillspassport.background.models import WorkStatus
from skillspassport.background.testing import drain
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.framework_files import FrameworkFileError, framework_files
from skillspassport.skills.models import (
    Descriptor,
    Evidence,
    FrameworkVersion,
    LevelRuleSet,
    PassportLevel,
    PassportLevelChange,
)
from skillspassport.skills.services import evidence_record, framework_load, scheme_adopt

SHIPPED = framework_files()[0]


def shipped_document():
    return yaml.safe_load(SHIPPED.read_text())


def foundation_area(doc):
    digital = next(s for s in doc["strands"] if s["code"] == "digital")
    return next(a for a in digital["areas"] if a["code"] == "digital.foundation")


def write_version(tmp_path, doc, version):
    doc = copy.deepcopy(doc)
    doc["version"], doc["title"] = version, f"Test framework {version}"
    path = tmp_path / f"{version}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


@pytest.fixture
def adopt(django_capture_on_commit_callbacks):
    """Adopt, then run the recompute as a worker would; how many residents changed level."""

    def adopt(council, rule_set):
        with django_capture_on_commit_callbacks(execute=True):
            work = scheme_adopt(council=council, rule_set=rule_set)
        drain()
        work.refresh_from_db()
        assert work.status == WorkStatus.SUCCEEDED, work.error
        return work.result["changed"]

    return adopt


def digital_level(resident):
    return PassportLevel.objects.get(resident=resident, strand_code="digital").level


@pytest.fixture
def resident_with_foundation(council, adviser, adopt):
    resident = ResidentFactory(organisation=council, user=adviser)
    shipped = LevelRuleSet.objects.get(framework__code="2026.1", name="default")
    adopt(council, shipped)
    evidence_record(
        user=adviser,
        resident=resident,
        descriptors=list(
            Descriptor.objects.filter(framework=shipped.framework, level__code="foundation")
        ),
        method="observed_adviser",
        shown_on=date(2026, 10, 1),
    )
    assert digital_level(resident) == "bronze"
    return resident


def test_reworded_descriptor_keeps_old_evidence_counting(
    tmp_path, client, council, adviser, resident_with_foundation, adopt
):
    doc = shipped_document()
    reworded = foundation_area(doc)["descriptors"][1]
    reworded.update(
        code="dig.fnd.2x",
        replaces=["dig.fnd.2"],
        text="I can use a mouse, trackpad, keyboard or touchscreen.",
    )
    framework, created = framework_load(path=write_version(tmp_path, doc, "2099.1"))
    assert created
    evidence_before = Evidence.objects.count()

    changed = adopt(council, framework.rule_sets.get(name="default"))

    assert changed == 0
    assert digital_level(resident_with_foundation) == "bronze"
    assert Evidence.objects.count() == evidence_before  # nothing rewritten or lost
    # The checklist under the new version shows the old evidence against the new descriptor.
    client.force_login(adviser)
    page = client.get(
        reverse("skills:evidence-record", args=[resident_with_foundation.public_id, "digital"])
    ).content.decode()
    assert "I can use a mouse, trackpad, keyboard or touchscreen." in page
    assert page.count("Evidenced</strong>") == 8


def test_new_required_skill_lowers_the_level_with_history(
    tmp_path, council, resident_with_foundation, adopt
):
    doc = shipped_document()
    foundation_area(doc)["descriptors"].append(
        {
            "code": "dig.fnd.9",
            "level": "foundation",
            "text": "I can charge a device and tell when it needs charging.",
        }
    )
    framework, _ = framework_load(path=write_version(tmp_path, doc, "2099.2"))

    changed = adopt(council, framework.rule_sets.get(name="default"))

    assert changed == 1
    assert digital_level(resident_with_foundation) == ""
    change = PassportLevelChange.objects.filter(
        resident=resident_with_foundation, strand_code="digital"
    ).latest("changed_at")
    assert (change.from_level, change.to_level) == ("bronze", "")
    assert change.framework_code == "2099.2"
    assert "2099.2" in change.cause


def test_loading_the_same_file_twice_changes_nothing(db):
    count = FrameworkVersion.objects.count()
    framework, created = framework_load(path=SHIPPED)
    assert not created
    assert FrameworkVersion.objects.count() == count
    assert framework.code == "2026.1"


def test_changed_content_under_an_existing_version_is_refused(tmp_path, db):
    doc = shipped_document()
    foundation_area(doc)["descriptors"][0]["text"] = "I can switch it on."
    with pytest.raises(FrameworkFileError, match="new version number"):
        framework_load(path=write_version(tmp_path, doc, "2026.1"))
    assert Descriptor.objects.filter(text="I can switch it on.").count() == 0


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.pop("level_rules"), "missing 'level_rules'"),
        (lambda d: foundation_area(d)["descriptors"][0].update(level="platinum"), "not on its"),
        (lambda d: foundation_area(d)["descriptors"][1].update(code="dig.fnd.1"), "used twice"),
        (lambda d: d["level_rules"]["strands"]["digital"].update(gold=[{"require": "x"}]), "must"),
    ],
)
def test_broken_framework_files_are_refused_whole(tmp_path, db, mutate, message):
    doc = shipped_document()
    mutate(doc)
    versions = FrameworkVersion.objects.count()
    with pytest.raises(FrameworkFileError, match=message):
        framework_load(path=write_version(tmp_path, doc, "2099.9"))
    assert FrameworkVersion.objects.count() == versions


def test_adopt_framework_command(tmp_path, council, resident_with_foundation, capsys):
    framework_load(path=write_version(tmp_path, shipped_document(), "2099.3"))
    call_command("adopt_framework", council=council.name, framework="2099.3")
    assert "now uses framework 2099.3" in capsys.readouterr().out
    council.scheme.refresh_from_db()
    assert council.scheme.rule_set.framework.code == "2099.3"
    with pytest.raises(CommandError, match="No rule set"):
        call_command("adopt_framework", council=council.name, framework="1999.1")
    with pytest.raises(CommandError, match="No council"):
        call_command("adopt_framework", council="Nowhere", framework="2099.3")
