"""The employer, training and casework KPIs, recounted record by record from the demo scheme."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from skillspassport.employers.models import JobStart, Referral, SustainmentCheck
from skillspassport.reports.kpis import Filters, Period, compute
from skillspassport.support.models import BudgetSpend, Case, Device, Placement
from skillspassport.training.models import Enrolment


def _in_scheme(resident, council):
    return resident.organisation_id == council.pk or resident.organisation.council_id == council.pk


def _between(day, period):
    return day is not None and period.start <= day <= period.end


def _recount(council, period):
    def local(moment):
        return timezone.localtime(moment).date() if moment else None

    starts = [j for j in JobStart.objects.all() if _in_scheme(j.resident, council)]
    in_period = [j for j in starts if _between(j.started_on, period)]
    spends = [
        s.amount
        for s in BudgetSpend.objects.all()
        if s.status == "approved"
        and _between(s.spent_on, period)
        and _in_scheme(s.ledger.resident, council)
    ]
    pledged = [
        r
        for r in Referral.objects.select_related("opportunity__pledge")
        if r.opportunity.pledge_id and _in_scheme(r.resident, council)
    ]
    return {
        "job_starts": len(in_period),
        "sustained_13_weeks": sum(
            1
            for c in SustainmentCheck.objects.all()
            if c.weeks == 13
            and c.outcome == "in_work"
            and _between(c.due_on, period)
            and _in_scheme(c.job_start.resident, council)
        ),
        "sustained_26_weeks": sum(
            1
            for c in SustainmentCheck.objects.all()
            if c.weeks == 26
            and c.outcome == "in_work"
            and _between(c.due_on, period)
            and _in_scheme(c.job_start.resident, council)
        ),
        "budget_spend_per_outcome": (
            round(float(sum(spends)) / len(in_period), 2) if in_period else None
        ),
        "placements_started": sum(
            1
            for p in Placement.objects.all()
            if _between(p.starts_on, period) and _in_scheme(p.case.resident, council)
        ),
        "devices_and_sims": sum(
            1
            for d in Device.objects.all()
            if _between(d.issued_on, period) and _in_scheme(d.case.resident, council)
        ),
        "training_starts": sum(
            1
            for e in Enrolment.objects.all()
            if _between(local(e.enrolled_at), period) and _in_scheme(e.resident, council)
        ),
        "training_completions": sum(
            1
            for e in Enrolment.objects.all()
            if e.status == "completed"
            and _between(local(e.outcome_recorded_at), period)
            and _in_scheme(e.resident, council)
        ),
        "residents_by_referral_source": len(
            {
                c.resident_id
                for c in Case.objects.all()
                if _between(c.referred_on, period) and _in_scheme(c.resident, council)
            }
        ),
        "pledges_fulfilled": sum(
            1
            for r in pledged
            if (
                _between(r.interviewed_on, period)
                if r.opportunity.pledge.opportunity_type == "guaranteed_interview"
                else _between(r.started_on, period)
            )
        ),
    }


@pytest.mark.django_db
def test_delivery_kpis_match_an_independent_recount(demo):
    today = timezone.localdate()
    year = date(today.year - 1, 1, 1)
    periods = [Period(year, today, "last two years"), Period.containing(today)]
    for period in periods:
        expected = _recount(demo, period)
        values = {v.code: v.value for v in compute(demo, period, codes=list(expected))}
        assert values == expected, period.label
    wide = _recount(demo, periods[0])
    for code in (
        "job_starts",
        "training_starts",
        "pledges_fulfilled",
        "devices_and_sims",
        "placements_started",
        "residents_by_referral_source",
    ):
        assert wide[code] > 0, code  # the demo exercises every measure


@pytest.mark.django_db
def test_delivery_kpis_follow_the_ward_filter(demo):
    today = timezone.localdate()
    period = Period(date(today.year - 1, 1, 1), today, "two years")
    all_values = {v.code: v.value for v in compute(demo, period, codes=["job_starts"])}
    wards = {j.resident.ward_id for j in JobStart.objects.all() if j.resident.ward_id}
    by_ward = sum(
        compute(demo, period, codes=["job_starts"], filters=Filters(ward=w))[0].value for w in wards
    )
    no_ward = sum(
        1
        for j in JobStart.objects.all()
        if not j.resident.ward_id and _between(j.started_on, period)
    )
    assert by_ward + no_ward == all_values["job_starts"]


@pytest.mark.django_db
def test_tech_role_starts_by_sex_are_counted_and_protected(demo):
    from skillspassport.people.models import EqualityMonitoring
    from skillspassport.reports.services import _tech_roles_by_sex

    today = timezone.localdate()
    period = Period(date(today.year - 1, 1, 1), today, "two years")
    JobStart.objects.filter(pk__in=JobStart.objects.values("pk")[:6]).update(is_tech_role=True)
    tech = [j for j in JobStart.objects.filter(is_tech_role=True) if _between(j.started_on, period)]
    section = _tech_roles_by_sex(demo, period)
    rows = {r["label"]: r["count"] for r in section["rows"]}
    assert rows["Total"] == len(tech)
    female = sum(
        1
        for j in tech
        if EqualityMonitoring.objects.filter(resident=j.resident, sex="female").exists()
    )
    assert rows["Female"] == female if female == 0 or female >= 5 else rows["Female"] != female
