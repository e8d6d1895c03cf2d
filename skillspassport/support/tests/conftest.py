"""Casework fixtures: a council with a partner hub and employer, a case, a temporary
MEDIA_ROOT on disk for receipts, and the skip for PostgreSQL-only tests."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from skillspassport.accounts.models import OrganisationKind
from skillspassport.accounts.tests.factories import OrganisationFactory
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.support import services


@pytest.fixture(autouse=True)
def _postgres_only(request):
    if request.node.get_closest_marker("postgres_only") and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks)")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def hub(council):
    return OrganisationFactory(
        name="Sefton CVS Digital Hub", kind=OrganisationKind.VOLUNTARY, council=council
    )


@pytest.fixture
def employer(council):
    return OrganisationFactory(
        name="Dockside Logistics Ltd", kind=OrganisationKind.EMPLOYER, council=council
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def resident(council, adviser):
    return ResidentFactory(organisation=council, user=adviser)


@pytest.fixture
def case(resident, adviser, today):
    return services.case_open(
        actor=adviser,
        resident=resident,
        referral_source="jobcentre",
        referred_on=today - timedelta(days=10),
        referring_organisation="Bootle Jobcentre",
        opened_on=today - timedelta(days=7),
        next_review_on=today + timedelta(days=14),
    )
