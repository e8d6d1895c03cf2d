"""The lexical mapper and keyword baseline on worked examples (the shipped ESCO slice)."""

import time

import pytest

from skillspassport.employers.skillsmap import (
    KeywordBaseline,
    LexicalMapper,
    SkillMatch,
    get_mapper,
)

SPREADSHEETS = "http://data.europa.eu/esco/skill/1973c966-f236-40c9-b2d4-5d71a89019be"


def labels(matches: list[SkillMatch], n: int = 5) -> list[str]:
    return [m.label for m in matches[:n]]


def test_the_slice_has_every_released_esco_skill(esco):
    assert len(esco) == 13_896
    concept = esco.get(SPREADSHEETS)
    assert concept is not None
    assert concept.label == "use spreadsheets software"
    assert concept.digital
    assert sum(c.digital for c in esco.concepts) == 1201


@pytest.mark.parametrize(
    ("text", "label", "within"),
    [
        ("Must be confident using Excel spreadsheets", "use spreadsheets software", 3),
        ("Experience of Microsoft Office and email", "use microsoft office", 1),
        ("You will answer customer enquiries by phone", "respond to enquiries", 3),
        ("Good communication skills and able to work in a team", "work in teams", 1),
        ("Handle cash and card payments accurately", "process payments", 3),
        ("Strong written and spoken English", "understand written English", 3),
        ("javascript reactjs java", "JavaScript", 2),
        ("javascript reactjs java", "Java (computer programming)", 2),
        ("Experience of QA and TDD", "quality assurance methodologies", 5),
    ],
)
def test_lexical_ranks_the_skill_high(lexical, text, label, within):
    assert label in labels(lexical.map(text), within)


def test_scores_are_in_0_1_best_first_and_at_most_top(lexical):
    matches = lexical.map("Use spreadsheets, email and a till; keep records of stock", top=7)
    assert 0 < len(matches) <= 7
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < s <= 1 for s in scores)
    assert len({m.uri for m in matches}) == len(matches)


def test_top_is_capped_at_20(lexical):
    assert len(lexical.map("manage staff, budgets, projects, stock, teams and data", top=50)) <= 20


def test_boilerplate_gives_no_or_low_scores(lexical):
    for text in (
        "We are an equal opportunities employer",
        "We welcome applications regardless of race, religion, sexual orientation or disability",
        "Salary £24,000 per annum plus a generous pension and 25 days annual leave",
    ):
        assert all(m.score < 0.3 for m in lexical.map(text)), text


def test_boilerplate_in_an_advert_does_not_outrank_the_job(lexical):
    advert = (
        "Administrator\n"
        "We are an equal opportunities employer and welcome a diverse workforce.\n"
        "• Use Excel spreadsheets to keep records\n"
        "• Answer customer enquiries by telephone\n"
    )
    top = labels(lexical.map(advert), 4)
    assert "use spreadsheets software" in top
    assert "promote equal opportunities" not in top


def test_repeated_evidence_adds_a_little(lexical):
    once = lexical.map("Use Excel spreadsheets")[0]
    twice = lexical.map("Use Excel spreadsheets\nKeep spreadsheets up to date")[0]
    assert once.label == twice.label == "use spreadsheets software"
    assert once.score < twice.score <= 1


def test_empty_or_contentless_text_maps_to_nothing(lexical):
    assert lexical.map("") == []
    assert lexical.map("and the of 2026") == []


def test_map_many_matches_map(lexical):
    texts = ["Use Excel", "Work in a team"]
    assert lexical.map_many(texts, top=5) == [lexical.map(t, top=5) for t in texts]


def test_a_2000_word_advert_maps_in_well_under_a_second(lexical):
    bullets = [
        "Use Excel and Word to keep accurate records",
        "Answer customer enquiries by phone and email",
        "Work with colleagues to meet deadlines in a busy office",
        "Handle cash and card payments and balance the till",
        "Write short reports for managers each week",
        "Follow data protection rules when handling personal information",
        "Support residents to book appointments online",
        "Order stock and check deliveries against invoices",
    ]
    teams = [
        "housing", "finance", "libraries", "leisure", "planning", "waste", "parking",
        "highways", "schools", "adult care", "children's services", "parks", "licensing",
        "benefits", "council tax", "registration", "events", "transport", "museums", "markets",
    ]  # fmt: skip
    advert = "\n".join(f"• {b} for the {t} team" for t in teams for b in bullets)
    assert len(advert.split()) >= 2000
    assert len(set(advert.split("\n"))) == 160  # no repeated sentence to lean on a cache
    lexical.clear_cache()
    started = time.process_time()
    matches = lexical.map(advert)
    # 0.9 to 1.3 s of CPU on a machine half as fast as the one the benchmark figures come from;
    # 2 s still fails if mapping a long advert becomes several times slower.
    assert time.process_time() - started < 2.0
    assert "use spreadsheets software" in labels(matches, 20)


def test_keyword_baseline_scores_by_share_of_label_words(esco):
    baseline = get_mapper("keyword")
    assert isinstance(baseline, KeywordBaseline)
    matches = baseline.map("javascript reactjs java", top=20)
    by_label = {m.label: m.score for m in matches}
    assert by_label["JavaScript"] == 1.0
    assert all(0 < m.score <= 1 for m in matches)


def test_get_mapper_caches_and_checks_the_method():
    assert get_mapper("lexical") is get_mapper("lexical")
    assert isinstance(get_mapper("lexical"), LexicalMapper)
    with pytest.raises(ValueError, match="unknown mapping method"):
        get_mapper("magic")


def test_auto_falls_back_to_lexical_without_an_index(tmp_path):
    assert get_mapper("auto", index_dir=tmp_path).name == "lexical"
