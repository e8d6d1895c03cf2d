"""Fixtures for the employer tests: an employer in the Sefton scheme with a contact, an
opportunity, and residents at chosen passport levels."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skillspassport.accounts.models import OrganisationKind, Role
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.employers import services
from skillspassport.employers.models import OpportunityType
from skillspassport.employers.skillsmap import LexicalMapper, get_mapper, load_esco
from skillspassport.employers.skillsmap.esco import Esco
from skillspassport.people.models import ConsentPurpose, ConsentRecord, LawfulBasis
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import PassportLevel


@pytest.fixture
def employer(council, adviser):
    return services.employer_create(
        actor=adviser,
        council=council,
        name="Dockside Logistics Ltd",
        sector="H",
        size_band="medium",
    )


@pytest.fixture
def other_employer(council, adviser):
    return services.employer_create(
        actor=adviser,
        council=council,
        name="Crosby Digital Studio Ltd",
        sector="J",
        size_band="small",
    )


@pytest.fixture
def contact(employer):
    user = UserFactory(email="priya@dockside.test", full_name="Priya Shah")
    MembershipFactory(user=user, organisation=employer, role=Role.EMPLOYER_CONTACT)
    return user


@pytest.fixture
def other_contact(other_employer):
    user = UserFactory(email="jo@crosby.test", full_name="Jo Other")
    MembershipFactory(user=user, organisation=other_employer, role=Role.EMPLOYER_CONTACT)
    return user


def make_resident(council, adviser, *, put_forward=True, **levels):
    resident = ResidentFactory(organisation=council, user=adviser, postcode="L20 1AD")
    if put_forward:
        ConsentRecord.objects.create(
            resident=resident,
            purpose=ConsentPurpose.PUT_FORWARD,
            lawful_basis=LawfulBasis.CONSENT,
            given_by=adviser,
        )
    for strand, level in levels.items():
        PassportLevel.objects.update_or_create(
            resident=resident, strand_code=strand, defaults={"level": level}
        )
    return resident


@pytest.fixture
def opportunity(employer, adviser):
    site = services.site_add(actor=adviser, employer=employer, name="Bootle", postcode="L20 0AH")
    return services.opportunity_create(
        actor=adviser,
        employer=employer,
        title="Warehouse administrator",
        opportunity_type=OpportunityType.JOB,
        places=2,
        closing_on=timezone.localdate() + timedelta(days=30),
        minimum={"digital": "silver"},
        site=site,
        hours_per_week=Decimal("37.5"),
    )


@pytest.fixture
def council_kind():
    return OrganisationKind.COUNCIL


@pytest.fixture
def provider(council):
    return OrganisationFactory(
        name="Sefton Community Learning", kind=OrganisationKind.PROVIDER, council=council
    )


@pytest.fixture(scope="session")
def esco() -> Esco:
    return load_esco()


@pytest.fixture(scope="session")
def lexical() -> LexicalMapper:
    mapper = get_mapper("lexical")
    assert isinstance(mapper, LexicalMapper)
    return mapper
