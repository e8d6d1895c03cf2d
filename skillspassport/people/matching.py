"""Whether two residents' details look like the same person: a weighted rule, no Django.

Modelled on CiviCRM's dedupe rule groups: each field compared adds a weight when it matches
(more for an exact match, less for a near one), and a pair whose total reaches `THRESHOLD` is a
possible duplicate. A name alone never reaches it: it takes a name and a date of birth, or a
name, a near date of birth and the postcode, or an email address or a phone number.

| field | exact | near |
| --- | --- | --- |
| first name | 10 | 8 a nickname (Kev / Kevin), 7 a typo, 4 an initial |
| last name | 10 | 8 a typo, 7 one part of a double-barrelled name |
| date of birth | 10 | 8 day and month swapped, 6 one digit wrong or two digits swapped |
| postcode | 5 | 2 the same postcode sector |
| email address | 26 | |
| phone number | 26 | |

Typos are measured with Jaro-Winkler similarity (which forgives a slip near the end of a name
more than near the start) and Damerau-Levenshtein distance (one letter added, lost, changed or
two swapped; two in a name of seven letters or more); nicknames come from the `nicknames`
package's hand-curated English list, and a nickname of a spelling counts (Kate: Katherine, so
Catherine). The figures on demo data and on written variants are in docs/benchmarks.md
("Duplicate check").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from nicknames import NickNamer
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

THRESHOLD = 26

FIRST_EXACT, FIRST_NICKNAME, FIRST_TYPO, FIRST_INITIAL = 10, 8, 7, 4
LAST_EXACT, LAST_TYPO, LAST_PART = 10, 8, 7
DOB_EXACT, DOB_SWAPPED, DOB_ONE_DIGIT = 10, 8, 6
POSTCODE_EXACT, POSTCODE_SECTOR = 5, 2
EMAIL_EXACT = PHONE_EXACT = 26

# Jaro-Winkler similarity from which two names count as one misspelt.
NAME_SIMILARITY = 0.9


@dataclass(frozen=True)
class Person:
    """The details compared. Names as typed; `postcode` normalised ("L20 3AB"); `email` and
    `phone` as keys (casefolded email, phone digits with a leading 0)."""

    first_name: str
    last_name: str
    date_of_birth: date | None
    postcode: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Match:
    score: int
    reasons: tuple[str, ...]

    @property
    def is_duplicate(self) -> bool:
        return self.score >= THRESHOLD


def email_key(email: str) -> str:
    return email.strip().casefold()


def phone_key(phone: str) -> str:
    """Digits only, with a UK +44 prefix turned into a leading 0."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("44") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits


def fold(name: str) -> str:
    """A name for comparing: lower case, letters only, parts separated by single spaces."""
    return " ".join(re.sub(r"[^a-z\s-]", "", name.casefold()).replace("-", " ").split())


@lru_cache(maxsize=1)
def _namer() -> NickNamer:
    return NickNamer()


@lru_cache(maxsize=4096)
def name_family(name: str) -> frozenset[str]:
    """A first name with its nicknames and the names it is a nickname of (folded)."""
    namer = _namer()
    family = {name} | namer.nicknames_of(name) | namer.canonicals_of(name)
    for canonical in namer.canonicals_of(name):
        family |= namer.nicknames_of(canonical)
    return frozenset(family)


def _is_typo(one: str, other: str) -> bool:
    if min(len(one), len(other)) < 3:
        return False
    if JaroWinkler.similarity(one, other) >= NAME_SIMILARITY:
        return True
    shortest = min(len(one), len(other))
    allowed = 2 if shortest >= 7 else 1 if shortest >= 5 else 0
    return DamerauLevenshtein.distance(one, other) <= allowed


def _is_short_form(one: str, other: str) -> bool:
    """One name is a nickname of the other, or of a spelling of it (Kate: Katherine, so
    Catherine)."""
    if other in name_family(one) or one in name_family(other):
        return True
    return any(
        _is_typo(relative, other) for relative in name_family(one) if len(relative) >= 5
    ) or any(_is_typo(relative, one) for relative in name_family(other) if len(relative) >= 5)


