"""The one answer to "whom does this user act for": scopes, the council a page acts for, and the
per-request cache."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from skillspassport.accounts import access
from skillspassport.accounts.models import Organisation, OrganisationKind, Role
from skillspassport.accounts.roles import Capability
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(other_council):
    return OrganisationFactory(
        name="Knowsley Community Learning", kind=OrganisationKind.PROVIDER, council=other_council
    )


@pytest.fixture
def two_council_user(council, provider):
    """An adviser at Sefton Council and a tutor at a provider in Knowsley's scheme."""
    user = UserFactory(email="both@example.test")
    MembershipFactory(user=user, organisation=council, role=Role.ADVISER)
    MembershipFactory(user=user, organisation=provider, role=Role.TUTOR)
    return user


def _fresh(user):
    return type(user).objects.get(pk=user.pk)


def test_scope_holds_the_organisations_and_their_councils(
    two_council_user, council, other_council, provider
):
    refer = access.scope_for(two_council_user, Capability.REFER_RESIDENTS)
    assert refer.organisation_ids == {council.pk}
    assert refer.council_ids == {council.pk}
    training = access.scope_for(two_council_user, Capability.RUN_TRAINING)
    assert training.organisation_ids == {provider.pk}
    assert training.council_ids == {other_council.pk}  # the provider's scheme council
    either = access.scope_for(two_council_user, Capability.REFER_RESIDENTS, Capability.RUN_TRAINING)
    assert either.council_ids == {council.pk, other_council.pk}
    assert access.scope_for(two_council_user, Capability.VIEW_RESIDENTS).holds(provider.pk)
    assert not access.scope_for(two_council_user, Capability.MANAGE_FUNDING)
    assert either.of_kinds(OrganisationKind.COUNCIL).organisation_ids == {council.pk}


def test_an_organisation_outside_any_scheme_gives_no_council(db):
    loose = OrganisationFactory(name="Unattached charity", kind=OrganisationKind.VOLUNTARY)
    user = UserFactory()
    MembershipFactory(user=user, organisation=loose, role=Role.ADVISER)
    scope = access.scope_for(user, Capability.VIEW_RESIDENTS)
    assert scope.organisation_ids == {loose.pk}
    assert scope.council_ids == frozenset()
    assert scope.acting_council_id() is None


def test_signed_out_and_deactivated_users_act_for_nobody(staff):
    assert not access.scope_for(AnonymousUser(), Capability.VIEW_AGGREGATES)
    administrator = staff["administrator"]
    administrator.is_active = False
    assert not access.scope_for(administrator, Capability.VIEW_AGGREGATES)


def test_memberships_are_read_once_per_request(two_council_user, django_assert_num_queries):
    user = _fresh(two_council_user)
    with django_assert_num_queries(1):
        for capability in Capability:
            access.scope_for(user, capability)
        access.scope_for(user, Capability.VIEW_RESIDENTS, Capability.RUN_TRAINING)
    assert list(user.__dict__).count(access.CACHE_KEY) == 1
    assert not [key for key in user.__dict__ if key in ("_memberships", "_training_orgs")]


def test_forget_reads_changed_memberships(two_council_user, other_council):
    user = _fresh(two_council_user)
    assert not access.scope_for(user, Capability.MANAGE_FUNDING)
    MembershipFactory(user=user, organisation=other_council, role=Role.PROGRAMME_MANAGER)
    assert not access.scope_for(user, Capability.MANAGE_FUNDING)  # cached for the request
    access.forget(user)
    assert access.scope_for(user, Capability.MANAGE_FUNDING).council_ids == {other_council.pk}


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (None, 3),  # the lowest id by default
        ("7", 7),  # an allowed choice
        (7, 7),
        (" 7 ", 7),
        ("5", 3),  # not one of the user's councils: ignored
        ("seven", 3),
        ("", 3),
        ("99999999999999999999", 3),
        ("7\x00", 3),
    ],
)
def test_the_council_a_page_acts_for(choice, expected):
    assert access.choose_council_id(frozenset({7, 3, 12}), choice) == expected


def test_no_councils_means_no_council():
    assert access.choose_council_id(frozenset(), "3") is None


# --- pages follow the rule ------------------------------------------------------------------------


@pytest.fixture
def analyst_in_two(council, other_council):
    user = UserFactory(email="analyst-both@example.test")
    MembershipFactory(user=user, organisation=council, role=Role.ANALYST)
    MembershipFactory(user=user, organisation=other_council, role=Role.ANALYST)
    for each, code in ((council, "E08000014"), (other_council, "E08000011")):
        each.local_authority_code = code
        each.save()
    return user


def test_reports_act_for_the_lowest_council_unless_another_is_chosen(
    client, analyst_in_two, council, other_council
):
    first, second = sorted([council, other_council], key=lambda c: c.pk)
    client.force_login(analyst_in_two)
    default = client.get(reverse("reports:list"))
    assert default.context["council"] == first
    assert default.context["scheme_owner"] == first.name
    chosen = client.get(reverse("reports:list"), {"council": second.pk})
    assert chosen.context["council"] == second
    assert chosen.context["scheme_owner"] == second.name


def test_a_council_the_user_does_not_act_for_cannot_be_chosen(client, analyst_in_two, council):
    stranger = OrganisationFactory(name="Wirral Council", kind=OrganisationKind.COUNCIL)
    client.force_login(analyst_in_two)
    response = client.get(reverse("reports:list"), {"council": stranger.pk})
    assert response.status_code == 200
    assert response.context["council"] != stranger
    assert stranger.name not in response.content.decode()


def test_a_report_of_either_council_opens_whichever_council_the_page_acts_for(
    client, analyst_in_two, council, other_council, staff
):
    from django.utils import timezone

    from skillspassport.reports.kpis import Period
    from skillspassport.reports.services import report_create, report_publish

    period = Period.containing(timezone.localdate())
    report = report_create(council=other_council, period=period, user=staff["administrator"])
    # An analyst reads published reports only (drafts are for those who write them).
    report_publish(report=report, user=staff["administrator"], interim=True)
    client.force_login(analyst_in_two)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200


def test_a_new_employer_joins_the_chosen_scheme(client, council, other_council):
    adviser = UserFactory(email="adviser-both@example.test")
    for each in (council, other_council):
        MembershipFactory(user=adviser, organisation=each, role=Role.ADVISER)
    later = max(council.pk, other_council.pk)
    client.force_login(adviser)
    response = client.post(
        reverse("employers:create") + f"?council={later}",
        {"name": "Mersey Ferries Ltd", "sector": "H", "size_band": "small", "website": ""},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Mersey Ferries Ltd").council_id == later
