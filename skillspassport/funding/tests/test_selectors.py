"""Outputs counted from records, drill-down visibility, fund commitments and report figures."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from skillspassport.accounts.models import OrganisationKind, Role
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.credentials.models import IssuedCredential
from skillspassport.employers.services import job_start_record, sustainment_record
from skillspassport.funding.outputs import MEASURES, period
from skillspassport.funding.selectors import (
    milestones_completed_count,
    output_records_for_user,
    project_outputs,
    project_spend_total,
    projects_active_count,
    proposals_decided_count,
)
from skillspassport.funding.services import (
    MilestoneSpec,
    agreement_record,
    milestone_complete,
    spend_record,
)
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor, PassportLevelChange
from skillspassport.skills.services import evidence_record


def _actuals(project):
    return {row.measure.code: row for row in project_outputs(project=project)}


def _job(resident, user, started_on=date(2026, 3, 2)):
    return job_start_record(
        actor=user,
        resident=resident,
        employer_name="Dockside Logistics",
        role_title="Warehouse operative",
        contract="permanent",
        started_on=started_on,
        hours_per_week=Decimal("37.5"),
    )


@pytest.fixture
def elsewhere(council):
    """A partner of the same council that is not delivering the project."""
    return OrganisationFactory(name="Elsewhere", kind=OrganisationKind.VOLUNTARY, council=council)


def test_residents_supported_counts_registrations_and_evidence_by_delivery_staff(
    project, adviser, council, elsewhere
):
    registered = ResidentFactory(organisation=council, user=adviser)
    other_adviser = UserFactory(email="adv@elsewhere.test")
    MembershipFactory(user=other_adviser, organisation=elsewhere, role=Role.ADVISER)
    not_ours = ResidentFactory(organisation=elsewhere, user=other_adviser)
    assert _actuals(project)["residents_supported"].actual == 1

    # Evidence recorded by delivery staff (the council's adviser cannot see this resident, so
    # it is recorded by a user who is a member of both).
    both = UserFactory(email="both@council.test")
    MembershipFactory(user=both, organisation=council, role=Role.TUTOR)
    MembershipFactory(user=both, organisation=elsewhere, role=Role.TUTOR)
    evidence_record(
        user=both,
        resident=not_ours,
        descriptors=Descriptor.objects.filter(level__code="foundation")[:1],
        method="observed_tutor",
        shown_on=date(2026, 3, 1),
    )
    evidence_record(
        user=both,
        resident=registered,
        descriptors=Descriptor.objects.filter(level__code="foundation")[:1],
        method="observed_tutor",
        shown_on=date(2026, 3, 1),
    )
    row = _actuals(project)["residents_supported"]
    assert row.actual == 2  # each resident once, however many reasons
    assert row.target == 4
    assert row.percent == 50


def test_outside_the_project_dates_does_not_count(project, adviser, council):
    resident = ResidentFactory(organisation=council, user=adviser)
    resident.created_at = timezone.make_aware(datetime(2025, 12, 31, 23, 59))
    resident.save(update_fields=["created_at"])
    _job(resident, adviser, started_on=date(2025, 12, 31))
    actuals = _actuals(project)
    assert actuals["residents_supported"].actual == 0
    assert actuals["job_starts"].actual == 0


def test_period_includes_the_whole_last_day(project):
    start, end = period(project)
    assert start == timezone.make_aware(datetime(2026, 1, 1))
    assert end == timezone.make_aware(datetime(2027, 1, 1))


def test_passport_levels_credentials_jobs_and_sustainment(project, adviser, council, elsewhere):
    resident = ResidentFactory(organisation=council, user=adviser)
    outsider = ResidentFactory(organisation=elsewhere, user=adviser)
    at = timezone.make_aware(datetime(2026, 5, 1, 12))
    for who in (resident, outsider):
        PassportLevelChange.objects.create(
            resident=who, strand_code="overall", from_level="", to_level="bronze", changed_at=at
        )
    PassportLevelChange.objects.create(
        resident=resident, strand_code="digital", from_level="bronze", to_level="silver"
    )
    IssuedCredential.objects.create(
        resident=resident,
        council=council,
        strand_code="overall",
        level="bronze",
        document={},
        status_index=1,
    )
    IssuedCredential.objects.create(
        resident=resident,
        council=council,
        strand_code="digital",
        level="bronze",
        document={},
        status_index=2,
        revoked_at=timezone.now(),
    )
    job = _job(resident, adviser)
    check_13 = job.checks.get(weeks=13)
    sustainment_record(
        actor=adviser, check=check_13, outcome="in_work", checked_on=date(2026, 6, 1)
    )
    sustainment_record(
        actor=adviser,
        check=job.checks.get(weeks=26),
        outcome="not_in_work",
        checked_on=date(2026, 9, 1),
    )
    actuals = _actuals(project)
    assert actuals["passports_bronze"].actual == 1
    assert actuals["passports_silver"].actual == 0  # strand changes are not the passport level
    assert actuals["credentials_gained"].actual == 1  # revoked ones do not count
    assert actuals["job_starts"].actual == 1
    assert actuals["job_starts"].percent == 50
    assert actuals["sustained_13_weeks"].actual == 1
    assert actuals["sustained_26_weeks"].actual == 0


def test_actuals_are_recomputed_when_records_change(project, adviser, council):
    resident = ResidentFactory(organisation=council, user=adviser)
    job = _job(resident, adviser)
    assert _actuals(project)["job_starts"].actual == 1
    job.delete()
    assert _actuals(project)["job_starts"].actual == 0
    project.delivery_organisations.remove(council)
    project = type(project).objects.get(pk=project.pk)
    assert _actuals(project)["residents_supported"].actual == 0


def test_drill_down_never_lists_a_resident_the_viewer_may_not_see(
    project, adviser, council, provider, staff
):
    tutor_at_provider = UserFactory(email="tutor@provider.test")
    MembershipFactory(user=tutor_at_provider, organisation=provider, role=Role.TUTOR)
    ours = ResidentFactory(organisation=council, user=adviser, first_name="Visible")
    theirs = ResidentFactory(organisation=provider, user=tutor_at_provider, first_name="Hidden")
    _job(ours, adviser)
    _job(theirs, tutor_at_provider)

    manager = staff["programme_manager"]  # no resident access at all
    drill = output_records_for_user(user=manager, project=project, measure=MEASURES["job_starts"])
    assert drill.total == 2
    assert list(drill.visible) == []
    assert drill.hidden == 2

    drill = output_records_for_user(user=adviser, project=project, measure=MEASURES["job_starts"])
    assert [job.resident for job in drill.visible] == [ours]
    assert drill.hidden == 1

    drill = output_records_for_user(
        user=adviser, project=project, measure=MEASURES["residents_supported"]
    )
    assert list(drill.visible) == [ours]
    assert drill.total == 2
    assert drill.hidden == 1


# --- figures for the monitoring report ----------------------------------------------------------


def test_report_figures(project, manager, council, other_council):
    start = timezone.make_aware(datetime(2026, 1, 1))
    end = timezone.make_aware(datetime(2027, 1, 1))
    agreement = agreement_record(
        actor=manager,
        project=project,
        signed_on=date(2026, 1, 5),
        value=Decimal("30000"),
        milestones=[MilestoneSpec("Start", date(2026, 2, 1), Decimal("5000"))],
    )
    milestone_complete(
        actor=manager, milestone=agreement.milestones.get(), completed_on=date(2026, 2, 2)
    )
    spend_record(
        actor=manager,
        project=project,
        spent_on=date(2026, 3, 1),
        amount="1250.50",
        category="staff",
        description="Salary",
    )
    assert projects_active_count(None, start, end) == 1
    assert projects_active_count([council.pk], start, end) == 1
    assert projects_active_count([other_council.pk], start, end) == 0
    assert proposals_decided_count([council.pk], start, end) == 1
    assert proposals_decided_count([council.pk], start, end, decision="declined") == 0
    assert milestones_completed_count(None, start, end) == 1
    assert project_spend_total([council.pk], start, end) == Decimal("1250.50")
    later = timezone.make_aware(datetime(2027, 6, 1))
    assert project_spend_total(None, end, later) == Decimal("0.00")
