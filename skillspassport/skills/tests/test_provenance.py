"""How evidence was shown follows who records it, and the resident page says when
self-assessed evidence does not count."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.urls import reverse

from skillspassport.accounts.models import OrganisationKind, Role
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor, Evidence, LevelRuleSet, PassportLevel
from skillspassport.skills.services import (
    EvidenceError,
    course_completion_record,
    evidence_record,
)

TODAY = date(2026, 11, 1)


@pytest.fixture
def resident(council, adviser):
    return ResidentFactory(organisation=council, user=adviser)


@pytest.fixture
def provider_tutor(council):
    """A tutor at a training provider that works in the council's scheme."""
    provider = OrganisationFactory(
        name="Hugh Baird College", kind=OrganisationKind.PROVIDER, council=council
    )
    user = UserFactory(email="tutor@college.test", full_name="College Tutor")
    MembershipFactory(user=user, organisation=provider, role=Role.TUTOR)
    return user


def foundation():
    return list(Descriptor.objects.filter(level__code="foundation"))


def form_data(method, items):
    return {
        "submission_token": str(uuid.uuid4()),
        "descriptors": [d.pk for d in items],
        "method": method,
        "shown_on_0": "1",
        "shown_on_1": "11",
        "shown_on_2": "2026",
    }


def record_page(client, user, resident):
    client.force_login(user)
    return reverse("skills:evidence-record", args=[resident.public_id, "digital"])


def test_an_adviser_cannot_record_a_tutors_observation(resident, adviser):
    with pytest.raises(EvidenceError, match="Only a tutor"):
        evidence_record(
            user=adviser,
            resident=resident,
            descriptors=foundation(),
            method="observed_tutor",
            shown_on=TODAY,
        )
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("who", ["adviser", "tutor", "administrator"])
def test_no_one_records_course_completion_by_hand(resident, staff, provider_tutor, who):
    user = provider_tutor if who == "tutor" else staff[who]
    with pytest.raises(EvidenceError, match="recorded by the training provider"):
        evidence_record(
            user=user,
            resident=resident,
            descriptors=foundation(),
            method="course_completion",
            shown_on=TODAY,
        )
    assert not Evidence.objects.exists()
    assert PassportLevel.objects.filter(resident=resident, level="bronze").count() == 0


def test_course_completion_comes_from_training_staff_only(resident, adviser, provider_tutor):
    with pytest.raises(EvidenceError, match="Only a training provider"):
        course_completion_record(
            user=adviser, resident=resident, descriptors=foundation(), shown_on=TODAY, note=""
        )
    course_completion_record(
        user=provider_tutor,
        resident=resident,
        descriptors=foundation(),
        shown_on=TODAY,
        note="Completed a course",
    )
    assert set(Evidence.objects.values_list("method", flat=True)) == {"course_completion"}


def test_a_tutor_records_their_observation_but_not_an_advisers(resident, provider_tutor):
    evidence_record(
        user=provider_tutor,
        resident=resident,
        descriptors=foundation(),
        method="observed_tutor",
        shown_on=TODAY,
    )
    assert PassportLevel.objects.get(resident=resident, strand_code="digital").level == "bronze"
    with pytest.raises(EvidenceError, match="Only an adviser"):
        evidence_record(
            user=provider_tutor,
            resident=resident,
            descriptors=foundation()[:1],
            method="observed_adviser",
            shown_on=TODAY,
        )


def test_a_tutor_of_another_scheme_cannot_record_a_tutors_observation(
    resident, other_staff, adviser
):
    with pytest.raises(EvidenceError):
        evidence_record(
            user=other_staff["tutor"],
            resident=resident,
            descriptors=foundation(),
            method="observed_tutor",
            shown_on=TODAY,
        )


def test_the_adviser_form_offers_only_what_an_adviser_saw(client, resident, adviser):
    url = record_page(client, adviser, resident)
    body = client.get(url).content.decode()
    assert 'value="observed_adviser"' in body
    assert 'value="observed_tutor"' not in body
    assert 'value="course_completion"' not in body
    for method in ("observed_tutor", "course_completion"):
        response = client.post(url, form_data(method, foundation()))
        assert response.status_code == 200
        assert "There is a problem" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_tutor_form_offers_a_tutors_observation(client, resident, staff):
    url = record_page(client, staff["tutor"], resident)  # the council's community learning
    body = client.get(url).content.decode()
    assert 'value="observed_tutor"' in body
    assert 'value="observed_adviser"' not in body
    assert 'value="course_completion"' not in body
    client.post(url, form_data("observed_tutor", foundation()))
    assert Evidence.objects.filter(method="observed_tutor").count() == len(foundation())


def test_self_assessed_evidence_says_it_does_not_count_and_what_does(client, resident, adviser):
    url = record_page(client, adviser, resident)
    response = client.post(url, form_data("self_assessed", foundation()), follow=True)
    body = response.content.decode()
    count = len(foundation())
    assert f"{count} pieces of evidence recorded." in body
    assert "Self-assessed evidence does not count towards levels in Sefton Council&#x27;s" in body
    assert (
        f"{count} pieces recorded — self-assessed evidence does not count towards levels in "
        "Sefton Council&#x27;s scheme; only evidence observed by a tutor or an adviser, a "
        "course completion or a qualification counts."
    ) in body
    assert PassportLevel.objects.get(resident=resident, strand_code="digital").level == ""


def test_no_self_assessment_note_where_the_council_counts_it(client, resident, adviser):
    LevelRuleSet.objects.update(count_self_assessed=True)
    url = record_page(client, adviser, resident)
    body = client.post(url, form_data("self_assessed", foundation()), follow=True)
    assert "does not count towards levels" not in body.content.decode()
    assert PassportLevel.objects.get(resident=resident, strand_code="digital").level == "bronze"
