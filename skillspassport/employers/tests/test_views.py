"""Employer pages as their users meet them: the compact, roles from adverts, opportunities,
referrals and outcomes — and what bad input gets."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from skillspassport.core import disclosure
from skillspassport.employers.models import (
    JobRole,
    Opportunity,
    Pledge,
    Referral,
    ReferralStatus,
    SustainmentCheck,
)
from skillspassport.employers.tests.conftest import make_resident
from skillspassport.skills.models import Descriptor, Evidence, EvidenceMethod
from skillspassport.skills.selectors import rule_set_for_organisation

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def date_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def advert(client, employer, text, title="Warehouse administrator"):
    return client.post(
        f"/employers/{employer.pk}/roles/new/",
        {"title": title, "advert_text": text, "suggest": "1"},
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x" * 100_001, "100 KB or less"),
        (
            (
                "Nous recherchons un assistant administratif pour rejoindre notre équipe. Vous "
                "utiliserez des tableurs et répondrez aux courriels des clients avec le sourire."
            ),
            "must be in English",
        ),
        (
            "我们正在寻找一名仓库管理员，负责使用电子表格记录库存并回复客户邮件。",  # noqa: RUF001
            "must be in English",
        ),
    ],
)
def test_bad_advert_text_gets_a_clear_message_and_nothing_is_saved(
    client, contact, employer, text, message
):
    client.force_login(contact)
    page = advert(client, employer, text)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "There is a problem" in page.content.decode()
    assert not JobRole.objects.exists()


def test_role_from_an_advert_suggests_skills_and_saves_only_what_the_employer_keeps(
    client, contact, employer
):
    client.force_login(contact)
    text = (
        "You will keep stock records in Excel spreadsheets, answer customer emails and "
        "calculate delivery costs. Good written communication is essential."
    )
    page = advert(client, employer, text)
    body = page.content.decode()
    assert "use spreadsheets software" in body
    suggested = page.context["skills_form"]
    esco = [uri for uri, _ in suggested.fields["esco"].choices]
    areas = suggested.initial["areas"]
    assert "digital.handling_information" in areas
    kept = esco[:2]
    response = client.post(
        f"/employers/{employer.pk}/roles/new/",
        {
            "title": "Warehouse administrator",
            "advert_text": text,
            "save": "1",
            "esco": kept,
            "areas": areas,
        },
    )
    assert response.status_code == 302
    role = JobRole.objects.get()
    assert sorted(role.skills.values_list("esco_uri", flat=True)) == sorted(kept)
    assert set(role.needs.values_list("area_code", flat=True)) == set(areas)


def test_an_empty_advert_means_choosing_areas_by_hand_and_nothing_chosen_is_refused(
    client, contact, employer
):
    client.force_login(contact)
    page = advert(client, employer, "   ")
    assert "choose the skill areas" in page.content.decode().lower()
    page = client.post(
        f"/employers/{employer.pk}/roles/new/",
        {"title": "Cleaner", "advert_text": "", "save": "1"},
    )
    assert "Choose at least one skill or skill area" in page.content.decode()
    assert not JobRole.objects.exists()


def test_opportunity_form_refuses_past_closing_dates_zero_places_and_bad_money(
    client, contact, employer
):
    client.force_login(contact)
    page = client.post(
        f"/employers/{employer.pk}/opportunities/new/",
        {
            "title": "Packer",
            "opportunity_type": "job",
            "places": "0",
            "hourly_wage": "-3",
            **date_fields("closing_on", TODAY - timedelta(days=1)),
        },
    )
    body = page.content.decode()
    assert "The closing date must be today or in the future" in body
    assert "Places must be 1 or more" in body
    assert "cannot be negative" in body
    assert not Opportunity.objects.exists()


def test_employer_signs_a_pledge(client, contact, employer):
    client.force_login(contact)
    response = client.post(
        f"/employers/{employer.pk}/pledges/new/",
        {
            "level": "silver",
            "opportunity_type": "guaranteed_interview",
            "quantity_per_year": "8",
            **date_fields("starts_on", TODAY),
            **date_fields("ends_on", TODAY + timedelta(days=364)),
        },
    )
    assert response.status_code == 302
    assert Pledge.objects.get().quantity_per_year == 8
    page = client.get(f"/employers/{employer.pk}/")
    assert "Guaranteed interview" in page.content.decode()


def test_adviser_refers_from_the_match_list_and_a_duplicate_gets_a_message(
    client, adviser, council, opportunity
):
    resident = make_resident(council, adviser, digital="gold")
    client.force_login(adviser)
    page = client.get(f"/employers/opportunities/{opportunity.pk}/")
    assert resident.full_name in page.content.decode()
    url = f"/employers/opportunities/{opportunity.pk}/refer/"
    client.post(url, {"resident": resident.public_id})
    second = client.post(url, {"resident": resident.public_id}, follow=True)
    assert "already referred to this opportunity" in second.content.decode()
    assert Referral.objects.count() == 1


def test_referral_without_consent_gets_a_message(client, adviser, council, opportunity):
    resident = make_resident(council, adviser, put_forward=False, digital="gold")
    client.force_login(adviser)
    page = client.post(
        f"/employers/opportunities/{opportunity.pk}/refer/",
        {"resident": resident.public_id, "next": "resident"},
        follow=True,
    )
    assert "has not agreed to be put forward" in page.content.decode()
    assert not Referral.objects.exists()


def test_employer_records_outcomes_to_a_start_and_the_adviser_records_the_checks(
    client, adviser, contact, council, opportunity
):
    resident = make_resident(council, adviser, digital="silver")
    client.force_login(adviser)
    client.post(
        f"/employers/opportunities/{opportunity.pk}/refer/", {"resident": resident.public_id}
    )
    referral = Referral.objects.get()
    client.force_login(contact)
    url = f"/employers/referrals/{referral.pk}/"
    page = client.get(url)
    assert resident.full_name in page.content.decode()
    for stage in ("interviewed", "offered"):
        client.post(url, {"progress": "1", "p-stage": stage, **date_fields("p-on", TODAY)})
    missing_hours = client.post(
        url, {"progress": "1", "p-stage": "started", **date_fields("p-on", TODAY)}
    )
    assert "Enter the hours a week for a start" in missing_hours.content.decode()
    client.post(
        url,
        {
            "progress": "1",
            "p-stage": "started",
            "p-hours_per_week": "30",
            "p-contract": "permanent",
            **date_fields("p-on", TODAY),
        },
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.STARTED
    check = SustainmentCheck.objects.get(job_start=referral.job_start, weeks=13)
    client.force_login(adviser)
    # On the start day the job has not been sustained 13 weeks yet: refused, nothing recorded.
    too_soon = client.post(
        f"/employers/sustainment/{check.pk}/",
        {"outcome": "in_work", **date_fields("checked_on", TODAY)},
    )
    assert "cannot be recorded as sustained" not in too_soon.content.decode()
    assert "until then only “no longer in work” can be recorded" in too_soon.content.decode()
    check.refresh_from_db()
    assert check.outcome == ""
    response = client.post(
        f"/employers/sustainment/{check.pk}/",
        {"outcome": "not_in_work", **date_fields("checked_on", TODAY)},
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.outcome == "not_in_work"


def test_demand_page_hides_small_counts_of_residents(client, adviser, council, employer):
    """The demand page counts residents with verified (not self-assessed) evidence in each skill
    area: three in one area are "fewer than 5", six in another are shown as six."""
    framework = rule_set_for_organisation(organisation=council).framework
    descriptors = Descriptor.objects.filter(framework=framework).select_related("area")
    small, large = (descriptors.filter(area=area).first() for area in _two_areas(descriptors))
    for descriptor, people in ((small, 3), (large, 6)):
        for _ in range(people):
            Evidence.objects.create(
                resident=make_resident(council, adviser),
                descriptor=descriptor,
                method=EvidenceMethod.OBSERVED_ADVISER,
                shown_on=TODAY,
                recorded_by=adviser,
            )
        Evidence.objects.create(  # self-assessed evidence does not count
            resident=make_resident(council, adviser),
            descriptor=descriptor,
            method=EvidenceMethod.SELF_ASSESSED,
            shown_on=TODAY,
            recorded_by=adviser,
        )
    client.force_login(adviser)
    page = client.get("/employers/demand/")
    assert page.status_code == 200
    residents = {row.area_code: row.residents for row in page.context["table"]}
    assert residents[small.area.code] == disclosure.PRIMARY
    assert residents[large.area.code] == 6
    assert disclosure.PRIMARY in page.content.decode()


def _two_areas(descriptors):
    areas = list(dict.fromkeys(d.area for d in descriptors))
    assert len(areas) >= 2
    return areas[0], areas[1]


def test_employer_reports_whether_the_person_kept_the_job(
    client, adviser, contact, other_contact, council, opportunity
):
    resident = make_resident(council, adviser, digital="silver")
    client.force_login(adviser)
    client.post(
        f"/employers/opportunities/{opportunity.pk}/refer/", {"resident": resident.public_id}
    )
    referral = Referral.objects.get()
    started = TODAY - timedelta(weeks=14)
    Referral.objects.filter(pk=referral.pk).update(referred_at=timezone.now() - timedelta(weeks=16))
    client.force_login(contact)
    url = f"/employers/referrals/{referral.pk}/"
    for stage in ("interviewed", "offered"):
        client.post(url, {"progress": "1", "p-stage": stage, **date_fields("p-on", started)})
    client.post(
        url,
        {
            "progress": "1",
            "p-stage": "started",
            "p-hours_per_week": "30",
            "p-contract": "permanent",
            **date_fields("p-on", started),
        },
    )
    check = SustainmentCheck.objects.get(weeks=13)
    due = client.get("/employers/sustainment/")
    assert escape(resident.full_name) in due.content.decode()  # "O&#x27;Sullivan" as HTML
    assert f"/employers/sustainment/{check.pk}/" in client.get(url).content.decode()

    client.force_login(other_contact)
    assert client.get(f"/employers/sustainment/{check.pk}/").status_code == 404
    assert resident.full_name not in client.get("/employers/sustainment/").content.decode()

    client.force_login(contact)
    response = client.post(
        f"/employers/sustainment/{check.pk}/",
        {"outcome": "in_work", **date_fields("checked_on", TODAY)},
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert (check.outcome, check.checked_by) == ("in_work", contact)


def test_employer_dashboard_counts_referrals_waiting(
    client, adviser, contact, council, opportunity
):
    resident = make_resident(council, adviser, digital="silver")
    client.force_login(adviser)
    client.post(
        f"/employers/opportunities/{opportunity.pk}/refer/", {"resident": resident.public_id}
    )
    client.force_login(contact)
    body = client.get("/").content.decode()
    assert "1 referral waiting for an outcome" in body
    assert "0 sustainment checks due" in body


def test_a_scheme_with_no_employers_yet_can_add_its_first(client, adviser):
    client.force_login(adviser)
    page = client.get("/employers/")
    assert page.status_code == 200
    assert "No employers yet." in page.content.decode()
    assert "Add an employer" in page.content.decode()
