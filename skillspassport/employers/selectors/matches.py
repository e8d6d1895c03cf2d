"""Matching residents to opportunities, and opportunities to a resident."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from skillspassport.accounts.models import User
from skillspassport.areas.models import Postcode
from skillspassport.employers.analytics import matching
from skillspassport.employers.models import STRANDS, Opportunity, Referral, ReferralStatus
from skillspassport.employers.selectors.access import put_forward
from skillspassport.employers.selectors.referrals import referrals_seen_by
from skillspassport.employers.selectors.words import framework_words
from skillspassport.people.models import ConsentPurpose, ConsentRecord, Resident
from skillspassport.skills.models import Evidence, EvidenceMethod, PassportLevel


def _locations(postcodes: Iterable[str]) -> dict[str, tuple[float, float]]:
    return {
        code: (lat, lon)
        for code, lat, lon in Postcode.objects.filter(
            postcode__in=set(postcodes), latitude__isnull=False, longitude__isnull=False
        ).values_list("postcode", "latitude", "longitude")
        if lat is not None and lon is not None
    }


def opportunity_profile(opportunity: Opportunity) -> matching.Opportunity:
    areas: frozenset[str] = frozenset()
    if opportunity.role_id:
        areas = frozenset(opportunity.role.needs.values_list("area_code", flat=True))  # type: ignore[union-attr]
    location = None
    if opportunity.site_id:
        location = _locations([opportunity.site.postcode]).get(opportunity.site.postcode)  # type: ignore[union-attr]
    minimum = {s: level for s, level in opportunity.minimum_levels().items() if level}
    return matching.Opportunity(opportunity.pk, minimum, areas, location)


def resident_profiles(residents: QuerySet[Resident]) -> list[matching.ResidentProfile]:
    """Profiles (levels, evidenced skill areas, location, consent) for a set of residents.

    Four queries whatever the number of residents.
    """
    rows = list(residents.values_list("pk", "postcode"))
    ids = [pk for pk, _ in rows]
    levels: dict[int, dict[str, str]] = defaultdict(dict)
    for rid, strand, level in PassportLevel.objects.filter(
        resident_id__in=ids, strand_code__in=STRANDS
    ).values_list("resident_id", "strand_code", "level"):
        levels[rid][strand] = level
    areas: dict[int, set[str]] = defaultdict(set)
    for rid, area in (
        Evidence.objects.filter(resident_id__in=ids, withdrawn_at__isnull=True)
        .exclude(method=EvidenceMethod.SELF_ASSESSED)
        .values_list("resident_id", "descriptor__area__code")
        .distinct()
    ):
        areas[rid].add(area)
    consenting = set(
        ConsentRecord.objects.active()
        .filter(resident_id__in=ids, purpose=ConsentPurpose.PUT_FORWARD)
        .values_list("resident_id", flat=True)
    )
    places = _locations(pc for _, pc in rows if pc)
    return [
        matching.ResidentProfile(
            pk, levels[pk], frozenset(areas[pk]), places.get(postcode), pk in consenting
        )
        for pk, postcode in rows
    ]


def _at_least(strand: str, minimum: str) -> Q:
    allowed = [lvl for lvl in matching.LEVELS if matching.RANK[lvl] >= matching.RANK[minimum]]
    return Q(
        Exists(
            PassportLevel.objects.filter(
                resident=OuterRef("pk"), strand_code=strand, level__in=allowed
            )
        )
    )


@dataclass(frozen=True)
class RankedResident:
    resident: Resident
    match: matching.Match


def matches_for_opportunity(
    *, user: User, opportunity: Opportunity, limit: int = 50
) -> tuple[list[RankedResident], int]:
    """Qualifying residents the user may see who take part in the scheme and consented to be
    put forward, best first, and how many there are in all. Residents already referred are
    left out."""
    profile = opportunity_profile(opportunity)
    residents = (
        Resident.objects.visible_to(user)
        .filter(put_forward("pk"))
        .filter(
            Exists(
                ConsentRecord.objects.active().filter(
                    resident=OuterRef("pk"), purpose=ConsentPurpose.SCHEME
                )
            )
        )
        .exclude(
            pk__in=Referral.objects.filter(opportunity=opportunity)
            .exclude(status=ReferralStatus.WITHDRAWN)
            .values("resident_id")
        )
    )
    for strand, minimum in profile.minimum.items():
        residents = residents.filter(_at_least(strand, minimum))
    index = matching.ResidentIndex.build(resident_profiles(residents), STRANDS)
    top = index.qualifying(profile, limit=limit)
    people = Resident.objects.in_bulk([m.resident_id for m in top])
    return [RankedResident(people[m.resident_id], m) for m in top], len(index)


@dataclass(frozen=True)
class OpportunityMatch:
    opportunity: Opportunity
    match: matching.Match


def opportunities_for_resident(
    *, resident: Resident, today: date | None = None
) -> tuple[list[OpportunityMatch], list[OpportunityMatch]]:
    """Open opportunities in the resident's scheme: those they qualify for now and those one
    step away (with what they would need), nearest first."""
    today = today or timezone.localdate()
    council = resident.organisation.scheme_council
    open_ones = list(
        Opportunity.objects.open_on(today)
        .filter(employer__council=council)
        .select_related("employer", "site", "role")
        .prefetch_related("role__needs")
    )
    (profile,) = resident_profiles(Resident.objects.filter(pk=resident.pk))
    places = _locations(o.site.postcode for o in open_ones if o.site)
    offers = [
        matching.Opportunity(
            o.pk,
            {s: lvl for s, lvl in o.minimum_levels().items() if lvl},
            frozenset(n.area_code for n in o.role.needs.all()) if o.role else frozenset(),
            places.get(o.site.postcode) if o.site else None,
        )
        for o in open_ones
    ]
    by_id = {o.pk: o for o in open_ones}
    now, next_step = matching.for_resident(profile, offers)
    return (
        [OpportunityMatch(by_id[m.opportunity_id], m) for m in now],
        [OpportunityMatch(by_id[m.opportunity_id], m) for m in next_step],
    )


@dataclass(frozen=True)
class OpportunityPage:
    needs: list[str]  # the skill areas the role values, in plain words
    is_open: bool
    referrals: list[Referral]  # as the user sees them (`referrals_seen_by`)
    matches: list[RankedResident]  # empty unless asked for
    match_total: int


def opportunity_page(
    *, user: User, opportunity: Opportunity, as_staff: bool, with_matches: bool, today: date
) -> OpportunityPage:
    """What an opportunity's page shows the user (who reached it through
    `opportunity_get_for_user`); the best 25 matches only `with_matches` (staff who refer)."""
    words = framework_words(organisation=opportunity.employer)
    needs = [
        words.need(n.area_code, n.strand, n.level)
        for n in (opportunity.role.needs.all() if opportunity.role else [])
    ]
    referrals = list(
        referrals_seen_by(user=user, employer=opportunity.employer, as_staff=as_staff).filter(
            opportunity=opportunity
        )
    )
    ranked: list[RankedResident] = []
    total = 0
    if as_staff and with_matches:
        ranked, total = matches_for_opportunity(user=user, opportunity=opportunity, limit=25)
    return OpportunityPage(
        needs=needs,
        is_open=opportunity.is_open_on(today),
        referrals=referrals,
        matches=ranked,
        match_total=total,
    )
