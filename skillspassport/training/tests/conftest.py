"""Fixtures for training: a provider in the council's scheme with a tutor, a course teaching
real descriptors from the shipped framework, and cohorts at a real Sefton postcode."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from skillspassport.accounts.models import OrganisationKind, Role
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor, LevelRuleSet, ScaleStep
from skillspassport.training import services
from skillspassport.training.models import Cohort


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def provider(council):
    return OrganisationFactory(
        name="Sefton Community Learning Service", kind=OrganisationKind.PROVIDER, council=council
    )


@pytest.fixture
def tutor(provider):
    user = UserFactory(email="tutor@provider.test", full_name="Grace Tutor")
    MembershipFactory(user=user, organisation=provider, role=Role.TUTOR)
    return user


@pytest.fixture
def other_provider(other_council):
    return OrganisationFactory(
        name="Knowsley Learning", kind=OrganisationKind.PROVIDER, council=other_council
    )


@pytest.fixture
def other_tutor(other_provider):
    user = UserFactory(email="tutor@knowsley.test", full_name="Other Tutor")
    MembershipFactory(user=user, organisation=other_provider, role=Role.TUTOR)
    return user


def framework():
    return LevelRuleSet.objects.get(name="default").framework


def foundation_descriptors():
    """The digital foundation descriptors (what "Get online: first steps" teaches)."""
    return list(
        Descriptor.objects.filter(
            framework=framework(), area__strand__code="digital", level__code="foundation"
        )
    )


@pytest.fixture
def course(provider, tutor):
    descriptors = foundation_descriptors()
    return services.course_save(
        actor=tutor,
        provider=provider,
        title="Get online: first steps",
        description="Using a device safely.",
        descriptors=descriptors,
        level=ScaleStep.objects.get(
            strand__framework=framework(), strand__code="digital", code="foundation"
        ),
        delivery_mode="in_person",
        funding_source="asf",
        hours=12,
    )


def make_cohort(course, tutor, *, start=None, end=None, capacity=2, waiting=True, plan=None):
    start = start or today() + timedelta(days=7)
    return services.cohort_create(
        actor=tutor,
        course=course,
        venue_name="Bootle Library",
        venue_postcode="l20 1ad",
        start_date=start,
        end_date=end or start + timedelta(weeks=6),
        capacity=capacity,
        waiting_list_open=waiting,
        tutor=tutor,
        targeting_plan=plan,
    )


@pytest.fixture
def cohort(course, tutor) -> Cohort:
    return make_cohort(course, tutor)


@pytest.fixture
def learners(provider, tutor):
    return [
        ResidentFactory(organisation=provider, user=tutor, first_name=f"Learner{i}")
        for i in range(4)
    ]


def mark(session, enrolment, tutor, value="present"):
    """Record one attendance mark directly (the register page is tested on its own)."""
    from skillspassport.training.models import Attendance

    return Attendance.objects.create(
        session=session, enrolment=enrolment, mark=value, recorded_by=tutor
    )
