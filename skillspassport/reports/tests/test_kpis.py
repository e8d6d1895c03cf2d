"""Every KPI recomputed independently, record by record, and "not available" kept apart from 0."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from skillspassport.people.models import EqualityMonitoring, Resident
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.reports.kpis import KPIS, Period, compute, rag
from skillspassport.skills.models import Descriptor, Evidence, PassportLevelChange
from skillspassport.skills.services import evidence_record

LONDON = ZoneInfo("Europe/London")
H1 = Period.half_year(2026, 1)  # April to September 2026


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=LONDON)


@pytest.fixture
def records(council, other_council, adviser, staff, other_staff):
    """Residents registered before, during and after H1, in this council and another."""
    made = []
    plan = [
        (date(2026, 2, 1), date(1960, 1, 1), True),  # registered before; evidence in H1
        (date(2026, 5, 1), date(2004, 6, 1), False),  # in H1, aged 22
        (date(2026, 6, 1), date(2010, 9, 30), True),  # in H1, 16 on 30 September 2026
        (date(2026, 7, 1), date(2001, 10, 1), False),  # in H1, 24 on 30 September 2026
        (date(2026, 11, 1), date(1990, 1, 1), False),  # after H1
    ]
    for registered, born, disabled in plan:
        resident = ResidentFactory(organisation=council, user=adviser, date_of_birth=born)
        Resident.objects.filter(pk=resident.pk).update(created_at=at(registered))
        if disabled:
            EqualityMonitoring.objects.create(
                resident=resident, recorded_by=staff["administrator"], disability="yes"
            )
        made.append(resident)
    foundation = list(Descriptor.objects.filter(level__code="foundation"))
    evidence_record(
        user=adviser,
        resident=made[0],
        descriptors=foundation,
        method="observed_adviser",
        shown_on=date(2026, 7, 1),
    )
    # As if recorded on 1 August 2026, inside H1.
    Evidence.objects.filter(resident=made[0]).update(recorded_at=at(date(2026, 8, 1)))
    PassportLevelChange.objects.filter(resident=made[0]).update(changed_at=at(date(2026, 8, 1)))
    other = ResidentFactory(organisation=other_council, user=other_staff["adviser"])
    Resident.objects.filter(pk=other.pk).update(created_at=at(date(2026, 5, 1)))
    return made


def naive(council, period):
    """The same figures, the slow obvious way."""
    start, end = period.start_at, period.end_at
    scheme = [r for r in Resident.objects.all() if r.organisation.scheme_council == council]
    evidence_in = {e.resident_id for e in Evidence.objects.all() if start <= e.recorded_at < end}
    supported = [r for r in scheme if start <= r.created_at < end or r.pk in evidence_in]
    disabled = [
        r
        for r in supported
        if EqualityMonitoring.objects.filter(resident=r, disability="yes").exists()
    ]
    young = [r for r in supported if 16 <= r.age_on(period.end) <= 24]
    levels = {}
    for change in sorted(PassportLevelChange.objects.all(), key=lambda c: (c.changed_at, c.pk)):
        if (
            change.strand_code == "overall"
            and change.changed_at < end
            and any(change.resident_id == r.pk for r in scheme)
        ):
            levels[change.resident_id] = change.to_level
    evidence = [
        e
        for e in Evidence.objects.all()
        if start <= e.recorded_at < end and any(e.resident_id == r.pk for r in scheme)
    ]
    return {
        "residents_supported": len(supported),
        "residents_disabled": len(disabled),
        "residents_16_24": len(young),
        "passports_bronze_or_above": sum(1 for v in levels.values() if v),
        "evidence_recorded": len(evidence),
    }


def test_kpis_match_an_independent_recount(council, records):
    values = {v.code: v.value for v in compute(council, H1)}
    expected = naive(council, H1)
    for code, value in expected.items():
        assert values[code] == value, code
    assert values["residents_supported"] == 4  # three registered in H1, one with evidence
    assert values["residents_16_24"] == 3
    assert values["residents_disabled"] == 2
    assert values["digital_bronze_or_above"] == 1  # the foundation skills recorded in August
    assert values["numeracy_bronze_or_above"] == 0


def test_spend_per_job_start_is_not_available_without_job_starts_never_zero(council, db):
    values = {v.code: v for v in compute(council, H1)}
    assert values["budget_spend_per_outcome"].value is None
    assert rag(None, {"target": 1, "rag": "at_least"}) == "unavailable"
    assert values["job_starts"].value == 0  # counted, and none: a real zero
    assert values["credentials_issued"].value == 0


def test_past_period_figures_do_not_change_with_later_records(council, records):
    resident = records[1]
    PassportLevelChange.objects.create(
        resident=resident,
        strand_code="overall",
        from_level="",
        to_level="silver",
        changed_at=at(date(2026, 8, 1)),
        framework_code="2026.1",
        cause="test",
    )
    before = {v.code: v.value for v in compute(council, H1)}
    assert before["passports_silver_or_above"] == 1
    # In November the level drops (evidence withdrawn): the April-September figures stand.
    PassportLevelChange.objects.create(
        resident=resident,
        strand_code="overall",
        from_level="silver",
        to_level="",
        changed_at=at(date(2026, 11, 20)),
        framework_code="2026.1",
        cause="test",
    )
    after = {v.code: v.value for v in compute(council, H1)}
    assert after == before
    h2 = {v.code: v.value for v in compute(council, Period.half_year(2026, 2))}
    assert h2["passports_silver_or_above"] == 0


def test_half_years_and_rag():
    assert (H1.start, H1.end) == (date(2026, 4, 1), date(2026, 9, 30))
    h2 = Period.half_year(2026, 2)
    assert (h2.start, h2.end) == (date(2026, 10, 1), date(2027, 3, 31))
    assert h2.end_at - h2.start_at == timedelta(days=182)
    spec = {"target": 100, "rag": "at_least", "amber_share": 0.8}
    assert [rag(v, spec) for v in (120, 100, 80, 79, None)] == [
        "green",
        "green",
        "amber",
        "red",
        "unavailable",
    ]
    assert rag(5, {"target": None, "rag": "none"}) == ""


def test_every_kpi_in_the_framework_exists():
    from pathlib import Path

    import yaml

    from skillspassport.reports import kpis

    path = Path(kpis.__file__).parent / "data" / "monitoring_framework.yaml"
    framework = yaml.safe_load(path.read_text())
    codes = [k["code"] for r in framework["recommendations"] for k in r["kpis"]]
    assert set(codes) <= set(KPIS)
    assert len(framework["recommendations"]) == 5


def test_filters_by_ward_and_organisation(council, records):
    from skillspassport.reports.kpis import Filters

    everyone = {v.code: v.value for v in compute(council, H1)}
    linacre = {v.code: v.value for v in compute(council, H1, filters=Filters(ward="E05000942"))}
    nowhere = {v.code: v.value for v in compute(council, H1, filters=Filters(ward="E05999999"))}
    assert linacre["residents_supported"] == everyone["residents_supported"]  # all in L20 1AD
    assert nowhere["residents_supported"] == 0
    other_org = {v.code: v.value for v in compute(council, H1, filters=Filters(organisation=-1))}
    assert other_org["residents_supported"] == 0


def test_previous_and_containing_half_years():
    assert H1.previous() == Period.half_year(2025, 2)
    assert Period.half_year(2025, 2).previous() == Period.half_year(2025, 1)
    assert Period.containing(date(2026, 11, 26)) == Period.half_year(2026, 2)
    assert Period.containing(date(2027, 2, 1)) == Period.half_year(2026, 2)
    assert Period.containing(date(2026, 4, 1)) == H1


def test_credentials_plans_and_reach_recounted(council, adviser, staff):
    from skillspassport.credentials.models import IssuedCredential
    from skillspassport.credentials.services import credential_issue
    from skillspassport.targeting.models import TargetingPlan, TargetingRun

    period = Period.containing(timezone.localdate())
    near = ResidentFactory(organisation=council, user=adviser, postcode="L20 1AD")
    ResidentFactory(organisation=council, user=adviser, postcode="L20 0AH")
    evidence_record(
        user=adviser,
        resident=near,
        descriptors=Descriptor.objects.filter(level__code="foundation"),
        method="qualification",
        shown_on=timezone.localdate(),
    )
    credential_issue(resident=near, strand_code="digital", user=adviser)
    run = TargetingRun.objects.create(
        council=council, method={}, base="council", datasets=[], results=[]
    )
    TargetingPlan.objects.create(
        council=council,
        run=run,
        name="Bootle",
        rationale="x",
        area_codes=["E01007009"],
        created_by=staff["administrator"],
    )
    values = {v.code: v.value for v in compute(council, period)}
    naive_credentials = sum(
        1
        for c in IssuedCredential.objects.all()
        if period.start_at <= c.issued_at < period.end_at
        and c.resident.organisation.scheme_council == council
    )
    naive_reach = sum(1 for r in Resident.objects.all() if r.lsoa_id == "E01007009")
    assert values["credentials_issued"] == naive_credentials == 1
    assert values["targeting_plans"] == 1
    assert values["reach_in_target_areas"] == naive_reach == 1
