"""The ESCO → framework crosswalk: its data is valid, and roll-up gives the expected needs."""

from pathlib import Path

import pytest
import yaml

from skillspassport.employers.skillsmap import (
    CROSSWALK_PATH,
    FrameworkNeed,
    SkillMatch,
    load_crosswalk,
    rollup,
)
from skillspassport.employers.skillsmap.crosswalk import CrosswalkError

FRAMEWORK = Path(__file__).resolve().parents[2] / "skills" / "data" / "frameworks" / "2026.1.yaml"
ESCO = "http://data.europa.eu/esco/skill/"
SPREADSHEETS = ESCO + "1973c966-f236-40c9-b2d4-5d71a89019be"


@pytest.fixture(scope="module")
def crosswalk():
    return load_crosswalk()


@pytest.fixture(scope="module")
def framework():
    return yaml.safe_load(FRAMEWORK.read_text(encoding="utf-8"))


def uri_of(esco, label):
    (uri,) = [c.uri for c in esco.concepts if c.label == label]
    return uri


def test_every_crosswalk_uri_is_in_the_shipped_slice_with_its_label(crosswalk, esco):
    raw = yaml.safe_load(CROSSWALK_PATH.read_text(encoding="utf-8"))
    assert len(raw["concepts"]) >= 100
    for entry in raw["concepts"]:
        concept = esco.get(entry["uri"])
        assert concept is not None, entry["uri"]
        assert concept.label == entry["label"], entry["uri"]


def test_every_area_and_level_is_in_the_framework(crosswalk, framework):
    assert crosswalk.framework_version == framework["version"]
    scales = {s["code"]: tuple(level["code"] for level in s["scale"]) for s in framework["strands"]}
    areas = {a["code"]: s["code"] for s in framework["strands"] for a in s["areas"]}
    assert dict(crosswalk.levels) == scales
    needs = [n for ns in crosswalk.concepts.values() for n in ns]
    needs += [n for ns in crosswalk.collections.values() for n in ns]
    for need in needs:
        assert need.area_code in areas, need
        assert need.level in scales[areas[need.area_code]], need


def test_the_crosswalk_covers_every_strand(crosswalk):
    strands = {n.area_code.split(".")[0] for ns in crosswalk.concepts.values() for n in ns}
    assert strands == {"digital", "numeracy", "literacy", "communication"}


def test_rollup_of_known_skills(crosswalk, esco):
    matches = [
        SkillMatch(SPREADSHEETS, "use spreadsheets software", 0.9),
        SkillMatch(uri_of(esco, "communicate with customers"), "communicate with customers", 0.8),
        SkillMatch(uri_of(esco, "apply numeracy skills"), "apply numeracy skills", 0.7),
        SkillMatch(uri_of(esco, "count money"), "count money", 0.6),
        SkillMatch(uri_of(esco, "protect personal data and privacy"), "protect", 0.5),
    ]
    needs = rollup(matches, crosswalk, esco=esco)
    assert needs == [
        FrameworkNeed("digital.handling_information", "digital", "work", (SPREADSHEETS,)),
        FrameworkNeed("numeracy.data", "numeracy", "L1", (SPREADSHEETS,)),
        FrameworkNeed("communication.speaking", "communication", "tier2", (matches[1].uri,)),
        # "apply numeracy skills" (L1) outranks "count money" (E3) in the same area.
        FrameworkNeed("numeracy.number", "numeracy", "L1", (matches[2].uri, matches[3].uri)),
        FrameworkNeed("digital.safe_legal", "digital", "life", (matches[4].uri,)),
    ]


def test_rollup_uses_the_digital_collection_default_and_ignores_the_rest(crosswalk, esco):
    java = uri_of(esco, "Java (computer programming)")
    welding = uri_of(esco, "use welding equipment")
    needs = rollup(
        [SkillMatch(java, "Java", 0.9), SkillMatch(welding, "welding", 0.8)], crosswalk, esco=esco
    )
    assert needs == [FrameworkNeed("digital.problem_solving", "digital", "work", (java,))]
    assert rollup([], crosswalk) == []


def test_a_bad_level_is_refused(tmp_path):
    path = tmp_path / "crosswalk.yaml"
    path.write_text(
        "framework_version: '2026.1'\n"
        "levels: {digital: [foundation, life, work]}\n"
        "concepts:\n"
        f"  - {{uri: '{SPREADSHEETS}', needs: [{{area: digital.communicating, level: gold}}]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CrosswalkError, match="'gold' is not a level of 'digital'"):
        load_crosswalk(path)
