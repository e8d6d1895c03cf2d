"""Erasure by anonymisation on the demo scheme: figures and published reports are identical
before and after, and the people erased can no longer be found anywhere in the database."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.credentials.models import IssuedCredential
from skillspassport.credentials.services import share_link_create
from skillspassport.employers.models import Referral, SustainmentCheck
from skillspassport.people.models import ConsentRecord, Resident
from skillspassport.people.services import resident_update
from skillspassport.privacy.models import Erasure, ResidentRevision
from skillspassport.privacy.selectors import resident_reference
from skillspassport.privacy.services import ErasureError, resident_erase
from skillspassport.reports import kpis
from skillspassport.reports.models import MonitoringReport
from skillspassport.reports.services import (
    report_contents,
    report_create,
    report_figures,
    report_publish,
)
from skillspassport.skills.models import Evidence
from skillspassport.support.models import BudgetSpend, Case, CaseNote, Device, Goal, Placement
from skillspassport.training.models import Enrolment


def _one_of_each(council):
    """A resident with each kind of record (several may be the same person)."""
    residents = Resident.objects.filter(organisation=council)
    picks = [
        residents.filter(cases__notes__isnull=False),
        residents.filter(job_starts__checks__isnull=False),
        residents.filter(enrolments__attendance__isnull=False),
        residents.filter(referrals__isnull=False),
        residents.filter(credentials__isnull=False),
        residents.filter(budget_ledger__spends__isnull=False),
        residents.filter(cases__devices__isnull=False),
        residents.filter(cases__placements__isnull=False),
        residents.filter(equality__disability="yes"),
    ]
    chosen: dict[int, Resident] = {}
    for query in picks:
        resident = query.order_by("pk").first()
        assert resident is not None, query.query  # the demo has every kind of record
        chosen.setdefault(resident.pk, resident)
    return list(chosen.values())


def _plant(resident, number, user):
    """Give the resident details found nowhere else, and write them into every free text."""
    old_email = resident.email
    first, last = f"Quorra{number}", "Zephyrinex"
    details = {
        "first_name": first,
        "last_name": last,
        "email": f"quorra{number}.zephyrinex@example.org",
        "phone": f"01632 96{number:04d}",
        "address_line_1": f"{number} Xylophone Terrace",
        "town": "Vantablackton",
    }
    resident_update(user=user, resident=resident, details=details)
    full = f"{first} {last}"
    Evidence.objects.filter(resident=resident).update(note=f"Seen by {full}")
    ConsentRecord.objects.filter(resident=resident).update(
        note=f"Signed by {full}", guardian_name=f"Parent of {full}"
    )
    Resident.objects.filter(pk=resident.pk).update(
        duplicate_override_reason=f"Not the other {full}",
        outside_area_reason=f"{full} is moving here",
    )
    Referral.objects.filter(resident=resident).update(
        note=f"{full} keen", closed_note=f"{full} declined the offer"
    )
    SustainmentCheck.objects.filter(job_start__resident=resident).update(note=f"Spoke to {full}")
    Enrolment.objects.filter(resident=resident).update(non_completion_reason=f"{full} moved")
    Case.objects.filter(resident=resident).update(referral_contact=f"Mother of {full}")
    Goal.objects.filter(case__resident=resident).update(text=f"{full} to apply for jobs")
    CaseNote._base_manager.filter(case__resident=resident).update(text=f"Met {full}, {old_email}")
    BudgetSpend.objects.filter(ledger__resident=resident).update(description=f"Bus for {full}")
    Device.objects.filter(case__resident=resident).update(condition=f"Given to {full}")
    needles = [full, first, details["email"], details["phone"], f"0163296{number:04d}"]
    needles += ["Xylophone", "Vantablackton"]
    if old_email and not Resident.objects.filter(email=old_email).exists():
        needles.append(old_email)  # now only in the revision history
    return needles


def _everything_in_the_database():
    """Every value of every row of every table, as text."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is None or isinstance(value, bytes | memoryview):
                        continue
                    values.append((table, str(value).casefold()))
    return values


def _found(needles):
    wanted = [n.casefold() for n in needles]
    return sorted(
        {(table, n) for table, text in _everything_in_the_database() for n in wanted if n in text}
    )


def _periods():
    today = timezone.localdate()
    halves = [kpis.Period.containing(today)]
    while len(halves) < 6:
        halves.append(halves[-1].previous())
    first = today.year if today.month >= 4 else today.year - 1
    years = [kpis.Period.financial_year(y) for y in range(first - 3, first + 1)]
    return halves + years


