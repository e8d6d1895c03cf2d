"""When a sustainment check may say "still in work", which starts get checks at all, and what
happened to checks already raised for starts that are not jobs."""

from __future__ import annotations

import importlib
from datetime import timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from skillspassport.employers import services
from skillspassport.employers.models import (
    JobStart,
    OpportunityType,
    StartKind,
    SustainmentCheck,
)
from skillspassport.employers.services import EmployerError
from skillspassport.employers.tests.conftest import make_resident
from skillspassport.support import services as casework
from skillspassport.support.services import CaseworkError

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _start(adviser, council, opportunity, *, started):
    resident = make_resident(council, adviser, digital="gold")
    referral = services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    referral.referred_at = timezone.now() - timedelta(days=(TODAY - started).days + 14)
    referral.save(update_fields=["referred_at"])
    services.referral_progress(actor=adviser, referral=referral, stage="offered", on=started)
    return services.referral_progress(
        actor=adviser, referral=referral, stage="started", on=started, hours_per_week=Decimal(30)
    )


def _opportunity(adviser, employer, kind):
    return services.opportunity_create(
        actor=adviser,
        employer=employer,
        title=f"A {kind} place",
        opportunity_type=kind,
        places=3,
        closing_on=TODAY + timedelta(days=30),
        minimum={},
    )


def test_still_in_work_dated_the_start_day_is_refused_on_both_paths(adviser, council, opportunity):
    referral = _start(adviser, council, opportunity, started=TODAY)
    check = SustainmentCheck.objects.get(job_start=referral.job_start, weeks=13)
    due = f"{check.due_on:%-d %B %Y}"
    with pytest.raises(EmployerError, match=f"falls due on {due}"):
        services.sustainment_record(actor=adviser, check=check, outcome="in_work", checked_on=TODAY)
    with pytest.raises(CaseworkError, match=f"falls due on {due}") as refused:
        casework.case_sustainment_record(
            actor=adviser, check=check, outcome="unknown", checked_on=TODAY
        )
    assert refused.value.field == "checked_on"
    check.refresh_from_db()
    assert (check.outcome, check.checked_on) == ("", None)


def test_still_in_work_is_accepted_once_the_check_falls_due(adviser, council, opportunity):
    referral = _start(adviser, council, opportunity, started=TODAY - timedelta(weeks=13))
    check = SustainmentCheck.objects.get(job_start=referral.job_start, weeks=13)
    assert check.due_on == TODAY
    with pytest.raises(EmployerError, match="falls due"):
        services.sustainment_record(
            actor=adviser, check=check, outcome="in_work", checked_on=TODAY - timedelta(days=1)
        )
    services.sustainment_record(actor=adviser, check=check, outcome="in_work", checked_on=TODAY)
    assert SustainmentCheck.objects.sustained_between(13, TODAY, TODAY).count() == 1


def test_no_longer_in_work_can_be_recorded_before_the_check_is_due(adviser, council, opportunity):
    referral = _start(adviser, council, opportunity, started=TODAY - timedelta(weeks=2))
    check = SustainmentCheck.objects.get(job_start=referral.job_start, weeks=13)
    casework.case_sustainment_record(
        actor=adviser, check=check, outcome="not_in_work", checked_on=TODAY
    )
    check.refresh_from_db()
    assert check.outcome == "not_in_work"


def test_a_check_cannot_be_dated_in_the_future(adviser, council, opportunity):
    referral = _start(adviser, council, opportunity, started=TODAY - timedelta(weeks=14))
    check = SustainmentCheck.objects.get(job_start=referral.job_start, weeks=13)
    with pytest.raises(EmployerError, match="in the future"):
        services.sustainment_record(
            actor=adviser, check=check, outcome="not_in_work", checked_on=TODAY + timedelta(1)
        )


@pytest.mark.parametrize(
    ("kind", "start_kind", "checks"),
    [
        (OpportunityType.WORK_EXPERIENCE, StartKind.WORK_EXPERIENCE, []),
        (OpportunityType.PAID_PLACEMENT, StartKind.PAID_PLACEMENT, []),
        (OpportunityType.APPRENTICESHIP, StartKind.APPRENTICESHIP, [13, 26]),
        (OpportunityType.GUARANTEED_INTERVIEW, StartKind.JOB, [13, 26]),
        (OpportunityType.JOB, StartKind.JOB, [13, 26]),
    ],
)
def test_only_job_and_apprenticeship_starts_get_sustainment_checks(
    adviser, council, employer, kind, start_kind, checks
):
    referral = _start(adviser, council, _opportunity(adviser, employer, kind), started=TODAY)
    assert referral.job_start.kind == start_kind
    assert sorted(referral.job_start.checks.values_list("weeks", flat=True)) == checks


def test_a_start_from_a_case_on_an_apprenticeship_contract_is_an_apprenticeship(adviser, council):
    resident = make_resident(council, adviser)
    job = services.job_start_record(
        actor=adviser,
        resident=resident,
        employer_name="Bootle Bakery",
        role_title="Apprentice baker",
        contract="apprenticeship",
        started_on=TODAY,
        hours_per_week=Decimal(30),
    )
    assert job.kind == StartKind.APPRENTICESHIP
    assert job.checks.count() == 2


def test_checks_already_raised_for_work_experience_keep_what_was_recorded(
    adviser, council, employer
):
    """Before the rule, a two-week placement got checks. The migration gives each start its
    kind, removes the reminders nobody recorded, and keeps a recorded check as history; a
    recorded check of work experience is not counted as a job sustained."""
    placement = _opportunity(adviser, employer, OpportunityType.WORK_EXPERIENCE)
    started = TODAY - timedelta(weeks=30)
    referral = _start(adviser, council, placement, started=started)
    job = referral.job_start
    JobStart.objects.filter(pk=job.pk).update(kind=StartKind.JOB)  # as recorded before the rule
    recorded = SustainmentCheck.objects.create(
        job_start=job,
        weeks=13,
        due_on=started + timedelta(weeks=13),
        outcome="in_work",
        checked_on=started + timedelta(weeks=13),
        checked_by=adviser,
    )
    SustainmentCheck.objects.create(job_start=job, weeks=26, due_on=started + timedelta(weeks=26))
    migration = importlib.import_module(
        "skillspassport.employers.migrations.0004_start_kind_from_opportunity_drop_unneeded_checks"
    )

    migration.forwards(apps, None)

    job.refresh_from_db()
    assert job.kind == StartKind.WORK_EXPERIENCE
    assert list(job.checks.values_list("pk", "outcome", "checked_by")) == [
        (recorded.pk, "in_work", adviser.pk)
    ]
    assert not SustainmentCheck.objects.sustained_between(13, started, TODAY).exists()
