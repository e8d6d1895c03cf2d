"""One guard for a referral, whether read or changed, and one for a sustainment check, whether
recorded from the employer pages or from casework."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from skillspassport.employers import selectors, services
from skillspassport.employers.models import ReferralStatus, SustainmentCheck
from skillspassport.employers.tests.conftest import make_resident

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def referral(council, adviser, opportunity):
    resident = make_resident(council, adviser, digital="silver")
    return services.referral_create(actor=adviser, opportunity=opportunity, resident=resident)


@pytest.fixture
def started(referral, contact):
    for stage in (ReferralStatus.INTERVIEWED, ReferralStatus.OFFERED, ReferralStatus.STARTED):
        services.referral_progress(
            actor=contact, referral=referral, stage=stage, on=TODAY, hours_per_week=Decimal("30")
        )
    referral.refresh_from_db()
    return referral


def _progress(on=TODAY):
    return {
        "progress": "1",
        "p-stage": "interviewed",
        "p-on_0": on.day,
        "p-on_1": on.month,
        "p-on_2": on.year,
    }


@pytest.mark.parametrize(
    ("who", "as_staff", "may_change"),
    [("administrator", True, True), ("adviser", True, True), ("viewer", True, False)],
)
def test_staff_read_a_referral_and_change_it_only_if_they_refer(
    staff, referral, who, as_staff, may_change
):
    found = selectors.referral_get_for_user(user=staff[who], referral_id=referral.pk)
    assert (found.referral, found.as_staff, found.may_change) == (referral, as_staff, may_change)
    if not may_change:
        with pytest.raises(PermissionDenied):
            selectors.referral_get_for_user(user=staff[who], referral_id=referral.pk, change=True)


def test_the_employer_it_was_made_to_may_change_it(contact, referral):
    found = selectors.referral_get_for_user(user=contact, referral_id=referral.pk, change=True)
    assert (found.as_staff, found.may_change) == (False, True)


@pytest.mark.parametrize("who", ["analyst", "councillor", "programme_manager", "tutor_elsewhere"])
def test_anyone_else_is_not_told_the_referral_exists(staff, other_staff, referral, who):
    user = other_staff["adviser"] if who == "tutor_elsewhere" else staff[who]
    for change in (False, True):
        with pytest.raises(Http404):
            selectors.referral_get_for_user(user=user, referral_id=referral.pk, change=change)


def test_another_employers_contact_cannot_read_or_change_it(client, other_contact, referral):
    client.force_login(other_contact)
    url = reverse("employers:referral", args=[referral.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _progress()).status_code == 404


def test_a_read_only_member_of_staff_sees_no_forms_and_cannot_change_it(client, staff, referral):
    client.force_login(staff["viewer"])
    url = reverse("employers:referral", args=[referral.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Record what happened" not in page.content.decode()
    assert client.post(url, _progress()).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED


def test_an_adviser_sees_the_forms(client, adviser, referral):
    client.force_login(adviser)
    page = client.get(reverse("employers:referral", args=[referral.pk])).content.decode()
    assert "Record what happened" in page
    assert "Withdraw the referral" in page


def test_one_guard_answers_for_a_check_on_both_pages(client, staff, contact, started):
    check = SustainmentCheck.objects.get(job_start=started.job_start, weeks=13)
    employer_page = reverse("employers:check", args=[check.pk])
    casework_page = reverse("support:check-record", args=[check.pk])
    assert selectors.check_get_for_user(user=contact, check_id=check.pk) == check
    assert selectors.check_get_for_user(user=staff["adviser"], check_id=check.pk) == check
    with pytest.raises(PermissionDenied):
        selectors.check_get_for_user(user=staff["viewer"], check_id=check.pk)
    with pytest.raises(Http404):
        selectors.check_get_for_user(user=staff["analyst"], check_id=check.pk)
    client.force_login(staff["viewer"])
    assert client.get(employer_page).status_code == 403
    # The start came through a referral, not a case: casework has no case to show it on.
    client.force_login(staff["adviser"])
    assert client.get(employer_page).status_code == 200
    assert client.get(casework_page).status_code == 404
    client.force_login(contact)
    assert client.get(casework_page).status_code == 404


def test_a_guessed_check_is_not_found(client, adviser):
    client.force_login(adviser)
    assert client.get(reverse("employers:check", args=[999999])).status_code == 404
    assert client.get(reverse("support:check-record", args=[999999])).status_code == 404


def test_only_employers_contacts_get_the_employer_panel(client, staff, contact, employer):
    """A council administrator holds every capability in the council, but the council is not an
    employer: their dashboard offers no employer pages (which would not be found)."""
    assert selectors.own_employer_ids(user=staff["administrator"]) == frozenset()
    assert selectors.own_employer_ids(user=contact) == {employer.pk}
    client.force_login(staff["administrator"])
    assert "Your organisation" not in client.get(reverse("home:dashboard")).content.decode()
    client.force_login(contact)
    page = client.get(reverse("home:dashboard")).content.decode()
    assert "Your organisation" in page
    assert reverse("employers:detail", args=[employer.pk]) in page
