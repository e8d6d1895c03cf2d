"""Reads about employers, opportunities, matches and referrals — and who may see them.

Two kinds of user reach these pages:

- scheme staff (advisers, administrators) who hold MANAGE_EMPLOYERS or REFER_RESIDENTS in an
  organisation of a council's scheme see that scheme's employers, and the residents they may
  see anyway (`Resident.objects.visible_to`);
- employer contacts (EMPLOYER_PORTAL) see their own employer, and about residents only what
  a referral to one of their opportunities carries. They never see matches.

Every object is fetched through one `*_get_for_user` function that raises Http404 for an
object the user has no business with, so guessing ids reveals nothing.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from skillspassport.accounts.access import choose_council_id, scope_for
from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.accounts.roles import Capability
from skillspassport.areas.models import Postcode, Ward
from skillspassport.core import disclosure
from skillspassport.employers.analytics import matching
from skillspassport.employers.models import (
    STRANDS,
    JobRole,
    Opportunity,
    OpportunityType,
    Pledge,
    Referral,
    ReferralStatus,
    RoleNeed,
    Site,
    SustainmentCheck,
)
from skillspassport.people.models import ConsentPurpose, ConsentRecord, Resident
from skillspassport.skills.models import (
    Evidence,
    EvidenceMethod,
    PassportLevel,
    ScaleStep,
    SkillArea,
)
from skillspassport.skills.selectors import rule_set_for_organisation

STAFF_CAPABILITIES = (Capability.MANAGE_EMPLOYERS, Capability.REFER_RESIDENTS)


# --- Who may see which employer -------------------------------------------------------------


def scheme_council_ids(*, user: User, capabilities: Iterable[Capability]) -> frozenset[int]:
    """The councils whose schemes the user works in with any of `capabilities`."""
    return scope_for(user, *capabilities).council_ids


def employers_for_staff(*, user: User) -> QuerySet[Organisation]:
    councils = scheme_council_ids(user=user, capabilities=STAFF_CAPABILITIES)
    return Organisation.objects.filter(
        kind=OrganisationKind.EMPLOYER, council_id__in=councils
    ).select_related("employer_profile")


def own_employer_ids(*, user: User) -> frozenset[int]:
    """Employers the user acts for as an employer contact (employer organisations only: a
    council administrator holds every capability in the council, which is not an employer)."""
    return (
        scope_for(user, Capability.EMPLOYER_PORTAL)
        .of_kinds(OrganisationKind.EMPLOYER)
        .organisation_ids
    )


def own_employers(*, user: User) -> QuerySet[Organisation]:
    """The employers the user acts for as an employer contact, by name."""
    return Organisation.objects.filter(id__in=own_employer_ids(user=user)).select_related(
        "employer_profile"
    )


def pledges_of(*, employers: Iterable[Organisation]) -> QuerySet[Pledge]:
    """The compact pledges of employers already fetched for the user."""
    return Pledge.objects.filter(employer__in=list(employers)).select_related("employer")


def sites_of(*, employer: Organisation) -> QuerySet[Site]:
    return Site.objects.filter(employer=employer)


def open_opportunities_of(
    *, employers: Iterable[Organisation] | QuerySet[Organisation], today: date
) -> QuerySet[Opportunity]:
    """Open opportunities of the given employers, with how many people were referred to each
    (withdrawn referrals left out)."""
    return (
        Opportunity.objects.open_on(today)
        .filter(employer__in=employers)
        .select_related("employer", "site")
        .annotate(
            referred=Count("referrals", filter=~Q(referrals__status=ReferralStatus.WITHDRAWN))
        )
    )


def open_opportunity_counts(*, employers: Iterable[Organisation], today: date) -> dict[int, int]:
    """Employer id -> how many of its opportunities are open."""
    return dict(
        Opportunity.objects.open_on(today)
        .filter(employer__in=list(employers))
        .values_list("employer")
        .annotate(n=Count("id"))
    )


@dataclass(frozen=True)
class EmployerAccess:
    employer: Organisation
    as_staff: bool  # scheme staff (may see matches and refer); else the employer's own contact


def employer_get_for_user(*, user: User, employer_id: int | str) -> EmployerAccess:
    try:
        employer = Organisation.objects.select_related("employer_profile", "council").get(
            pk=int(employer_id), kind=OrganisationKind.EMPLOYER
        )
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such employer") from exc
    if employer.pk in own_employer_ids(user=user):
        return EmployerAccess(employer, as_staff=False)
    councils = scheme_council_ids(user=user, capabilities=STAFF_CAPABILITIES)
    if employer.council_id in councils:
        return EmployerAccess(employer, as_staff=True)
    raise Http404("No such employer")


def opportunity_get_for_user(*, user: User, opportunity_id: int | str) -> tuple[Opportunity, bool]:
    """The opportunity and whether the user sees it as scheme staff."""
    try:
        opportunity = Opportunity.objects.select_related("employer", "role", "site", "pledge").get(
            pk=int(opportunity_id)
        )
    except (Opportunity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such opportunity") from exc
    access = employer_get_for_user(user=user, employer_id=opportunity.employer_id)
    return opportunity, access.as_staff


@dataclass(frozen=True)
class ReferralAccess:
    """A referral and what the user may do with it."""

    referral: Referral
    as_staff: bool  # scheme staff who may see the resident; else the employer it was made to
    may_change: bool  # record its progress or withdraw it


def referral_get_for_user(
    *, user: User, referral_id: int | str, change: bool = False
) -> ReferralAccess:
    """A referral, for the employer it was made to or for staff who may see the resident.

    Http404 for anyone else (guessing ids reveals nothing). The employer's contacts may record
    its progress; staff may change it when they refer residents in the resident's organisation.
    With `change`, PermissionDenied when the user may read the referral but not change it.
    """
    try:
        referral = Referral.objects.select_related(
            "opportunity__employer", "resident", "referred_by", "job_start"
        ).get(pk=int(referral_id))
    except (Referral.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such referral") from exc
    if referral.opportunity.employer_id in own_employer_ids(user=user):
        access = ReferralAccess(referral, as_staff=False, may_change=True)
    elif Resident.objects.visible_to(user).filter(pk=referral.resident_id).exists():
        may_change = scope_for(user, Capability.REFER_RESIDENTS).holds(
            referral.resident.organisation_id
        )
        access = ReferralAccess(referral, as_staff=True, may_change=may_change)
    else:
        raise Http404("No such referral")
    if change and not access.may_change:
        raise PermissionDenied
    return access


def _put_forward(resident_ref: str) -> Exists:
    return Exists(
        ConsentRecord.objects.active().filter(
            resident_id=OuterRef(resident_ref), purpose=ConsentPurpose.PUT_FORWARD
        )
    )


def referral_shows_resident(*, referral: Referral) -> bool:
    """Whether the employer may see who the referral is about: their name, contact details,
    passport and credentials.

    Decided when the employer looks, from the consent active at that moment: never on a
    withdrawn referral, and never once the resident has withdrawn consent to be put forward
    (whatever stage the referral reached).
    """
    if referral.status == ReferralStatus.WITHDRAWN:
        return False
    return referral_consent_active(referral=referral)


def referral_consent_active(*, referral: Referral) -> bool:
    """Whether the referred resident still agrees to be put forward to employers."""
    return (
        ConsentRecord.objects.active()
        .filter(resident_id=referral.resident_id, purpose=ConsentPurpose.PUT_FORWARD)
        .exists()
    )


def referrals_for_employer(*, employer: Organisation) -> QuerySet[Referral]:
    """Referrals to the employer, each annotated with `consent_active` and `shows_resident`
    (see `referral_shows_resident`): templates show a resident's name only where it is True."""
    return (
        Referral.objects.filter(opportunity__employer=employer)
        .select_related("opportunity", "resident", "job_start")
        .annotate(
            consent_active=_put_forward("resident_id"),
            shows_resident=Case(
                When(status=ReferralStatus.WITHDRAWN, then=False),
                When(_put_forward("resident_id"), then=True),
                default=False,
                output_field=BooleanField(),
            ),
        )
        .order_by("-referred_at", "-id")
    )


