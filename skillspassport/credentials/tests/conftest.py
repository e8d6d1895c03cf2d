from __future__ import annotations

from datetime import date

import pytest

from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor
from skillspassport.skills.services import evidence_record


@pytest.fixture
def bronze_resident(council, adviser):
    """A resident of `council` with Bronze in digital (the eight foundation skills, verified)."""
    resident = ResidentFactory(
        organisation=council, user=adviser, first_name="Kerry", email="kerry@example.org"
    )
    evidence_record(
        user=adviser,
        resident=resident,
        descriptors=Descriptor.objects.filter(level__code="foundation"),
        method="observed_adviser",
        shown_on=date(2026, 10, 1),
    )
    return resident
