"""Changing what an employer offers: an opportunity edited, closed early, unpublished and put
back, always fitting the pledge it counts against; a role edited."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from skillspassport.employers import selectors, services
from skillspassport.employers.models import JobRole, Opportunity, OpportunityType, Referral
from skillspassport.employers.services import EmployerError
from skillspassport.employers.tests.conftest import make_resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def date_fields(prefix, day):
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


@pytest.fixture
def pledge(adviser, employer):
    return services.pledge_sign(
        actor=adviser,
        employer=employer,
        level="bronze",
        opportunity_type=OpportunityType.WORK_EXPERIENCE,
        quantity_per_year=10,
        starts_on=TODAY - timedelta(days=30),
        ends_on=TODAY + timedelta(days=300),
    )


def _form(pledge, **overrides):
    data = {
        "title": "Two weeks in the warehouse",
        "opportunity_type": "work_experience",
        "pledge": str(pledge.pk),
        "places": "4",
        "min_digital": "bronze",
        **date_fields("closing_on", TODAY + timedelta(days=20)),
    }
    data.update(overrides)
    return data


def test_a_job_cannot_count_against_a_work_experience_pledge(client, contact, employer, pledge):
    client.force_login(contact)
    response = client.post(
        f"/employers/{employer.pk}/opportunities/new/", _form(pledge, opportunity_type="job")
    )
    shown = response.content.decode()
    assert "The pledge is for work experience" in shown
    assert 'id="pledge-error"' in shown or "govuk-form-group--error" in shown
    assert not Opportunity.objects.filter(pledge=pledge).exists()


def test_a_minimum_above_the_pledge_level_is_refused_and_equal_is_accepted(
    client, contact, employer, pledge
):
    client.force_login(contact)
    refused = client.post(
        f"/employers/{employer.pk}/opportunities/new/", _form(pledge, min_literacy="silver")
    )
    assert "the minimum literacy level cannot be above Bronze" in refused.content.decode()
    assert not Opportunity.objects.filter(pledge=pledge).exists()
    accepted = client.post(f"/employers/{employer.pk}/opportunities/new/", _form(pledge))
    assert accepted.status_code == 302
    assert Opportunity.objects.filter(pledge=pledge).count() == 1


def test_the_employer_changes_an_opportunity_and_the_pledge_rule_still_holds(
    client, contact, employer, pledge
):
    client.force_login(contact)
    client.post(f"/employers/{employer.pk}/opportunities/new/", _form(pledge))
    opportunity = Opportunity.objects.get(pledge=pledge)
    url = f"/employers/opportunities/{opportunity.pk}/change/"
    page = client.get(url).content.decode()
    assert 'value="Two weeks in the warehouse"' in page
    refused = client.post(url, _form(pledge, opportunity_type="apprenticeship"))
    assert "The pledge is for work experience" in refused.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.opportunity_type == "work_experience"
    changed = client.post(url, _form(pledge, title="Three weeks in the warehouse", places="6"))
    assert changed.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.title, opportunity.places) == ("Three weeks in the warehouse", 6)


def test_places_cannot_go_below_the_starts_already_made(adviser, council, opportunity):
    for _ in range(2):
        resident = make_resident(council, adviser, digital="silver")
        referral = services.referral_create(
            actor=adviser, opportunity=opportunity, resident=resident
        )
        services.referral_progress(actor=adviser, referral=referral, stage="offered", on=TODAY)
        services.referral_progress(
            actor=adviser, referral=referral, stage="started", on=TODAY, hours_per_week=Decimal(30)
        )
    with pytest.raises(EmployerError, match="2 people have started already"):
        services.opportunity_update(
            actor=adviser,
            opportunity=opportunity,
            title=opportunity.title,
            opportunity_type=opportunity.opportunity_type,
            places=1,
            closing_on=opportunity.closing_on,
            minimum=opportunity.minimum_levels(),
        )
    opportunity.refresh_from_db()
    assert opportunity.places == 2


def test_other_employers_and_read_only_staff_cannot_change_an_opportunity(
    client, other_contact, staff, opportunity
):
    for user in (other_contact, staff["viewer"]):
        client.force_login(user)
        assert client.get(f"/employers/opportunities/{opportunity.pk}/change/").status_code == 404
        assert client.post(f"/employers/opportunities/{opportunity.pk}/publish/").status_code == 404
    opportunity.refresh_from_db()
    assert opportunity.withdrawn_at is None


def test_closed_early_it_takes_no_referrals_and_is_not_listed(
    client, adviser, contact, council, employer, opportunity
):
    client.force_login(contact)
    too_late = client.post(
        f"/employers/opportunities/{opportunity.pk}/close/",
        date_fields("on", opportunity.closing_on + timedelta(days=1)),
    )
    assert "on or before the closing date" in too_late.content.decode()
    closed = client.post(
        f"/employers/opportunities/{opportunity.pk}/close/", date_fields("on", TODAY)
    )
    assert closed.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.closed_early_on == TODAY
    assert (
        f"closed early on {TODAY:%-d %B %Y}"
        in client.get(f"/employers/opportunities/{opportunity.pk}/").content.decode()
    )
    assert opportunity not in selectors.open_opportunities_of(employers=[employer], today=TODAY)
    resident = make_resident(council, adviser, digital="gold")
    with pytest.raises(EmployerError, match="has closed"):
        services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)


def test_unpublished_then_published_again(client, adviser, contact, council, opportunity):
    resident = make_resident(council, adviser, digital="gold")
    client.force_login(contact)
    client.post(f"/employers/opportunities/{opportunity.pk}/publish/", {"publish": "0"})
    opportunity.refresh_from_db()
    assert opportunity.withdrawn_at is not None
    assert (
        "was unpublished on"
        in client.get(f"/employers/opportunities/{opportunity.pk}/").content.decode()
    )
    with pytest.raises(EmployerError, match="has closed"):
        services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    client.post(f"/employers/opportunities/{opportunity.pk}/publish/", {"publish": "1"})
    opportunity.refresh_from_db()
    assert opportunity.withdrawn_at is None
    services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)
    assert Referral.objects.filter(opportunity=opportunity).count() == 1


def test_the_employer_changes_a_role(client, adviser, contact, other_contact, employer, council):
    words = selectors.framework_words(organisation=employer)
    first, second = list(words.areas)[:2]
    role = services.role_create(
        actor=adviser,
        employer=employer,
        title="Warehouse operative",
        needs=[(first, words.strands[first], "", "chosen")],
    )
    url = f"/employers/{employer.pk}/roles/{role.pk}/"
    client.force_login(other_contact)
    assert client.get(url).status_code == 404
    client.force_login(contact)
    assert 'value="Warehouse operative"' in client.get(url).content.decode()
    empty = client.post(url, {"title": "  ", "areas": [first]})
    assert "Enter the role title" in empty.content.decode()
    none = client.post(url, {"title": "Stock controller", "areas": []})
    assert "Choose at least one skill area the role needs" in none.content.decode()
    role.refresh_from_db()
    assert role.title == "Warehouse operative"
    client.post(url, {"title": "Stock  controller", "is_tech_role": "on", "areas": [second]})
    role = JobRole.objects.get(pk=role.pk)
    assert (role.title, role.is_tech_role) == ("Stock controller", True)
    assert list(role.needs.values_list("area_code", flat=True)) == [second]
