"""A council administrator manages their own council's users, and nobody else's."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from skillspassport.accounts.models import Membership, OrganisationKind, Role, User
from skillspassport.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.staff import services

USERS = reverse("staff:users")
INVITE = reverse("staff:user-invite")


@pytest.fixture
def partner(council):
    return OrganisationFactory(
        name="Sefton Community Learning", kind=OrganisationKind.PROVIDER, council=council
    )


@pytest.fixture
def other_partner(other_council):
    return OrganisationFactory(
        name="Knowsley College", kind=OrganisationKind.PROVIDER, council=other_council
    )


@pytest.fixture
def admin(staff):
    return staff["administrator"]


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def _detail(user):
    return reverse("staff:user-detail", args=[user.pk])


def _invite(client, org, /, **data):
    payload = {
        "full_name": "Rosa Parkinson",
        "email": "rosa@sefton.test",
        "organisation": org.pk,
        "role": Role.TUTOR,
    }
    payload.update(data)
    return client.post(INVITE, payload)


# --- who may open the pages ----------------------------------------------------------------


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ADMINISTRATOR])
def test_only_administrators_open_user_administration(client, staff, role):
    client.force_login(staff[role.value])
    assert client.get(USERS).status_code == 403
    assert client.get(INVITE).status_code == 403
    assert b"/organisation/users/" not in client.get("/").content


def test_administrator_sees_the_users_link_and_their_councils_staff_only(
    admin_client, staff, other_staff, partner
):
    tutor = UserFactory(email="tutor@partner.test", full_name="Partner Tutor")
    MembershipFactory(user=tutor, organisation=partner, role=Role.TUTOR)
    assert b'href="/organisation/users/"' in admin_client.get("/").content
    page = admin_client.get(USERS).content.decode()
    assert "Adviser User" in page
    assert "Partner Tutor" in page
    assert "Other Adviser" not in page
    assert "adviser@other.test" not in page


def test_the_list_filters_by_name_role_and_organisation(admin_client, staff, partner):
    tutor = UserFactory(email="tutor@partner.test", full_name="Partner Tutor")
    MembershipFactory(user=tutor, organisation=partner, role=Role.TUTOR)
    page = admin_client.get(USERS, {"q": "partner"}).content.decode()
    assert "Partner Tutor" in page
    assert "Adviser User" not in page
    page = admin_client.get(USERS, {"role": Role.ADVISER}).content.decode()
    assert "Adviser User" in page
    assert "Partner Tutor" not in page
    page = admin_client.get(USERS, {"organisation": partner.pk}).content.decode()
    assert "Partner Tutor" in page
    assert "Adviser User" not in page


@pytest.mark.parametrize(
    "params",
    [
        {"organisation": "999999"},
        {"organisation": "abc"},
        {"role": "superuser"},
        {"q": "x" * 5000},
        {"page": "99999"},
    ],
)
def test_bad_filters_never_give_a_server_error(admin_client, staff, params):
    assert admin_client.get(USERS, params).status_code == 200


def test_a_nul_character_in_a_filter_is_refused_not_a_server_error(admin_client, staff):
    assert admin_client.get(USERS, {"q": "a\x00b"}).status_code == 400


def test_the_user_list_takes_as_many_queries_for_many_users_as_for_few(
    admin_client, staff, partner
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(USERS).status_code == 200
        return len(context)

    few = queries()
    for n in range(15):
        user = UserFactory(email=f"many{n}@sefton.test")
        MembershipFactory(user=user, organisation=partner, role=Role.TUTOR)
        MembershipFactory(user=user, organisation=partner, role=Role.VIEWER)
    assert queries() == few <= 14


# --- inviting ------------------------------------------------------------------------------


def test_invite_creates_user_and_membership_audits_and_emails_a_set_password_link(
    admin_client, admin, partner, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _invite(admin_client, partner)
    user = User.objects.get(email="rosa@sefton.test")
    assert response.status_code == 302
    assert response.url == _detail(user)
    assert not user.has_usable_password()
    assert not user.is_staff
    assert not user.is_superuser
    assert list(user.memberships.values_list("organisation", "role")) == [(partner.pk, Role.TUTOR)]
    event = AuditEvent.objects.get(action=AuditAction.USER_INVITED)
    assert event.user == admin
    assert event.organisation_id == partner.pk
    assert event.changes == {"roles": [[], ["Tutor, Sefton Community Learning"]]}
    [email] = mail.outbox
    assert email.to == ["rosa@sefton.test"]
    link = re.search(r"https?://\S+/sign-in/choose-password/\S+", email.body).group(0)
    assert link.startswith(settings.SITE_URL)
    # The invited person chooses a password from the link, then signs in with it.
    client.logout()
    path = urlsplit(link).path
    form_page = client.get(path, follow=True)
    assert "Choose a password" in form_page.content.decode()
    new = "a-brand-new-passphrase"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    signed_in = client.post(
        reverse("staff:sign-in"), {"username": "rosa@sefton.test", "password": new}
    )
    assert signed_in.status_code == 302
    client.logout()
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, user=user).exists()
    # The link works once.
    assert "This link does not work" in client.get(path, follow=True).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": ""}, "Enter their email address"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"full_name": "   "}, "Enter their full name"),
        ({"organisation": "999999"}, "Select one of your council&#x27;s organisations"),
        ({"organisation": "not-a-number"}, "Select one of your council&#x27;s organisations"),
        ({"role": "superuser"}, "Select a role from the list"),
        ({"email": "adviser@council.test"}, "There is already an account for this email address"),
        ({"email": "ADVISER@other.test"}, "There is already an account for this email address"),
    ],
)
def test_bad_invitations_get_a_clear_error(admin_client, council, other_staff, data, message):
    response = _invite(admin_client, council, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email="rosa@sefton.test").exists()


def test_cannot_invite_into_another_councils_organisation(
    admin_client, other_council, other_partner
):
    for organisation in (other_council, other_partner):
        response = _invite(admin_client, organisation)
        assert response.status_code == 200
        assert "Select one of your council&#x27;s organisations" in response.content.decode()
    assert not User.objects.filter(email="rosa@sefton.test").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.USER_INVITED).exists()


def test_the_service_refuses_another_councils_organisation_whoever_calls_it(admin, other_council):
    with pytest.raises(services.UserAdminError):
        services.user_invite(
            by=admin,
            email="x@y.test",
            full_name="X",
            organisation=other_council,
            role=Role.ADMINISTRATOR,
        )


# --- changing roles and memberships --------------------------------------------------------


def test_change_role_is_audited_with_before_and_after(admin_client, admin, staff, council):
    adviser = staff["adviser"]
    membership = adviser.memberships.get()
    url = reverse("staff:membership-change", args=[adviser.pk, membership.pk])
    response = admin_client.post(url, {"role": Role.VIEWER})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER
    event = AuditEvent.objects.get(action=AuditAction.USER_CHANGED)
    assert event.user == admin
    assert event.changes == {"roles": [["Adviser, Sefton Council"], ["Viewer, Sefton Council"]]}


def test_add_and_remove_a_membership(admin_client, staff, partner):
    adviser = staff["adviser"]
    response = admin_client.post(
        reverse("staff:membership-add", args=[adviser.pk]),
        {"organisation": partner.pk, "role": Role.TUTOR},
    )
    assert response.status_code == 302
    added = adviser.memberships.get(organisation=partner)
    response = admin_client.post(reverse("staff:membership-remove", args=[adviser.pk, added.pk]))
    assert response.status_code == 302
    assert not adviser.memberships.filter(organisation=partner).exists()
    events = list(
        AuditEvent.objects.filter(action=AuditAction.USER_CHANGED)
        .order_by("id")
        .values_list("changes", flat=True)
    )
    both = ["Adviser, Sefton Council", "Tutor, Sefton Community Learning"]
    assert events == [
        {"roles": [["Adviser, Sefton Council"], both]},
        {"roles": [both, ["Adviser, Sefton Council"]]},
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"organisation": "999999", "role": Role.TUTOR}, "Select one of your council"),
        ({"organisation": "", "role": Role.TUTOR}, "Select an organisation"),
        ({"role": "god"}, "Select a role from the list"),
        ({"role": Role.ADVISER}, "is already adviser at Sefton Council"),
    ],
)
def test_bad_membership_changes_get_a_clear_error(admin_client, staff, council, data, message):
    adviser = staff["adviser"]
    payload = {"organisation": council.pk, **data}
    response = admin_client.post(reverse("staff:membership-add", args=[adviser.pk]), payload)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert adviser.memberships.count() == 1


def test_tampered_ids_answer_not_found(admin_client, staff, other_staff):
    adviser = staff["adviser"]
    other = other_staff["adviser"]
    other_membership = other.memberships.get()
    assert admin_client.get(_detail(other)).status_code == 404
    assert admin_client.get(reverse("staff:user-detail", args=[999999])).status_code == 404
    # Another council's membership under our user's id, and the other way round.
    assert (
        admin_client.post(
            reverse("staff:membership-remove", args=[adviser.pk, other_membership.pk])
        ).status_code
        == 404
    )
    assert (
        admin_client.post(
            reverse("staff:membership-change", args=[other.pk, other_membership.pk]),
            {"role": Role.VIEWER},
        ).status_code
        == 404
    )
    assert (
        admin_client.post(reverse("staff:user-access", args=[other.pk, "deactivate"])).status_code
        == 404
    )
    assert admin_client.get(reverse("staff:user-access", args=[adviser.pk, "x"])).status_code == 403
    other.refresh_from_db()
    assert other.is_active
    assert other.memberships.get().role == Role.ADVISER


def test_a_user_who_also_works_elsewhere_can_only_lose_this_councils_roles(
    admin_client, staff, other_council
):
    adviser = staff["adviser"]
    elsewhere = MembershipFactory(user=adviser, organisation=other_council, role=Role.ADVISER)
    ours = adviser.memberships.get(organisation__name="Sefton Council")
    page = admin_client.get(_detail(adviser)).content.decode()
    assert "also works for 1 organisation outside your council" in page
    assert "Knowsley" not in page
    change = admin_client.post(
        reverse("staff:membership-change", args=[adviser.pk, ours.pk]), {"role": Role.VIEWER}
    )
    assert "outside your council" in change.content.decode()
    deactivate = admin_client.post(reverse("staff:user-access", args=[adviser.pk, "deactivate"]))
    assert "outside your council" in deactivate.content.decode()
    adviser.refresh_from_db()
    assert adviser.is_active
    ours.refresh_from_db()
    assert ours.role == Role.ADVISER
    removed = admin_client.post(reverse("staff:membership-remove", args=[adviser.pk, ours.pk]))
    assert removed.status_code == 302
    assert list(adviser.memberships.all()) == [elsewhere]


def test_platform_operators_with_a_membership_cannot_be_changed(admin_client, council):
    operator = User.objects.create_superuser("ops@example.test", PASSWORD, full_name="Ops")
    membership = MembershipFactory(user=operator, organisation=council, role=Role.VIEWER)
    response = admin_client.post(
        reverse("staff:membership-change", args=[operator.pk, membership.pk]),
        {"role": Role.ADMINISTRATOR},
    )
    assert "platform operator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.VIEWER


def test_no_form_or_service_makes_anyone_staff_or_superuser(admin_client, staff, council):
    adviser = staff["adviser"]
    admin_client.post(
        reverse("staff:membership-add", args=[adviser.pk]),
        {
            "organisation": council.pk,
            "role": Role.ADMINISTRATOR,
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    _invite(admin_client, council, is_superuser="on", is_staff="on", role=Role.ADMINISTRATOR)
    assert not User.objects.filter(is_superuser=True).exists()
    assert not User.objects.filter(is_staff=True).exists()


# --- the last administrator, and deactivation ----------------------------------------------


def test_the_last_administrator_cannot_be_removed_demoted_or_deactivated(admin_client, admin):
    membership = admin.memberships.get()
    change = admin_client.post(
        reverse("staff:membership-change", args=[admin.pk, membership.pk]),
        {"role": Role.ADVISER},
    )
    assert "must keep at least one administrator" in change.content.decode()
    remove = admin_client.post(reverse("staff:membership-remove", args=[admin.pk, membership.pk]))
    assert "must keep at least one administrator" in remove.content.decode()
    deactivate = admin_client.post(reverse("staff:user-access", args=[admin.pk, "deactivate"]))
    assert "cannot deactivate your own account" in deactivate.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMINISTRATOR
    admin.refresh_from_db()
    assert admin.is_active


def test_with_a_second_administrator_one_may_step_down(admin_client, admin, council):
    second = UserFactory(email="second@council.test")
    MembershipFactory(user=second, organisation=council, role=Role.ADMINISTRATOR)
    membership = admin.memberships.get()
    response = admin_client.post(
        reverse("staff:membership-change", args=[admin.pk, membership.pk]),
        {"role": Role.ADVISER},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.ADVISER
    # The other administrator is now the last one, and may not step down in turn.
    last = second.memberships.get()
    with pytest.raises(services.UserAdminError, match="at least one administrator"):
        services.membership_change_role(by=second, membership=last, role=Role.ADVISER)
    with pytest.raises(services.UserAdminError, match="at least one administrator"):
        services.membership_remove(by=second, membership=last)
    # The former administrator no longer reaches user administration.
    assert admin_client.get(USERS).status_code == 403


def test_a_deactivated_administrator_does_not_count(admin, council):
    second = UserFactory(email="second@council.test")
    MembershipFactory(user=second, organisation=council, role=Role.ADMINISTRATOR)
    second.is_active = False
    second.save()
    with pytest.raises(services.UserAdminError, match="at least one administrator"):
        services.membership_remove(by=admin, membership=admin.memberships.get())


def test_deactivate_signs_the_user_out_and_is_audited(admin_client, admin, staff, client):
    from django.test import Client

    adviser_client = Client()
    adviser = staff["adviser"]
    adviser_client.force_login(adviser)
    assert adviser_client.get("/residents/").status_code == 200
    response = admin_client.post(reverse("staff:user-access", args=[adviser.pk, "deactivate"]))
    assert response.status_code == 302
    adviser.refresh_from_db()
    assert not adviser.is_active
    assert adviser_client.get("/residents/").status_code == 302
    event = AuditEvent.objects.get(action=AuditAction.USER_DEACTIVATED)
    assert event.user == admin
    assert event.changes["is_active"] == [True, False]
    assert event.changes["roles"] == [["Adviser, Sefton Council"], ["Adviser, Sefton Council"]]
    # And back again.
    admin_client.post(reverse("staff:user-access", args=[adviser.pk, "reactivate"]))
    adviser.refresh_from_db()
    assert adviser.is_active


def test_resend_invitation_sends_a_fresh_link(
    admin_client, council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(admin_client, council)
        user = User.objects.get(email="rosa@sefton.test")
        response = admin_client.post(reverse("staff:user-access", args=[user.pk, "resend"]))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert all(m.to == ["rosa@sefton.test"] for m in mail.outbox)


def test_a_partner_administrator_manages_only_their_organisation(client, staff, partner, council):
    partner_admin = UserFactory(email="padmin@partner.test")
    MembershipFactory(user=partner_admin, organisation=partner, role=Role.ADMINISTRATOR)
    client.force_login(partner_admin)
    page = client.get(USERS).content.decode()
    assert "Adviser User" not in page
    assert client.get(_detail(staff["adviser"])).status_code == 404
    response = _invite(client, council, role=Role.ADMINISTRATOR)
    assert "Select one of your council&#x27;s organisations" in response.content.decode()
    assert Membership.objects.filter(organisation=council, role=Role.ADMINISTRATOR).count() == 1


def test_every_user_administration_page_renders_for_an_administrator(admin_client, staff):
    adviser = staff["adviser"]
    membership = adviser.memberships.get()
    pages = [
        USERS,
        INVITE,
        _detail(adviser),
        reverse("staff:membership-change", args=[adviser.pk, membership.pk]),
        reverse("staff:membership-remove", args=[adviser.pk, membership.pk]),
        reverse("staff:user-access", args=[adviser.pk, "deactivate"]),
        reverse("staff:user-access", args=[adviser.pk, "reactivate"]),
        reverse("staff:user-access", args=[adviser.pk, "resend"]),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert b"govuk-heading-l" in response.content, url
    detail = admin_client.get(_detail(adviser)).content.decode()
    assert "Sefton Council" in detail
    assert "Give another role" in detail
    assert "Deactivate this account" in detail
    # Nothing changed by looking.
    adviser.refresh_from_db()
    assert adviser.is_active
    assert adviser.memberships.get().role == Role.ADVISER


def test_an_administrators_own_page_offers_no_self_deactivation(admin_client, admin):
    page = admin_client.get(_detail(admin)).content.decode()
    assert "Deactivate this account" not in page
