"""Training and casework measures: counted from enrolments, cases and devices of the delivery
organisations within the project's dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from skillspassport.accounts.models import Role
from skillspassport.accounts.tests.factories import MembershipFactory, UserFactory
from skillspassport.funding.outputs import MEASURES
from skillspassport.funding.selectors import output_records_for_user, project_outputs
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor, LevelRuleSet, ScaleStep
from skillspassport.support.services import case_open, device_record
from skillspassport.training import services as training
from skillspassport.training.models import Enrolment, EnrolmentStatus


def _actual(project, code):
    return {row.measure.code: row.actual for row in project_outputs(project=project)}[code]


@pytest.fixture
def tutor(provider):
    user = UserFactory(email="tutor@learning.test", full_name="Grace Tutor")
    MembershipFactory(user=user, organisation=provider, role=Role.TUTOR)
    return user


@pytest.fixture
def cohort(provider, tutor):
    framework = LevelRuleSet.objects.get(name="default").framework
    course = training.course_save(
        actor=tutor,
        provider=provider,
        title="Get online: first steps",
        description="Using a device safely.",
        descriptors=list(
            Descriptor.objects.filter(
                framework=framework, area__strand__code="digital", level__code="foundation"
            )
        ),
        level=ScaleStep.objects.get(
            strand__framework=framework, strand__code="digital", code="foundation"
        ),
        delivery_mode="in_person",
        funding_source="asf",
        hours=12,
    )
    start = timezone.localdate() + timedelta(days=7)
    return training.cohort_create(
        actor=tutor,
        course=course,
        venue_name="Bootle Library",
        venue_postcode="l20 1ad",
        start_date=start,
        end_date=start + timedelta(weeks=6),
        capacity=5,
        waiting_list_open=True,
        tutor=tutor,
        targeting_plan=None,
    )


@pytest.fixture
def current_project(project):
    """The shared project, running around today so that new records fall inside it."""
    project.starts_on = timezone.localdate() - timedelta(days=30)
    project.ends_on = timezone.localdate() + timedelta(days=30)
    project.save()
    return type(project).objects.get(pk=project.pk)


def test_training_starts_and_completions(current_project, cohort, tutor, provider):
    learners = [ResidentFactory(organisation=provider, user=tutor) for _ in range(3)]
    enrolments = [
        training.enrolment_create(actor=tutor, cohort=cohort, resident=r) for r in learners
    ]
    assert _actual(current_project, "training_starts") == 3
    assert _actual(current_project, "training_completions") == 0
    Enrolment.objects.filter(pk=enrolments[0].pk).update(
        status=EnrolmentStatus.COMPLETED, outcome_recorded_at=timezone.now()
    )
    assert _actual(current_project, "training_completions") == 1
    # A provider that is not delivering the project does not count.
    current_project.delivery_organisations.remove(provider)
    assert _actual(current_project, "training_starts") == 0


def test_cases_and_devices(current_project, council, adviser):
    resident = ResidentFactory(organisation=council, user=adviser)
    today = timezone.localdate()
    case = case_open(
        actor=adviser,
        resident=resident,
        referral_source="jobcentre",
        referred_on=today - timedelta(days=2),
        referring_organisation="Bootle Jobcentre",
        opened_on=today,
    )
    assert _actual(current_project, "cases_opened") == 1
    device_record(
        actor=adviser,
        case=case,
        hub=council,
        kind="laptop",
        serial="SN-001",
        issued_on=today,
        arrangement="gift",
    )
    assert _actual(current_project, "devices_issued") == 1
    drill = output_records_for_user(
        user=adviser, project=current_project, measure=MEASURES["devices_issued"]
    )
    assert [d.case.resident for d in drill.visible] == [resident]
    drill = output_records_for_user(
        user=UserFactory(email="nobody@council.test"),
        project=current_project,
        measure=MEASURES["cases_opened"],
    )
    assert list(drill.visible) == []
    assert drill.hidden == 1


def test_records_before_the_project_do_not_count(project, council, adviser):
    resident = ResidentFactory(organisation=council, user=adviser)
    case_open(
        actor=adviser,
        resident=resident,
        referral_source="jobcentre",
        referred_on=date(2025, 12, 1),
        referring_organisation="Bootle Jobcentre",
        opened_on=date(2025, 12, 31),
    )
    assert _actual(project, "cases_opened") == 0