def referrals_visible_to(*, user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(resident__in=Resident.objects.visible_to(user)).select_related(
        "opportunity__employer", "resident"
    )


# --- The compact ------------------------------------------------------------------------------


FULFILLED_AT = {
    OpportunityType.GUARANTEED_INTERVIEW: "interviewed_on",
    OpportunityType.WORK_EXPERIENCE: "started_on",
    OpportunityType.APPRENTICESHIP: "started_on",
    OpportunityType.JOB: "started_on",
    OpportunityType.PAID_PLACEMENT: "started_on",
}


@dataclass(frozen=True)
class PledgeProgress:
    pledge: Pledge
    pledged: int  # over the pledge's whole period, pro rata to its length in years
    fulfilled: int

    @property
    def percent(self) -> int:
        return round(100 * self.fulfilled / self.pledged) if self.pledged else 0


def pledged_over_period(pledge: Pledge) -> int:
    days = (pledge.ends_on - pledge.starts_on).days + 1
    return max(1, round(pledge.quantity_per_year * days / 365))


def pledge_progress(*, pledges: Iterable[Pledge]) -> list[PledgeProgress]:
    """Each pledge against what its opportunities delivered inside the pledge's dates.

    A guaranteed-interview pledge is fulfilled by an interview; every other kind by a start.
    """
    pledges = list(pledges)
    by_id = {p.pk: p for p in pledges}
    counts: dict[int, int] = defaultdict(int)
    for kind, field in FULFILLED_AT.items():
        ids = [p.pk for p in pledges if p.opportunity_type == kind]
        if not ids:
            continue
        rows = Referral.objects.filter(
            opportunity__pledge_id__in=ids, **{f"{field}__isnull": False}
        ).values_list("opportunity__pledge_id", field)
        for pledge_id, on in rows:
            pledge = by_id[pledge_id]
            if pledge.starts_on <= on <= pledge.ends_on:
                counts[pledge_id] += 1
    return [PledgeProgress(p, pledged_over_period(p), counts[p.pk]) for p in pledges]


# --- Matching -------------------------------------------------------------------------------


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
        .filter(_put_forward("pk"))
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


# --- Outcomes -------------------------------------------------------------------------------


def checks_due(
    *, user: User, today: date | None = None, within_days: int = 14
) -> QuerySet[SustainmentCheck]:
    """Sustainment checks not yet done that fall due within `within_days` (or are overdue):
    for staff, of residents they may see; for an employer contact, of people who started with
    their employer through a referral."""
    today = today or timezone.localdate()
    whose = Q(job_start__resident__in=Resident.objects.visible_to(user)) | (
        Q(job_start__referral__opportunity__employer_id__in=own_employer_ids(user=user))
        & ~Q(job_start__referral__status=ReferralStatus.WITHDRAWN)
        & Q(_put_forward("job_start__resident_id"))
    )
    return (
        SustainmentCheck.objects.filter(
            whose, outcome="", due_on__lte=today + timedelta(days=within_days)
        )
        .select_related("job_start__resident", "job_start__referral")
        .order_by("due_on", "id")
    )


def check_get_for_user(*, user: User, check_id: int | str) -> SustainmentCheck:
    """A sustainment check: the one guard for recording an outcome, wherever it is recorded.

    For the employer the person started with through a referral; or for staff who may see the
    resident and refer residents or work on cases in the resident's organisation (Http404 for
    a check of a resident they may not see, PermissionDenied when they may see but not record).
    Casework pages then also need the case the job start was recorded from
    (`support.selectors.case_for_check`).
    """
    try:
        check = SustainmentCheck.objects.select_related(
            "job_start__resident", "job_start__referral__opportunity"
        ).get(pk=int(check_id))
    except (SustainmentCheck.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such check") from exc
    referral = getattr(check.job_start, "referral", None)
    if (
        referral is not None
        and referral.opportunity.employer_id in own_employer_ids(user=user)
        and referral_shows_resident(referral=referral)
    ):
        return check
    resident = check.job_start.resident
    if not Resident.objects.visible_to(user).filter(pk=resident.pk).exists():
        raise Http404("No such check")
    if not scope_for(user, Capability.REFER_RESIDENTS, Capability.MANAGE_CASES).holds(
        resident.organisation_id
    ):
        raise PermissionDenied
    return check


# --- Demand against supply --------------------------------------------------------------------


def people_count(value: int) -> int | str:
    """A count of people as it may be shown: 1 to 4 hidden (docs/disclosure-control.md)."""
    return disclosure.people_count(value)


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
            people_count(held[area.code]),
        )
        for area in framework_areas
    ]


# --- Framework wording --------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameworkWords:
    areas: dict[str, str]  # area code -> "Digital: Handling information and content", in order
    strands: dict[str, str]  # area code -> strand code
    levels: dict[tuple[str, str], str]  # (strand, scale code) -> "For work"

    def need(self, area_code: str, strand: str, level: str) -> str:
        area = self.areas.get(area_code, area_code)
        name = self.levels.get((strand, level))
        return f"{area} ({name})" if name else area


def framework_words(*, organisation: Organisation) -> FrameworkWords:
    """Plain names for the skill areas and levels of the scheme's framework."""
    council = organisation.scheme_council or organisation
    framework = rule_set_for_organisation(organisation=council).framework
    rows = list(
        SkillArea.objects.filter(strand__framework=framework)
        .order_by("strand__position", "position")
        .values_list("code", "strand__code", "strand__name", "name")
    )
    areas = {code: f"{strand_name}: {name}" for code, _, strand_name, name in rows}
    strands = {code: strand for code, strand, _, _ in rows}
    levels = {
        (strand, code): name
        for strand, code, name in ScaleStep.objects.filter(strand__framework=framework).values_list(
            "strand__code", "code", "name"
        )
    }
    return FrameworkWords(areas, strands, levels)
