"""The priority-areas page, exports, plans and outreach lists, as the council's staff use them."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.people.services import consent_give
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.targeting.models import TargetingPlan, TargetingRun
from skillspassport.targeting.services import shipped_slice_load

PAGE = reverse("targeting:page")


@pytest.fixture
def sefton(council):
    council.local_authority_code = "E08000014"
    council.save()
    shipped_slice_load()
    return council


def test_analyst_sees_ranked_areas_map_and_wards(client, staff, sefton):
    client.force_login(staff["analyst"])
    response = client.get(PAGE)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Digital exclusion (DERI-style)" in body
    assert body.count('class="app-map__area"') == 191
    assert "1st of 191: " in body
    assert "By ward" in body
    assert "Linacre" in body


def test_employment_preset_puts_bootle_at_the_top(client, staff, sefton):
    client.force_login(staff["analyst"])
    response = client.get(PAGE, {"preset": "employment", "base": "council"})
    rows = response.context["ranking"].rows
    top_wards = {row["area"].ward_name for row in rows[:10]}
    assert top_wards & {"Linacre", "Derby"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"w_demography": "-1"}, "Demography weight cannot be negative"),
        (
            {"w_demography": "0", "w_connectivity": "0", "w_deprivation": "0"},
            "at least one weight must be more than zero",
        ),
        ({"w_demography": "lots"}, "Demography weight must be a number"),
        ({"preset": "astrology"}, "Select a method from the list"),
        ({"base": "england"}, "England-wide data is not loaded"),
    ],
)
def test_bad_choices_get_a_clear_message(client, staff, sefton, params, message):
    client.force_login(staff["analyst"])
    response = client.get(PAGE, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body


def test_custom_weights_change_the_ranking(client, staff, sefton):
    client.force_login(staff["analyst"])
    default = client.get(PAGE).context["ranking"].rows[0]["result"].area
    reweighted = client.get(PAGE, {"w_demography": "0", "w_connectivity": "0"})
    top = reweighted.context["ranking"].rows[0]["result"]
    assert reweighted.context["ranking"].scoring.method.component_weights["demography"] == 0
    assert top.area != default


def test_partial_results_for_javascript(client, staff, sefton):
    client.force_login(staff["analyst"])
    body = client.get(PAGE, {"partial": "1"}).content.decode()
    assert "<html" not in body
    assert "Ranked areas" in body


def test_csv_and_xlsx_exports(client, staff, sefton):
    client.force_login(staff["analyst"])
    csv_body = client.get(PAGE, {"preset": "imd", "format": "csv"}).content.decode()
    header, first = csv_body.splitlines()[:2]
    assert header.startswith("rank,lsoa21_code,lsoa21_name,ward,score")
    assert first.startswith("1,")
    xlsx = client.get(PAGE, {"preset": "imd", "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book["Ranking"].max_row == 192
    assert book["Method"]["B1"].value == "IMD only"
    runs = TargetingRun.objects.all()
    assert runs.count() == 2  # every export keeps its method, weights and inputs
    assert {r.method["code"] for r in runs} == {"imd"}


def test_roles_without_aggregates_cannot_see_it(client, staff, sefton):
    client.force_login(staff["employer_contact"])
    assert client.get(PAGE).status_code == 403


def _save_plan(client, areas):
    return client.post(
        reverse("targeting:plan-create"),
        {
            "preset": "employment",
            "base": "council",
            "area": areas,
            "name": "Bootle outreach",
            "rationale": "Highest employment and skills need.",
        },
    )


def test_plan_records_the_run_and_lists_only_contactable_residents(client, staff, sefton):
    adviser = staff["adviser"]
    in_area_contact = ResidentFactory(
        organisation=sefton, user=adviser, postcode="L20 1AD", last_name="Contactable"
    )
    consent_give(user=adviser, resident=in_area_contact, purpose="contact", lawful_basis="consent")
    ResidentFactory(organisation=sefton, user=adviser, postcode="L20 1AD", last_name="Private")
    ResidentFactory(organisation=sefton, user=adviser, postcode="L20 0AH", last_name="Elsewhere")
    client.force_login(adviser)
    response = _save_plan(client, ["E01007009"])  # Linacre: L20 1AD
    plan = TargetingPlan.objects.get()
    assert response.url == reverse("targeting:plan", args=[plan.pk])
    saved = AuditEvent.objects.get(action=AuditAction.PLAN_SAVED)
    assert saved.organisation == sefton
    assert saved.changes["areas"] == [None, ["E01007009"]]
    run = TargetingRun.objects.get()
    assert run.method["version"] == "risk-1.0"
    assert run.method["component_weights"] == {"employment": 1, "skills": 1, "income": 1}
    assert len(run.results) == 191
    page = client.get(response.url).content.decode()
    assert "Contactable" in page
    assert "Private" not in page  # no consent to contact
    assert "Elsewhere" not in page  # not in the plan's areas
    assert "1 more would benefit but have not agreed to be contacted" in page
    export = client.get(response.url, {"format": "csv"})
    assert "Contactable" in export.content.decode()
    assert "Private" not in export.content.decode()
    # One event per exported resident, so it shows on that resident's own audit page.
    event = AuditEvent.objects.get(action=AuditAction.OUTREACH_EXPORTED)
    assert event.user == adviser
    assert event.resident == in_area_contact
    assert "CSV" in event.summary


def test_plan_needs_areas_and_a_name(client, staff, sefton):
    client.force_login(staff["adviser"])
    _save_plan(client, [])
    assert not TargetingPlan.objects.exists()
    response = _save_plan(client, ["E99999999"])
    assert not TargetingPlan.objects.exists()
    assert response.status_code == 302


def test_analyst_plan_page_has_no_personal_data(client, staff, sefton):
    client.force_login(staff["adviser"])
    _save_plan(client, ["E01007009"])
    plan = TargetingPlan.objects.get()
    client.force_login(staff["analyst"])
    page = client.get(reverse("targeting:plan", args=[plan.pk])).content.decode()
    assert "outreach list is not shown" in page
    assert (
        client.get(reverse("targeting:plan", args=[plan.pk]), {"format": "csv"}).status_code == 200
    )
    assert not AuditEvent.objects.filter(action=AuditAction.OUTREACH_EXPORTED).exists()


def test_another_council_cannot_open_the_plan(client, staff, other_staff, sefton, other_council):
    client.force_login(staff["adviser"])
    _save_plan(client, ["E01007009"])
    plan = TargetingPlan.objects.get()
    other_council.local_authority_code = "E08000011"
    other_council.save()
    client.force_login(other_staff["adviser"])
    assert client.get(reverse("targeting:plan", args=[plan.pk])).status_code == 404


def test_area_profile_shows_every_indicator_and_scores(client, staff, sefton):
    client.force_login(staff["analyst"])
    page = client.get(reverse("targeting:area", args=["E01007009"]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Linacre ward" in body
    for label in ("IMD score", "Employment deprivation", "Aged 65 and over", "Poor broadband"):
        assert label in body
    assert "Employment and skills need" in body
    assert " of 191: " in body
    assert "e-Withdrawn" in body  # the 2011 best-fit area's Internet User Classification
    assert client.get(reverse("targeting:area", args=["E99999999"])).status_code == 404


def test_skills_baseline_suppresses_small_counts(client, staff, sefton):
    adviser = staff["adviser"]
    for _ in range(6):
        ResidentFactory(organisation=sefton, user=adviser, postcode="L20 1AD")
    ResidentFactory(organisation=sefton, user=adviser, postcode="L20 0AH")
    client.force_login(staff["analyst"])
    body = client.get(reverse("targeting:baseline")).content.decode()
    assert "Linacre" in body
    assert "All wards" in body
    assert "fewer than 5" in body  # Derby has one resident
    assert ">1<" not in body  # and it cannot be read, nor worked out as 7 - 6
    assert ">6<" not in body
