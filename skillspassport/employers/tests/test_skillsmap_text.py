"""check_advert_text, segment splitting and terms: small worked examples."""

import pytest

from skillspassport.employers.skillsmap import AdvertTextError, check_advert_text
from skillspassport.employers.skillsmap.text import split_segments, stem, terms


def test_cleans_and_returns_english_text():
    assert check_advert_text("  Care assistant\r\n\r\n\r\n\r\n  Use   email daily \x07 ") == (
        "Care assistant\n\nUse email daily"
    )


@pytest.mark.parametrize("text", ["", "   \n\t  ", "\x00\x01"])
def test_refuses_empty_text(text):
    with pytest.raises(AdvertTextError) as caught:
        check_advert_text(text)
    assert caught.value.message == "Enter the job advert text"


def test_refuses_text_over_100_kb():
    with pytest.raises(AdvertTextError) as caught:
        check_advert_text("Use spreadsheets at work. " * 4000)  # 104,000 bytes
    assert "100 KB" in caught.value.message


def test_the_limit_is_in_utf8_bytes():
    text = "£" * 50_001  # 50,001 characters, 100,002 bytes
    with pytest.raises(AdvertTextError, match="100 KB"):
        check_advert_text(text)


@pytest.mark.parametrize(
    "text",
    [
        # French
        (
            "Nous recherchons un assistant administratif pour notre équipe. Vous serez chargé de "
            "la gestion des dossiers et de l'accueil des clients."
        ),
        # Polish
        (
            "Poszukujemy pracownika biurowego do naszego zespołu. Wymagania: znajomość pakietu "
            "MS Office oraz doświadczenie w obsłudze klienta."
        ),
        # Welsh
        (
            "Rydym yn chwilio am gynorthwyydd gweinyddol i ymuno â'n tîm. Bydd angen i chi ateb y "
            "ffôn a chadw cofnodion yn gywir."
        ),
        # Chinese
        "我们正在寻找一名行政助理负责接听电话整理文件和使用电子表格软件",
        # a short French line
        "Développeur Java confirmé, télétravail possible",
    ],
)
def test_refuses_text_that_is_not_english(text):
    with pytest.raises(AdvertTextError) as caught:
        check_advert_text(text)
    assert caught.value.message.startswith("The job advert text must be in English")


@pytest.mark.parametrize(
    "text",
    [
        "javascript reactjs java",
        "java spring java-ee",
        "Care assistant needed in Bootle. You will support residents with daily tasks.",
        "Barista wanted for our café: experience with coffee machines and cash handling.",
        "C++ / C# / SQL",
    ],
)
def test_accepts_english_text_and_skill_lists(text):
    assert check_advert_text(text)


def test_splits_lines_bullets_and_sentences():
    text = (
        "Office administrator\n"
        "• Answer the phone • Keep records. Use Excel daily\n"
        "- Work in a team; meet deadlines"
    )
    assert split_segments(text) == [
        "Office administrator",
        "Answer the phone",
        "Keep records",
        "Use Excel daily",
        "Work in a team; meet deadlines",
    ]


def test_cuts_long_runs_of_words():
    segments = split_segments(" ".join(["word"] * 130))
    assert [len(s.split()) for s in segments] == [60, 60, 10]


def test_stemming_meets_word_forms():
    assert stem("managing") == stem("manage") == stem("manages")
    assert stem("communication") == stem("communicate") == stem("communicating")
    assert stem("organisation") == stem("organization")


def test_terms_drop_filler_and_expand_capitalised_acronyms():
    assert terms("Experience of QA") == [*terms("quality assurance"), "qa"]
    # "it" the pronoun is a stop word; "IT" the acronym is written out.
    assert "ict" not in terms("make it work")
    assert "ict" in terms("IT support")
    assert terms("Node.js and C++") == ["nodejs", "c++"]
