"""Fixtures for the data-rights tests, on the shared demo scheme (`demo`, in
skillspassport/conftest.py): an administrator, and a resident with a record in every part of it."""

from __future__ import annotations

import pytest
from django.db.models import Count

from skillspassport.accounts.models import Role
from skillspassport.accounts.tests.factories import MembershipFactory, UserFactory
from skillspassport.people.models import Resident


@pytest.fixture
def demo_admin(demo):
    user = UserFactory(email="rights-admin@sefton.test", full_name="Rights Administrator")
    MembershipFactory(user=user, organisation=demo, role=Role.ADMINISTRATOR)
    return user


@pytest.fixture
def rich_resident(demo):
    """The Sefton resident with the most kinds of record: a case, a job start, an enrolment,
    a referral, a credential, evidence."""
    residents = (
        Resident.objects.filter(organisation=demo)
        .annotate(
            n_cases=Count("cases", distinct=True),
            n_jobs=Count("job_starts", distinct=True),
            n_enrolments=Count("enrolments", distinct=True),
            n_referrals=Count("referrals", distinct=True),
            n_credentials=Count("credentials", distinct=True),
            n_evidence=Count("evidence", distinct=True),
        )
        .order_by("-n_cases", "-n_jobs", "-n_enrolments", "-n_referrals", "-n_credentials", "pk")
    )
    for resident in residents:
        if all(
            getattr(resident, name)
            for name in ("n_cases", "n_enrolments", "n_referrals", "n_credentials", "n_evidence")
        ):
            return resident
    return residents.first()
