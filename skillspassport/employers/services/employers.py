"""Writes about employers: adding one to the scheme, its sites and its compact pledges."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from skillspassport.accounts.models import Organisation, OrganisationKind, User
from skillspassport.areas.postcodes import normalise_postcode
from skillspassport.areas.selectors import areas_for_postcode
from skillspassport.employers.models import EmployerProfile, Pledge, Site
from skillspassport.employers.services.errors import EmployerError


@transaction.atomic
def employer_create(
    *,
    actor: User,
    council: Organisation,
    name: str,
    sector: str,
    size_band: str,
    website: str = "",
) -> Organisation:
    name = " ".join(name.split())
    if Organisation.objects.filter(name__iexact=name).exists():
        raise EmployerError(f"An organisation called {name} already exists", "name")
    employer = Organisation.objects.create(
        name=name, kind=OrganisationKind.EMPLOYER, council=council
    )
    EmployerProfile.objects.create(
        organisation=employer, sector=sector, size_band=size_band, website=website
    )
    return employer


@transaction.atomic
def site_add(*, actor: User, employer: Organisation, name: str, postcode: str) -> Site:
    normal = normalise_postcode(postcode)
    if normal is None:
        raise EmployerError("Enter a real postcode, like L20 3NJ", "postcode")
    if Site.objects.filter(employer=employer, name__iexact=name.strip()).exists():
        raise EmployerError(f"{employer} already has a site called {name.strip()}", "name")
    areas = areas_for_postcode(normal)
    return Site.objects.create(
        employer=employer,
        name=name.strip(),
        postcode=normal,
        lsoa_id=areas.lsoa_code,
        ward_id=areas.ward_code,
    )


@transaction.atomic
def pledge_sign(
    *,
    actor: User,
    employer: Organisation,
    level: str,
    opportunity_type: str,
    quantity_per_year: int,
    starts_on: date,
    ends_on: date,
    note: str = "",
) -> Pledge:
    if quantity_per_year < 1:
        raise EmployerError("Pledge at least 1 a year", "quantity_per_year")
    if ends_on < starts_on:
        raise EmployerError("The end date must be on or after the start date", "ends_on")
    return Pledge.objects.create(
        employer=employer,
        level=level,
        opportunity_type=opportunity_type,
        quantity_per_year=quantity_per_year,
        starts_on=starts_on,
        ends_on=ends_on,
        note=note,
        signed_by=actor,
    )
