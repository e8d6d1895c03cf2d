"""Checking advert text, splitting it into segments, and turning words into match terms.

`check_advert_text` is the gate in front of every mapper: it refuses empty text, text over
100 KB and text that does not look like English, with a message fit to show the employer.

The English check is a simple, explainable heuristic (no language model):

1. at least 80% of the letters must be Latin letters (refuses Chinese, Arabic, Cyrillic …);
2. accented Latin letters (é, ł, ŵ …) must be under 4% of the letters — English adverts have
   the odd "café", French, Polish and Welsh have far more;
3. the share of common French, Polish, Welsh, German or Spanish function words ("vous",
   "oraz", "gyda", "und", "para" …) must not reach 8% of the words while beating the share of
   English function words ("the", "and", "with" …).

A short English skills list ("javascript reactjs java") has no function words at all and
passes; only positive signs of another language refuse text.
"""

from __future__ import annotations

import re
import unicodedata

MAX_BYTES = 100_000  # 100 KB of UTF-8

FOREIGN_SHARE = 0.08
ACCENTED_SHARE = 0.04
LATIN_SHARE = 0.80


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


class AdvertTextError(ValueError):
    """Advert text the mapper will not take; `message` is written for the employer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


ENGLISH_WORDS = _wordset(
    """a an the and or but of to in on at by for with from as is are was were be been will
    would can could should must may you your we our us they their it its this that these those
    who which what when where how have has had do does not no if about into over than then
    all any some such also other more most very"""
)

FOREIGN_WORDS: dict[str, frozenset[str]] = {
    "French": _wordset(
        """le la les des du et est pour une un vous nous dans avec sur au aux qui que être sont
        votre notre nos vos ce cette ou par pas poste nous êtes avez expérience"""
    ),
    "Polish": _wordset(
        """się jest oraz dla na w z do nie że jako lub od po przez pracy będzie który które
        oferujemy wymagania doświadczenie zespołu"""
    ),
    "Welsh": _wordset(
        """yn yr mae gyda ein eich bydd fydd ydych rydym ac neu ar sydd hefyd swydd gwaith ym
        y chi ni hwn hon"""
    ),
    "German": _wordset(
        """und der die das mit für wir sie ist ein eine zu von den im auf bei oder nicht sich
        ihre unser"""
    ),
    "Spanish": _wordset(
        """el los las y de en con para por una es del que nuestro experiencia se su"""
    ),
}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")


def check_advert_text(text: str) -> str:
    """Return the advert text cleaned (NFKC, no control characters, tidy spaces) or raise."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise AdvertTextError(
            "The job advert text must be 100 KB or less: paste the job description and the "
            "skills it asks for, not the whole web page"
        )
    cleaned = unicodedata.normalize("NFKC", text)
    cleaned = _CONTROL.sub(" ", cleaned.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in cleaned.split("\n")]
    cleaned = "\n".join(lines).strip()
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned)
    if not cleaned:
        raise AdvertTextError("Enter the job advert text")
    if not looks_english(cleaned):
        raise AdvertTextError(
            "The job advert text must be in English: skills can only be suggested from "
            "adverts written in English"
        )
    return cleaned


