"""The takeover from issue 12, attempted step by step, must fail at every step.

A council administrator tries, through the app and through the Django admin, to give
themselves a membership of another council's organisation, to open that council's residents,
and to reset or change that council's administrator's password.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from skillspassport.accounts.models import Membership, OrganisationKind, Role, User
from skillspassport.accounts.tests.factories import (
    PASSWORD,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.people.tests.factories import ResidentFactory


@pytest.fixture
def scene(db, council, other_council):
    attacker = UserFactory(email="admin@sefton.test", full_name="Sefton Admin")
    MembershipFactory(user=attacker, organisation=council, role=Role.ADMINISTRATOR)
    victim = UserFactory(email="admin@knowsley.test", full_name="Knowsley Admin")
    MembershipFactory(user=victim, organisation=other_council, role=Role.ADMINISTRATOR)
    college = OrganisationFactory(
        name="Knowsley College", kind=OrganisationKind.PROVIDER, council=other_council
    )
    resident = ResidentFactory(organisation=other_council, user=victim, last_name="Qzvictimqz")
    return {
        "attacker": attacker,
        "victim": victim,
        "college": college,
        "resident": resident,
        "knowsley": other_council,
    }


def _memberships(user):
    return sorted(Membership.objects.filter(user=user).values_list("organisation__name", "role"))


def _unchanged(scene):
    attacker = User.objects.get(pk=scene["attacker"].pk)
    victim = User.objects.get(pk=scene["victim"].pk)
    assert _memberships(attacker) == [("Sefton Council", Role.ADMINISTRATOR)]
    assert _memberships(victim) == [("Knowsley Council", Role.ADMINISTRATOR)]
    assert not attacker.is_superuser
    assert victim.check_password(PASSWORD)
    assert victim.is_active


@pytest.mark.parametrize("marked_staff", [False, True])
def test_a_council_administrator_cannot_take_over_another_council(client, scene, marked_staff):
    attacker, victim, knowsley = scene["attacker"], scene["victim"], scene["knowsley"]
    if marked_staff:  # as the old demo made them: staff (but no longer superuser)
        attacker.is_staff = True
        attacker.save()
    client.force_login(attacker)

    # 1. Through the app: a membership of the other council, or of its partner, for themselves.
    for organisation in (knowsley, scene["college"]):
        response = client.post(
            reverse("staff:membership-add", args=[attacker.pk]),
            {"organisation": organisation.pk, "role": Role.ADMINISTRATOR},
        )
        assert response.status_code == 200
        assert "Select one of your council" in response.content.decode()
    # ...or a new account of their own there.
    response = client.post(
        reverse("staff:user-invite"),
        {
            "full_name": "Sock Puppet",
            "email": "puppet@evil.test",
            "organisation": knowsley.pk,
            "role": Role.ADMINISTRATOR,
        },
    )
    assert "Select one of your council" in response.content.decode()
    assert not User.objects.filter(email="puppet@evil.test").exists()

    # 2. Through the Django admin: every page, and every write, sends them to its sign-in.
    admin_urls = [
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{attacker.pk}/change/",
        f"/admin/accounts/user/{victim.pk}/change/",
        f"/admin/accounts/user/{victim.pk}/password/",
        "/admin/accounts/organisation/",
    ]
    for url in admin_urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/admin/login/"), url
    response = client.post(
        f"/admin/accounts/user/{attacker.pk}/change/",
        {
            "email": attacker.email,
            "full_name": attacker.full_name,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-organisation": knowsley.pk,
            "memberships-0-role": Role.ADMINISTRATOR,
        },
    )
    assert response.status_code == 302
    response = client.post(
        f"/admin/accounts/user/{victim.pk}/password/",
        {"password1": "owned-by-sefton-1", "password2": "owned-by-sefton-1"},
    )
    assert response.status_code == 302
    # Signing in to the admin with their own password does not open it either.
    client.post(
        "/admin/login/", {"username": attacker.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert client.get("/admin/").status_code == 302
    _unchanged(scene)

    # 3. The other council's residents stay closed.
    client.force_login(attacker)
    resident_page = client.get(reverse("people:detail", args=[scene["resident"].public_id]))
    assert resident_page.status_code == 404
    search = client.get(reverse("people:list"), {"q": "Qzvictimqz"}).content.decode()
    assert "0 residents" in search
    assert str(scene["resident"].public_id) not in search

    # 4. The other council's administrator: not in the list, their page "not found", no way to
    # change their role, deactivate them or set their password.
    assert b"admin@knowsley.test" not in client.get(reverse("staff:users")).content
    assert (
        b"admin@knowsley.test" not in client.get(reverse("staff:users"), {"q": "knowsley"}).content
    )
    victim_membership = victim.memberships.get()
    for url, data in [
        (reverse("staff:user-detail", args=[victim.pk]), None),
        (reverse("staff:user-access", args=[victim.pk, "deactivate"]), {}),
        (reverse("staff:user-access", args=[victim.pk, "resend"]), {}),
        (
            reverse("staff:membership-change", args=[victim.pk, victim_membership.pk]),
            {"role": Role.VIEWER},
        ),
        (reverse("staff:membership-remove", args=[victim.pk, victim_membership.pk]), {}),
        (
            reverse("staff:membership-add", args=[victim.pk]),
            {"organisation": scene["knowsley"].pk, "role": Role.VIEWER},
        ),
    ]:
        response = client.get(url) if data is None else client.post(url, data)
        assert response.status_code == 404, url
    # Changing a password while signed in changes only one's own, and needs the old one.
    client.post(
        reverse("staff:password-change"),
        {
            "old_password": "guess",
            "new_password1": "x-long-passphrase",
            "new_password2": "x-long-passphrase",
        },
    )
    # A reset goes to the victim's own inbox, and the page says the same as for anyone.
    mail.outbox.clear()
    response = client.post(reverse("staff:password-reset"), {"email": victim.email})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[victim.email]]
    token = default_token_generator.make_token(victim)
    assert token not in client.get(response.url).content.decode()
    # A made-up reset link does not work.
    uid = urlsafe_base64_encode(force_bytes(victim.pk))
    forged = client.get(reverse("staff:password-reset-confirm", args=[uid, "abc-123"]), follow=True)
    assert "This link does not work" in forged.content.decode()
    _unchanged(scene)
