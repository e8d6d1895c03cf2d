"""Demand against supply: the skill areas employers' roles need, against residents' evidence."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from skillspassport.accounts.access import choose_council_id
from skillspassport.accounts.models import Organisation
from skillspassport.areas.models import Ward
from skillspassport.core import disclosure
from skillspassport.employers.models import JobRole, Opportunity, RoleNeed
from skillspassport.people.models import Resident
from skillspassport.skills.models import Evidence, EvidenceMethod, SkillArea
from skillspassport.skills.selectors import rule_set_for_organisation


@dataclass(frozen=True)
class DemandRow:
    strand: str
    area_code: str
    area_name: str
    roles: int  # roles needing the area
    places: int  # places in open opportunities for those roles
    residents: int | str  # residents with verified evidence in the area (small counts hidden)


def scheme_wards(*, council_ids: Collection[int]) -> list[tuple[str, str]]:
    codes = Organisation.objects.filter(id__in=council_ids).values_list(
        "local_authority_code", flat=True
    )
    return list(
        Ward.objects.filter(local_authority_id__in=list(codes))
        .order_by("name")
        .values_list("code", "name")
    )


def demand_and_supply(
    *, council_ids: Collection[int], sector: str = "", ward: str = "", today: date | None = None
) -> list[DemandRow]:
    """By framework skill area: how many employer roles need it (and open places for them),
    against how many residents of the scheme hold verified evidence in it. Optionally only
    employers in a sector, and only employers with a site in / residents living in a ward."""
    today = today or timezone.localdate()
    roles = JobRole.objects.filter(employer__council_id__in=council_ids)
    if sector:
        roles = roles.filter(employer__employer_profile__sector=sector)
    if ward:
        roles = roles.filter(employer__employer_sites__ward_id=ward)
    needs = RoleNeed.objects.filter(role__in=roles.values("pk"))
    role_counts = Counter(code for code, _ in needs.values_list("area_code", "role_id").distinct())
    places: Counter[str] = Counter()
    for code, opportunity_places in (
        Opportunity.objects.open_on(today)
        .filter(role__in=roles.values("pk"))
        .values_list("role__needs__area_code", "places")
    ):
        if code:
            places[code] += opportunity_places
    residents = Resident.objects.filter(
        Q(organisation_id__in=council_ids) | Q(organisation__council_id__in=council_ids)
    )
    if ward:
        residents = residents.filter(ward_id=ward)
    held = Counter(
        code
        for code, _ in Evidence.objects.filter(
            resident__in=residents.values("pk"), withdrawn_at__isnull=True
        )
        .exclude(method=EvidenceMethod.SELF_ASSESSED)
        .values_list("descriptor__area__code", "resident_id")
        .distinct()
    )
    council_id = choose_council_id(council_ids)
    if council_id is None:
        return []
    council = Organisation.objects.get(pk=council_id)
    framework = rule_set_for_organisation(organisation=council).framework
    framework_areas = (
        SkillArea.objects.filter(strand__framework=framework)
        .select_related("strand")
        .order_by("strand__position", "position")
    )
    return [
        DemandRow(
            area.strand.code,
            area.code,
            area.name,
            role_counts[area.code],
            places[area.code],
            disclosure.people_count(held[area.code]),
        )
        for area in framework_areas
    ]
