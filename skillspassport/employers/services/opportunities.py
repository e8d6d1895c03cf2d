"""Writes about the opportunities an employer offers: publishing one, editing it, closing it
early, and taking it down (unpublishing) or putting it back up.

An opportunity that counts against a compact pledge must fit it: the same type of opportunity
as the pledge, and no minimum level above the pledge's level (a pledge to Bronze holders cannot
be met by an opportunity only Silver holders reach).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.employers.models import (
    LEVEL_CHOICES,
    STRANDS,
    JobRole,
    Opportunity,
    OpportunityType,
    Pledge,
    Referral,
    ReferralStatus,
    Site,
)
from skillspassport.employers.services.errors import EmployerError

_RANK = {level: rank for rank, (level, _label) in enumerate(LEVEL_CHOICES, start=1)}


def pledge_fit_problem(
    *, pledge: Pledge, opportunity_type: str, minimum: dict[str, str]
) -> str | None:
    """Why an opportunity of `opportunity_type` with `minimum` levels cannot count against
    `pledge`, or None when it fits."""
    if opportunity_type != pledge.opportunity_type:
        return (
            f"The pledge is for {pledge.get_opportunity_type_display().lower()}: an opportunity "
            f"of type {OpportunityType(opportunity_type).label.lower()} cannot count against it"
        )
    level = pledge.get_level_display()
    above = [s for s in STRANDS if _RANK.get(minimum.get(s, ""), 0) > _RANK[pledge.level]]
    if above:
        return (
            f"The pledge is to {level} holders: the minimum {' and '.join(above)} level cannot "
            f"be above {level}"
        )
    return None


def _check(
    *,
    employer: Organisation,
    title: str,
    opportunity_type: str,
    places: int,
    minimum: dict[str, str],
    role: JobRole | None,
    pledge: Pledge | None,
    site: Site | None,
) -> str:
    title = " ".join(title.split())
    if not title:
        raise EmployerError("Enter a title", "title")
    if opportunity_type not in OpportunityType.values:
        raise EmployerError("Select the type of opportunity", "opportunity_type")
    if places < 1:
        raise EmployerError("An opportunity needs at least 1 place", "places")
    for strand, level in minimum.items():
        if strand not in STRANDS or (level and level not in _RANK):
            raise EmployerError(f"Choose a minimum {strand} level from the list")
    for thing in (role, pledge, site):
        if thing is not None and thing.employer_id != employer.pk:
            raise EmployerError("Choose a role, pledge and site of this employer")
    if pledge is not None:
        problem = pledge_fit_problem(
            pledge=pledge, opportunity_type=opportunity_type, minimum=minimum
        )
        if problem:
            raise EmployerError(problem, "pledge")
    return title


@transaction.atomic
def opportunity_create(
    *,
    actor: User,
    employer: Organisation,
    title: str,
    opportunity_type: str,
    places: int,
    closing_on: date,
    minimum: dict[str, str],
    role: JobRole | None = None,
    pledge: Pledge | None = None,
    site: Site | None = None,
    hours_per_week: Decimal | None = None,
    hourly_wage: Decimal | None = None,
    description: str = "",
    today: date | None = None,
) -> Opportunity:
    today = today or timezone.localdate()
    title = _check(
        employer=employer,
        title=title,
        opportunity_type=opportunity_type,
        places=places,
        minimum=minimum,
        role=role,
        pledge=pledge,
        site=site,
    )
    if closing_on < today:
        raise EmployerError("The closing date must be today or in the future", "closing_on")
    if pledge is not None and pledge.ends_on < today:
        raise EmployerError(f"The pledge ended on {pledge.ends_on:%-d %B %Y}", "pledge")
    return Opportunity.objects.create(
        employer=employer,
        title=title,
        opportunity_type=opportunity_type,
        places=places,
        closing_on=closing_on,
        role=role,
        pledge=pledge,
        site=site,
        hours_per_week=hours_per_week,
        hourly_wage=hourly_wage,
        description=description,
        created_by=actor,
        **{f"min_{strand}": minimum.get(strand, "") for strand in STRANDS},
    )


@transaction.atomic
def opportunity_update(
    *,
    actor: User,
    opportunity: Opportunity,
    title: str,
    opportunity_type: str,
    places: int,
    closing_on: date,
    minimum: dict[str, str],
    role: JobRole | None = None,
    pledge: Pledge | None = None,
    site: Site | None = None,
    hours_per_week: Decimal | None = None,
    hourly_wage: Decimal | None = None,
    description: str = "",
    today: date | None = None,
) -> Opportunity:
    """Change an opportunity. Referrals already made stay as they are; the places cannot go
    below the starts already made, and a new closing date cannot be in the past."""
    today = today or timezone.localdate()
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    employer = opportunity.employer
    title = _check(
        employer=employer,
        title=title,
        opportunity_type=opportunity_type,
        places=places,
        minimum=minimum,
        role=role,
        pledge=pledge,
        site=site,
    )
    if closing_on != opportunity.closing_on and closing_on < today:
        raise EmployerError("The closing date must be today or in the future", "closing_on")
    if pledge is not None and pledge.pk != opportunity.pledge_id and pledge.ends_on < today:
        raise EmployerError(f"The pledge ended on {pledge.ends_on:%-d %B %Y}", "pledge")
    started = Referral.objects.filter(
        opportunity=opportunity, status=ReferralStatus.STARTED
    ).count()
    if places < started:
        raise EmployerError(
            f"{started} people have started already: the places cannot be fewer", "places"
        )
    opportunity.title = title
    opportunity.opportunity_type = opportunity_type
    opportunity.places = places
    opportunity.closing_on = closing_on
    opportunity.role = role
    opportunity.pledge = pledge
    opportunity.site = site
    opportunity.hours_per_week = hours_per_week
    opportunity.hourly_wage = hourly_wage
    opportunity.description = description
    for strand in STRANDS:
        setattr(opportunity, f"min_{strand}", minimum.get(strand, ""))
    opportunity.save()
    return opportunity


@transaction.atomic
def opportunity_close_early(
    *, actor: User, opportunity: Opportunity, on: date, today: date | None = None
) -> Opportunity:
    """Close an opportunity before its closing date: from `on` it takes no referrals. `on` may
    be today, a day to come, or a past day when it is recorded after the fact (not before the
    opportunity was published)."""
    today = today or timezone.localdate()
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.closed_early_on is not None:
        raise EmployerError(
            f"This opportunity already closed on {opportunity.closed_early_on:%-d %B %Y}"
        )
    if opportunity.closing_on < today:
        raise EmployerError(
            f"This opportunity closed on {opportunity.closing_on:%-d %B %Y} already"
        )
    if on > opportunity.closing_on:
        raise EmployerError(
            f"The date must be on or before the closing date, {opportunity.closing_on:%-d %B %Y}",
            "on",
        )
    if on < timezone.localdate(opportunity.created_at):
        raise EmployerError("The date cannot be before the opportunity was published", "on")
    opportunity.closed_early_on = on
    opportunity.save(update_fields=["closed_early_on"])
    return opportunity


@transaction.atomic
def opportunity_unpublish(*, actor: User, opportunity: Opportunity) -> Opportunity:
    """Take an opportunity down: it is no longer listed or matched and takes no referrals.
    Referrals already made carry on."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.withdrawn_at is not None:
        raise EmployerError("This opportunity is unpublished already")
    opportunity.withdrawn_at = timezone.now()
    opportunity.save(update_fields=["withdrawn_at"])
    return opportunity


opportunity_withdraw = opportunity_unpublish


@transaction.atomic
def opportunity_republish(*, actor: User, opportunity: Opportunity) -> Opportunity:
    """Put an unpublished opportunity back up (it takes referrals again until it closes)."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.withdrawn_at is None:
        raise EmployerError("This opportunity is published already")
    opportunity.withdrawn_at = None
    opportunity.save(update_fields=["withdrawn_at"])
    return opportunity