def looks_english(text: str) -> bool:
    """The heuristic in this module's docstring."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        # Digits and punctuation only: nothing to map, but nothing foreign either.
        return True
    latin = sum(1 for ch in letters if _is_latin(ch))
    if latin / len(letters) < LATIN_SHARE:
        return False
    accented = sum(1 for ch in letters if _is_latin(ch) and not ch.isascii())
    if accented / len(letters) >= ACCENTED_SHARE:
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return True
    english = sum(1 for w in words if w in ENGLISH_WORDS) / len(words)
    for vocabulary in FOREIGN_WORDS.values():
        foreign = sum(1 for w in words if w in vocabulary) / len(words)
        if foreign >= FOREIGN_SHARE and foreign > english:
            return False
    return True


def _is_latin(ch: str) -> bool:
    if ch.isascii():
        return True
    try:
        return unicodedata.name(ch).startswith("LATIN ")
    except ValueError:
        return False


# --- segments ------------------------------------------------------------------------------

_BULLET = re.compile(r"(?:^|\s)[\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2219*\u2013-]\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+(?=[A-Z(\"'\u2018\u201c\u2022*])")
MAX_SEGMENT_WORDS = 60


def split_segments(text: str) -> list[str]:
    """Split advert text into lines, bullets and sentences; long runs are cut into ~60 words."""
    segments: list[str] = []
    for line in text.split("\n"):
        for bullet in _BULLET.split(line):
            for sentence in _SENTENCE_END.split(bullet):
                words = sentence.split()
                for start in range(0, len(words), MAX_SEGMENT_WORDS):
                    piece = " ".join(words[start : start + MAX_SEGMENT_WORDS]).strip(" .,;:")
                    if any(ch.isalpha() for ch in piece):
                        segments.append(piece)
    return segments


# --- terms ---------------------------------------------------------------------------------

# Words that say how much of a skill is wanted, not which skill: dropped on both sides.
ADVERT_FILLER = _wordset(
    """experience experienced knowledge ability abilities able skill skills skilled strong
    good great excellent proven understanding proficiency proficient required requirement
    requirements essential desirable preferred ideally plus including include includes
    candidate candidates role job position opportunity looking seeking ideal successful
    year years demonstrable demonstrated solid sound familiarity familiar working knowledge
    eg e.g etc i.e ie using use used"""
)

STOP_WORDS = (
    ENGLISH_WORDS
    | ADVERT_FILLER
    | _wordset(
        """i me my he she him her his them there here so up out just only own same too both each
    few nor s t don now being am did doing having etc per via within across well new"""
    )
)

# Common acronyms in adverts, written out the way ESCO labels say them. Only expanded when the
# advert writes them in capitals (so "it" the pronoun is not "IT").
ACRONYMS: dict[str, str] = {
    "IT": "ICT information technology",
    "ICT": "ICT information communication technology",
    "AI": "artificial intelligence",
    "ML": "machine learning",
    "NLP": "natural language processing",
    "UX": "user experience",
    "UI": "user interface",
    "QA": "quality assurance",
    "CI": "continuous integration",
    "CD": "continuous delivery",
    "OOP": "object-oriented programming",
    "CRM": "customer relationship management",
    "ERP": "enterprise resource planning",
    "GDPR": "data protection",
    "SEO": "search engine optimisation",
    "MS": "Microsoft",
    "HR": "human resources",
    "KPI": "key performance indicators",
    "KPIS": "key performance indicators",
    "PM": "project management",
    "BI": "business intelligence",
    "DB": "database",
    "DBS": "databases",
    "OS": "operating system",
    "API": "application programming interface",
    "APIS": "application programming interface",
    "SAAS": "software as a service",
    "PAAS": "platform as a service",
    "AWS": "Amazon Web Services cloud",
    "GCP": "Google cloud",
    "TDD": "test-driven development",
    "BDD": "behaviour-driven development",
    "ETL": "extract transform load",
    "PPE": "personal protective equipment",
    "H&S": "health and safety",
    "CSCS": "construction health and safety",
    "HGV": "heavy goods vehicle",
    "EPOS": "point of sale",
    "POS": "point of sale",
    "CAD": "computer-aided design",
}

# Products adverts name for an everyday skill, written the way ESCO labels the skill. Only
# expanded when capitalised ("Excel", not "excel in").
PRODUCTS: dict[str, str] = {
    "Excel": "spreadsheets software",
    "PowerPoint": "presentation software",
    "Outlook": "emails",
    "Gmail": "emails",
    "SharePoint": "online tools to collaborate",
    "Word": "word processing software",
}

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#]*(?:[.&'][A-Za-z0-9+#]+)*[+#]*")


def tokens(text: str) -> list[str]:
    """Raw word tokens, keeping C++, C#, Node.js and ASP.NET whole."""
    return _TOKEN.findall(text)


def stem(word: str) -> str:
    """A light suffix stripper: enough to meet "managing", "manage", "manages", "manager"."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or not w.isalpha():
        return w
    w = w.replace("isation", "ization").replace("ising", "izing").replace("ise", "ize")
    w = w.replace("yse", "yze").replace("ysis", "yz")
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "xes", "ches", "shes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    for suffix, keep, replace in (
        ("ing", 3, ""),
        ("ed", 3, ""),
        ("ation", 4, "at"),  # communication, communicate -> communicat
        ("ion", 4, ""),
        ("er", 4, ""),
        ("ly", 4, ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= keep:
            w = w[: -len(suffix)] + replace
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "ls":
        w = w[:-1]
    return w


def terms(text: str, *, expand_acronyms: bool = True) -> list[str]:
    """Stemmed content terms of a text in order (stop words and filler dropped)."""
    out: list[str] = []
    for raw in tokens(text):
        if expand_acronyms and raw.isupper() and raw.upper() in ACRONYMS and len(raw) > 1:
            out.extend(terms(ACRONYMS[raw.upper()], expand_acronyms=False))
            out.append(raw.lower())
            continue
        if expand_acronyms and raw in PRODUCTS:
            out.extend(terms(PRODUCTS[raw], expand_acronyms=False))
            out.append(raw.lower())
            continue
        low = raw.lower()
        if low in STOP_WORDS:
            continue
        if "." in low and low.replace(".", "").isalpha():
            # "node.js" also matches "nodejs"; "asp.net" keeps its own term too.
            out.append(low.replace(".", ""))
            continue
        out.append(stem(low))
    return out
