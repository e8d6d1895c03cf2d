"""`manage.py skills_map`: JSON lines in, JSON lines out, bad lines reported and skipped."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from skillspassport.employers.management.commands.skills_map import Command


def run(lines, **options):
    out = StringIO()
    call_command(Command(), stdin=StringIO("\n".join(lines) + "\n"), stdout=out, **options)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_maps_each_advert_best_first():
    results = run(
        [
            json.dumps({"id": 7, "text": "Must be confident using Excel spreadsheets"}),
            json.dumps({"id": "b", "text": "Answer customer enquiries by phone"}),
        ],
        method="lexical",
    )
    assert [r["id"] for r in results] == [7, "b"]
    skills = results[0]["skills"]
    assert 0 < len(skills) <= 20
    assert "use spreadsheets software" in [s["label"] for s in skills[:3]]
    assert set(skills[0]) == {"uri", "label", "score"}
    assert skills[0]["uri"].startswith("http://data.europa.eu/esco/skill/")
    scores = [s["score"] for s in skills]
    assert scores == sorted(scores, reverse=True)


def test_top_limits_the_skills():
    (result,) = run([json.dumps({"id": 1, "text": "Use Excel, Word and email"})], top=3)
    assert len(result["skills"]) == 3


def test_bad_lines_give_errors_and_the_command_carries_on():
    results = run(
        [
            "{not json",
            json.dumps(["a", "list"]),
            json.dumps({"text": "Use Excel"}),
            json.dumps({"id": 3}),
            json.dumps({"id": 4, "text": "   "}),
            json.dumps({"id": 5, "text": "Nous recherchons un assistant pour notre équipe."}),
            json.dumps({"id": 6, "text": "x" * 100_001}),
            "",
            json.dumps({"id": 8, "text": "Use Excel spreadsheets"}),
        ],
        method="lexical",
    )
    assert [r["id"] for r in results] == [None, None, None, 3, 4, 5, 6, 8]
    assert results[0]["error"].startswith("Line is not valid JSON")
    assert results[3]["error"] == 'Line has no "text", or it is not a string'
    assert results[4]["error"] == "Enter the job advert text"
    assert "English" in results[5]["error"]
    assert "100 KB" in results[6]["error"]
    assert "skills" in results[7]
    assert all("skills" not in r for r in results[:7])


@pytest.mark.parametrize("top", [0, 21])
def test_top_out_of_range_is_a_usage_error(top):
    with pytest.raises(CommandError, match="--top must be between 1 and 20"):
        run([], top=top)


def test_an_unavailable_method_is_a_usage_error(settings, tmp_path):
    settings.SKILLS_MAP_INDEX_DIR = tmp_path  # no index there
    with pytest.raises(CommandError, match="not available"):
        run([], method="embedding")
