"""Synthetic demo data: a believable Sefton scheme with no real people.

Names come from short lists of common UK names; postcodes, LSOAs and wards are real (from the
shipped lookup); evidence is generated to reach a spread of passport levels under the loaded
framework's rules. Everything is deterministic for a given seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from skillspassport.skills.analytics.levels import FrameworkSpec, awards_of

FIRST_NAMES = [
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Evie",
    "Poppy",
    "Ella",
    "Emily",
    "Charlotte",
    "Sophie",
    "Jessica",
    "Chloe",
    "Megan",
    "Lauren",
    "Hannah",
    "Rebecca",
    "Sarah",
    "Laura",
    "Emma",
    "Claire",
    "Karen",
    "Julie",
    "Susan",
    "Margaret",
    "Patricia",
    "Jean",
    "Linda",
    "Barbara",
    "Helen",
    "Joanne",
    "Nicola",
    "Danielle",
    "Oliver",
    "Noah",
    "George",
    "Arthur",
    "Leo",
    "Harry",
    "Oscar",
    "Archie",
    "Henry",
    "Theo",
    "Jack",
    "Charlie",
    "Thomas",
    "Jacob",
    "James",
    "William",
    "Joshua",
    "Daniel",
    "Matthew",
    "Ryan",
    "Liam",
    "Connor",
    "Callum",
    "Jordan",
    "Michael",
    "David",
    "John",
    "Paul",
    "Mark",
    "Stephen",
    "Peter",
    "Andrew",
    "Christopher",
    "Kevin",
    "Gary",
    "Anthony",
    "Brian",
    "Kenneth",
    "Ian",
    "Aisha",
    "Fatima",
    "Priya",
    "Zainab",
    "Kwame",
    "Tariq",
    "Mohammed",
    "Wei",
    "Ling",
    "Oluwaseun",
    "Chidi",
    "Aleksander",
    "Agnieszka",
]
LAST_NAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Chen",
    "Okafor",
    "Nowak",
    "Kowalski",
    "Doherty",
    "McDonald",
    "Quinn",
    "Byrne",
    "Gallagher",
    "Rimmer",
    "Molyneux",
    "Formby",
    "Brennan",
    "Kavanagh",
]
STREETS = [
    "Stanley Road",
    "Linacre Lane",
    "Marsh Lane",
    "Knowsley Road",
    "Hawthorne Road",
    "Derby Road",
    "Oxford Road",
    "Church Road",
    "Lord Street",
    "Liverpool Road",
    "Moor Lane",
    "College Road",
    "Sefton Road",
    "Park Street",
]

VERIFIED_METHODS = ("observed_tutor", "observed_adviser", "course_completion", "qualification")


@dataclass(frozen=True)
class DemoPerson:
    first_name: str
    last_name: str
    date_of_birth: date
    email: str
    phone: str
    address_line_1: str
    town: str
    postcode: str
    preferred_contact: str


def demo_people(
    rng: random.Random, postcodes: Sequence[str], count: int, today: date
) -> Iterator[DemoPerson]:
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        age_days = rng.randint(16 * 365 + 5, 72 * 365)
        contact = rng.choices(["email", "phone", "text", "post"], weights=[4, 3, 3, 1])[0]
        has_email = contact == "email" or rng.random() < 0.5
        yield DemoPerson(
            first_name=first,
            last_name=last,
            date_of_birth=today - timedelta(days=age_days),
            email=f"{first}.{last}.{index}@example.org".lower() if has_email else "",
            # Ofcom reserves 07700 900000 to 900999 for drama: never a real number.
            phone=f"07700 900{index % 1000:03d}",
            address_line_1=f"{rng.randint(1, 240)} {rng.choice(STREETS)}",
            town="Bootle" if rng.random() < 0.5 else "Southport",
            postcode=rng.choice(postcodes),
            preferred_contact=contact,
        )


def evidence_plan(
    rng: random.Random,
    framework: FrameworkSpec,
    rules: Mapping[str, Any],
    target: str,
    *,
    extra: int = 2,
) -> tuple[list[str], list[str]]:
    """Descriptor codes whose verified evidence reaches `target` overall (an award code or "").

    Returns (needed, extra): the `needed` codes take each strand to the target, sometimes one
    award more; `extra` further codes give partial progress towards the next level (the demo
    records some of those as self-assessed, which do not count by default).
    """
    awards = awards_of(rules)
    target_rank = awards.index(target) if target else -1
    chosen: set[str] = set()
    by_area: dict[str, list[str]] = {}
    for d in framework.descriptors.values():
        by_area.setdefault(d.area, []).append(d.code)
    for strand_code, per_award in rules["strands"].items():
        strand = framework.strands[strand_code]
        rank = min(target_rank + (1 if rng.random() < 0.2 else 0), len(awards) - 1)
        for award in awards[: rank + 1]:
            for req in per_award.get(award, []):
                for area in req["areas"]:
                    if req["require"] == "all":
                        chosen.update(
                            c
                            for c in by_area[area]
                            if framework.descriptors[c].level == req["level"]
                        )
                    else:
                        floor = strand.rank(req["min_level"])
                        pool = [
                            c
                            for c in by_area[area]
                            if strand.rank(framework.descriptors[c].level) >= floor
                        ]
                        chosen.update(rng.sample(pool, min(int(req.get("count", 1)), len(pool))))
    remaining = sorted(set(framework.descriptors) - chosen)
    return sorted(chosen), sorted(rng.sample(remaining, min(extra, len(remaining))))


# How often the demo aims a resident at no level, Bronze, Silver and Gold overall.
DEMO_TARGET_WEIGHTS = (30, 35, 25, 10)


def pick_target(rng: random.Random, weights: Sequence[int] = DEMO_TARGET_WEIGHTS) -> str:
    return rng.choices(["", "bronze", "silver", "gold"], weights=weights)[0]
