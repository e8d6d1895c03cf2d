"""Employers and the compact: the list of employers, an employer's page, their opportunities,
and what each pledge promised and delivered."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from skillspassport.accounts.models import Organisation, User
from skillspassport.employers.models import (
    FULFILLED_ON,
    JobRole,
    Opportunity,
    Pledge,
    Referral,
    ReferralStatus,
    Site,
)
from skillspassport.employers.selectors.access import EmployerAccess
from skillspassport.employers.selectors.referrals import referrals_seen_by
from skillspassport.employers.selectors.words import framework_words


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


def opportunities_of(*, employer: Organisation) -> list[Opportunity]:
    """All the employer's opportunities, open or not, each with how many people were referred
    to it (`referred`; withdrawn referrals left out)."""
    return list(
        Opportunity.objects.filter(employer=employer)
        .select_related("site", "role")
        .annotate(
            referred=Count("referrals", filter=~Q(referrals__status=ReferralStatus.WITHDRAWN))
        )
    )


@dataclass(frozen=True)
class OpportunityChoices:
    """What a new opportunity of the employer may point at, by the id the form submits."""

    roles: dict[str, JobRole]
    pledges: dict[str, Pledge]
    sites: dict[str, Site]


def role_of_employer(*, employer: Organisation, role_id: int | str) -> JobRole:
    """One of the employer's roles, for someone already allowed to edit the employer (Http404
    for a role of another employer, or no such role)."""
    try:
        return JobRole.objects.get(pk=int(role_id), employer=employer)
    except (JobRole.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404("No such role") from exc


def opportunity_choices(*, employer: Organisation) -> OpportunityChoices:
    return OpportunityChoices(
        roles={str(r.pk): r for r in JobRole.objects.filter(employer=employer)},
        pledges={str(p.pk): p for p in Pledge.objects.filter(employer=employer)},
        sites={str(s.pk): s for s in sites_of(employer=employer)},
    )


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
    rows = (
        Referral.objects.with_fulfilled_on()
        .filter(opportunity__pledge_id__in=list(by_id))
        .exclude(**{FULFILLED_ON: None})
        .values_list("opportunity__pledge_id", FULFILLED_ON)
    )
    for pledge_id, on in rows:
        pledge = by_id[pledge_id]
        if pledge.starts_on <= on <= pledge.ends_on:
            counts[pledge_id] += 1
    return [PledgeProgress(p, pledged_over_period(p), counts[p.pk]) for p in pledges]


# --- The list of employers and an employer's page ---------------------------------------------


@dataclass(frozen=True)
class EmployerRow:
    employer: Organisation
    pledged: int
    fulfilled: int
    open: int  # opportunities open today


@dataclass(frozen=True)
class EmployerList:
    rows: list[EmployerRow]
    total_pledged: int
    total_fulfilled: int


def employer_list(*, employers: Iterable[Organisation], today: date) -> EmployerList:
    """Each employer (already fetched for the user) with its pledges over their periods, how
    many of them were fulfilled, and how many of its opportunities are open."""
    employers = list(employers)
    pledged: Counter[int] = Counter()
    fulfilled: Counter[int] = Counter()
    for item in pledge_progress(pledges=pledges_of(employers=employers)):
        pledged[item.pledge.employer_id] += item.pledged
        fulfilled[item.pledge.employer_id] += item.fulfilled
    open_counts = open_opportunity_counts(employers=employers, today=today)
    rows = [
        EmployerRow(e, pledged[e.pk], fulfilled[e.pk], open_counts.get(e.pk, 0)) for e in employers
    ]
    return EmployerList(rows, sum(pledged.values()), sum(fulfilled.values()))


@dataclass(frozen=True)
class RoleSummary:
    role: JobRole
    need_labels: list[str]  # the framework areas it needs, in plain words


@dataclass(frozen=True)
class EmployerPage:
    sites: list[Site]
    pledges: list[PledgeProgress]
    roles: list[RoleSummary]
    opportunities: list[Opportunity]  # each with `referred`
    referrals: list[Referral]  # the latest the user may see


def employer_page(*, user: User, access: EmployerAccess, referrals: int = 50) -> EmployerPage:
    """What an employer's page shows the user (who reached the employer through `access`)."""
    employer = access.employer
    words = framework_words(organisation=employer)
    roles = [
        RoleSummary(role, [words.need(n.area_code, n.strand, n.level) for n in role.needs.all()])
        for role in JobRole.objects.filter(employer=employer).prefetch_related("needs", "skills")
    ]
    return EmployerPage(
        sites=list(sites_of(employer=employer)),
        pledges=pledge_progress(pledges=Pledge.objects.filter(employer=employer)),
        roles=roles,
        opportunities=opportunities_of(employer=employer),
        referrals=list(
            referrals_seen_by(user=user, employer=employer, as_staff=access.as_staff)[:referrals]
        ),
    )
