"""Who may open which training page: provider staff for their own cohorts only; everyone
else, including staff of other organisations guessing ids, gets 404."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from skillspassport.accounts.models import Role
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.training import services
from skillspassport.training.models import Enrolment

from .conftest import make_cohort


def cohort_urls(cohort, enrolment, session_id=1):
    return [
        reverse("training:cohort", args=[cohort.pk]),
        reverse("training:enrol", args=[cohort.pk]),
        reverse("training:withdraw", args=[cohort.pk, enrolment.pk]),
        reverse("training:outcome", args=[cohort.pk, enrolment.pk]),
        reverse("training:register", args=[cohort.pk, session_id]),
        reverse("training:course-edit", args=[cohort.course_id]),
        reverse("training:cohort-create", args=[cohort.course_id]),
    ]


@pytest.fixture
def enrolment(cohort, learners, tutor):
    return services.enrolment_create(actor=tutor, cohort=cohort, resident=learners[0])


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_council_staff_of_every_role_get_404_on_a_providers_cohort(
    client, staff, cohort, enrolment, role
):
    """The council's administrator holds RUN_TRAINING, but for the council's own training,
    not for a partner provider's cohorts."""
    client.force_login(staff[role])
    for url in cohort_urls(cohort, enrolment):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("training:enrol", args=[cohort.pk])).status_code == 404


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_other_councils_staff_get_404(client, other_staff, cohort, enrolment, role):
    client.force_login(other_staff[role])
    for url in cohort_urls(cohort, enrolment):
        assert client.get(url).status_code == 404, url


def test_other_providers_tutor_gets_404_and_cannot_post(client, other_tutor, cohort, enrolment):
    client.force_login(other_tutor)
    for url in cohort_urls(cohort, enrolment):
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("training:withdraw", args=[cohort.pk, enrolment.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"


def test_enrolment_of_another_cohort_is_404_even_for_own_staff(
    client, tutor, course, cohort, enrolment, learners
):
    other = make_cohort(course, tutor)
    client.force_login(tutor)
    assert (
        client.get(reverse("training:withdraw", args=[other.pk, enrolment.pk])).status_code == 404
    )
    assert client.get(reverse("training:cohort", args=[999999])).status_code == 404


def test_tutor_cannot_enrol_a_resident_they_may_not_see(client, tutor, cohort, council, adviser):
    hidden = ResidentFactory(organisation=council, user=adviser)
    client.force_login(tutor)
    url = reverse("training:enrol", args=[cohort.pk])
    assert hidden.full_name not in client.get(url, {"q": hidden.last_name}).content.decode()
    assert client.post(url, {"resident": str(hidden.public_id)}).status_code == 404
    assert not Enrolment.objects.filter(resident=hidden).exists()


def test_provider_staff_see_learners_but_not_their_full_record(
    client, tutor, cohort, council, adviser
):
    """A council resident referred onto the course is visible to the tutor on the cohort page,
    but the resident record stays closed to them."""
    resident = ResidentFactory(organisation=council, user=adviser)
    services.enrolment_create(
        actor=adviser,
        cohort=cohort,
        resident=resident,
        source="referral",
        referring_organisation=council,
    )
    client.force_login(tutor)
    page = client.get(reverse("training:cohort", args=[cohort.pk])).content.decode()
    assert resident.full_name in page
    assert client.get(reverse("people:detail", args=[resident.public_id])).status_code == 404


def test_adviser_refers_a_resident_from_the_training_page(client, adviser, council, cohort):
    resident = ResidentFactory(organisation=council, user=adviser)
    client.force_login(adviser)
    url = reverse("training:resident", args=[resident.public_id])
    assert cohort.course.title in client.get(url).content.decode()
    assert client.post(url, {"cohort": "<script>"}).status_code == 400
    response = client.post(url, {"cohort": cohort.pk})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(resident=resident)
    assert (enrolment.source, enrolment.referring_organisation) == ("referral", council)
    again = client.post(url, {"cohort": cohort.pk})
    assert "already on this course" in again.content.decode()
    assert Enrolment.objects.filter(resident=resident).count() == 1


def test_resident_training_page_is_guarded_by_the_resident(
    client, other_staff, staff, council, adviser, cohort
):
    resident = ResidentFactory(organisation=council, user=adviser)
    url = reverse("training:resident", args=[resident.public_id])
    client.force_login(other_staff["adviser"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("training:resident", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/training/residents/not-a-uuid/").status_code == 404
    client.force_login(staff["viewer"])
    assert client.get(url).status_code == 200
    assert client.post(url, {"cohort": cohort.pk}).status_code == 403
    assert not Enrolment.objects.exists()


def test_training_index_needs_run_training(client, staff, tutor):
    client.force_login(staff["adviser"])
    assert client.get(reverse("training:index")).status_code == 403
    assert client.get(reverse("training:course-create")).status_code == 403
    client.force_login(tutor)
    page = client.get(reverse("training:index")).content.decode()
    assert 'href="/training/"' in page


def test_plan_page_only_for_training_staff_in_the_plans_scheme(
    client, tutor, other_tutor, staff, council
):
    from .test_views import make_plan

    plan = make_plan(council, staff)
    url = reverse("training:plan", args=[plan.pk])
    client.force_login(tutor)
    assert client.get(url).status_code == 200
    client.force_login(other_tutor)
    assert client.get(url).status_code == 404
    client.force_login(staff["adviser"])
    assert client.get(url).status_code == 404