def _figures(council):
    """Every KPI for every standard period (whole scheme and by ward), and the full report
    contents (equality tables, ages, wards, areas) for the last two half-years."""
    out = {}
    wards = sorted(
        {
            w
            for w in Resident.objects.filter(organisation=council).values_list("ward_id", flat=True)
            if w
        }
    )
    for period in _periods():
        out[("kpis", period.label)] = [(v.code, v.value) for v in kpis.compute(council, period)]
        for ward in wards[:3]:
            values = kpis.compute(council, period, filters=kpis.Filters(ward=ward))
            out[("kpis", period.label, ward)] = [(v.code, v.value) for v in values]
    for period in _periods()[:2]:
        figures = report_figures(council, period)
        figures.pop("computed_at")
        out[("report", period.label)] = figures
    return out


def _dashboard(client, user):
    client.force_login(user)
    pages = []
    for view in ("", "financial_years"):
        response = client.get(reverse("reports:dashboard"), {"view": view} if view else {})
        assert response.status_code == 200
        html = response.content.decode()
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html))
    return pages


@pytest.mark.django_db
def test_erasure_keeps_every_figure_and_leaves_no_trace(client, demo, demo_admin):
    council = demo
    residents = _one_of_each(council)
    assert len(residents) >= 3
    needles = []
    for number, resident in enumerate(residents):
        needles += _plant(resident, number, demo_admin)
    credential = IssuedCredential.objects.filter(
        resident__in=residents, revoked_at__isnull=True
    ).first()
    assert credential is not None
    share_link_create(user=demo_admin, credential=credential)

    last_half = kpis.Period.containing(timezone.localdate()).previous()
    published = report_publish(
        report=report_create(council=council, period=last_half, user=demo_admin), user=demo_admin
    )
    published_before = report_contents(published)
    figures_before = _figures(council)
    dashboard_before = _dashboard(client, demo_admin)
    assert _found(needles), "the planted details must be findable before erasure"

    # One through the page, one through the command, the rest through the service.
    first, second, *rest = residents
    client.force_login(demo_admin)
    reference = resident_reference(first.public_id)
    page = reverse("privacy:erase", args=[first.public_id])
    form = client.get(page)
    token = re.search(r'name="submission_token" value="([^"]+)"', form.content.decode())[1]
    response = client.post(page, {"confirmation": reference.lower(), "submission_token": token})
    assert response.status_code == 302
    call_command(
        "erase_resident",
        str(second.public_id),
        "--confirm",
        resident_reference(second.public_id),
        "--no-input",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    for resident in rest:
        resident_erase(
            user=demo_admin, resident=resident, confirmation=resident_reference(resident.public_id)
        )

    client.get(reverse("privacy:resident", args=[first.public_id]))  # shows the message

    # Nobody can be found...
    assert _found(needles) == []
    for resident in residents:
        resident.refresh_from_db()
        assert resident.full_name == "Erased resident"
        assert (resident.email, resident.phone, resident.postcode, resident.address_line_1) == (
            "",
            "",
            "",
            "",
        )
        assert resident.date_of_birth.day == 1
        assert resident.date_of_birth.month in (1, 4, 10)
        assert resident.lsoa_id, "the small area is kept for the figures"
        assert not ConsentRecord.objects.active().filter(resident=resident).exists()
        assert not ResidentRevision.objects.filter(resident=resident).exclude(previous={}).exists()
        assert Erasure.objects.filter(resident=resident).exists()
        erased = AuditEvent.objects.get(resident=resident, action=AuditAction.RESIDENT_ERASED)
        assert "Quorra" not in erased.summary
    for held in IssuedCredential.objects.filter(resident__in=residents):
        assert held.revoked_at is not None
        assert held.share_token is None
        assert held.share_withdraw_token is None
        assert held.document["credentialSubject"]["identifier"] == []
    assert (
        not BudgetSpend.objects.filter(ledger__resident__in=residents).exclude(receipt="").exists()
    )
    assert Placement.objects.filter(case__resident__in=residents).exists(), "rows are kept"

    # ...and every figure, the dashboard and the published report are as they were.
    assert _figures(council) == figures_before
    assert _dashboard(client, demo_admin) == dashboard_before
    published.refresh_from_db()
    assert report_contents(published) == published_before
    assert MonitoringReport.objects.get(pk=published.pk).is_published

    # It cannot be done twice.
    with pytest.raises(ErasureError):
        resident_erase(
            user=demo_admin, resident=first, confirmation=resident_reference(first.public_id)
        )
