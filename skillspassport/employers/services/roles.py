"""Writes about an employer's roles (from job adverts) and the opportunities it offers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from skillspassport.accounts.models import Organisation, User
from skillspassport.employers.models import (
    STRANDS,
    JobRole,
    Opportunity,
    Pledge,
    RoleNeed,
    RoleSkill,
    Site,
)
from skillspassport.employers.services.errors import EmployerError


@transaction.atomic
def role_create(
    *,
    actor: User,
    employer: Organisation,
    title: str,
    advert_text: str = "",
    is_tech_role: bool = False,
    skills: Sequence[tuple[str, str, float | None]] = (),
    needs: Sequence[tuple[str, str, str, str]] = (),
) -> JobRole:
    """A role with the ESCO skills the employer confirmed (uri, label, score) and the
    framework areas it needs (area code, strand, level, source)."""
    role = JobRole.objects.create(
        employer=employer,
        title=" ".join(title.split()),
        advert_text=advert_text,
        is_tech_role=is_tech_role,
        created_by=actor,
    )
    seen_uris: set[str] = set()
    RoleSkill.objects.bulk_create(
        RoleSkill(role=role, esco_uri=uri, label=label, score=score)
        for uri, label, score in skills
        if not (uri in seen_uris or seen_uris.add(uri))  # type: ignore[func-returns-value]
    )
    seen_areas: set[str] = set()
    RoleNeed.objects.bulk_create(
        RoleNeed(role=role, area_code=area, strand=strand, level=level, source=source)
        for area, strand, level, source in needs
        if not (area in seen_areas or seen_areas.add(area))  # type: ignore[func-returns-value]
    )
    return role


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
    if places < 1:
        raise EmployerError("An opportunity needs at least 1 place", "places")
    if closing_on < today:
        raise EmployerError("The closing date must be today or in the future", "closing_on")
    for thing in (role, pledge, site):
        if thing is not None and thing.employer_id != employer.pk:
            raise EmployerError("Choose a role, pledge and site of this employer")
    return Opportunity.objects.create(
        employer=employer,
        title=" ".join(title.split()),
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
def opportunity_withdraw(*, actor: User, opportunity: Opportunity) -> Opportunity:
    opportunity.withdrawn_at = timezone.now()
    opportunity.save(update_fields=["withdrawn_at"])
    return opportunity