def compare_first_names(one: str, other: str) -> tuple[int, str]:
    one, other = fold(one), fold(other)
    if not one or not other:
        return 0, ""
    if one == other:
        return FIRST_EXACT, "same first name"
    first_one, first_other = one.split()[0], other.split()[0]
    if first_one == first_other:
        return FIRST_EXACT, "same first name"
    if _is_short_form(first_one, first_other):
        return FIRST_NICKNAME, "first name may be a short form"
    if _is_typo(first_one, first_other):
        return FIRST_TYPO, "first name nearly the same"
    if (len(first_one) == 1 or len(first_other) == 1) and first_one[0] == first_other[0]:
        return FIRST_INITIAL, "same first initial"
    return 0, ""


def compare_last_names(one: str, other: str) -> tuple[int, str]:
    one, other = fold(one), fold(other)
    if not one or not other:
        return 0, ""
    if one.replace(" ", "") == other.replace(" ", ""):
        return LAST_EXACT, "same last name"
    if _is_typo(one.replace(" ", ""), other.replace(" ", "")):
        return LAST_TYPO, "last name nearly the same"
    parts_one, parts_other = set(one.split()), set(other.split())
    if (len(parts_one) > 1 or len(parts_other) > 1) and parts_one & parts_other:
        return LAST_PART, "last names share a part"
    return 0, ""


def _digits(day: date) -> str:
    return f"{day.day:02d}{day.month:02d}{day.year:04d}"


def compare_dates_of_birth(one: date | None, other: date | None) -> tuple[int, str]:
    if one is None or other is None:
        return 0, ""
    if one == other:
        return DOB_EXACT, "same date of birth"
    if one.year == other.year and (one.day, one.month) == (other.month, other.day):
        return DOB_SWAPPED, "date of birth with day and month swapped"
    if DamerauLevenshtein.distance(_digits(one), _digits(other)) <= 1:
        return DOB_ONE_DIGIT, "date of birth one digit different"
    return 0, ""


def dates_of_birth_near(day: date) -> set[date]:
    """Every real date that `compare_dates_of_birth` scores against `day` (for blocking)."""
    text = _digits(day)
    variants = {text}
    for index in range(len(text)):
        for digit in "0123456789":
            variants.add(text[:index] + digit + text[index + 1 :])
        if index + 1 < len(text):
            variants.add(text[:index] + text[index + 1] + text[index] + text[index + 2 :])
    variants.add(f"{day.month:02d}{day.day:02d}{day.year:04d}")
    found = set()
    for variant in variants:
        try:
            found.add(date(int(variant[4:]), int(variant[2:4]), int(variant[:2])))
        except ValueError:
            continue
    return found


def _sector(postcode: str) -> str:
    """The postcode sector, "L20 3" of "L20 3AB" (blank for a postcode not normalised)."""
    return postcode[:-2] if " " in postcode and len(postcode) >= 6 else ""


def compare_postcodes(one: str, other: str) -> tuple[int, str]:
    if not one or not other:
        return 0, ""
    if one == other:
        return POSTCODE_EXACT, "same postcode"
    if _sector(one) and _sector(one) == _sector(other):
        return POSTCODE_SECTOR, "nearby postcode"
    return 0, ""


def compare(new: Person, existing: Person) -> Match:
    """How alike two people's details are, and why."""
    scored = [
        compare_first_names(new.first_name, existing.first_name),
        compare_last_names(new.last_name, existing.last_name),
        compare_dates_of_birth(new.date_of_birth, existing.date_of_birth),
        compare_postcodes(new.postcode, existing.postcode),
    ]
    if new.email and new.email == existing.email:
        scored.append((EMAIL_EXACT, "same email address"))
    if new.phone and new.phone == existing.phone:
        scored.append((PHONE_EXACT, "same phone number"))
    return Match(
        score=sum(weight for weight, _reason in scored),
        reasons=tuple(reason for weight, reason in scored if weight),
    )


def best_matches(
    new: Person, candidates: Iterable[tuple[object, Person]], limit: int = 5
) -> list[tuple[object, Match]]:
    """The candidates (key, details) that may be `new`, most alike first, at most `limit`."""
    found = [(key, compare(new, person)) for key, person in candidates]
    duplicates = [(key, match) for key, match in found if match.is_duplicate]
    duplicates.sort(key=lambda pair: -pair[1].score)
    return duplicates[:limit]
