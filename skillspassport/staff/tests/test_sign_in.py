from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from skillspassport.accounts.models import Role
from skillspassport.accounts.tests.factories import PASSWORD

SIGN_IN = reverse("staff:sign-in")


def test_staff_sign_in_with_email_and_password(client, adviser):
    response = client.post(SIGN_IN, {"username": "ADVISER@council.test ", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home:dashboard")
    dashboard = client.get(response.url)
    assert "Adviser User" in dashboard.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "", "password": ""}, "Enter your email address"),
        ({"username": "adviser@council.test", "password": ""}, "Enter your password"),
        (
            {"username": "not an email", "password": "x"},
            "Enter an email address in the correct format",
        ),
        (
            {"username": "adviser@council.test", "password": "wrong"},
            "The email address or password is not right",
        ),
        (
            {"username": "nobody@council.test", "password": PASSWORD},
            "The email address or password is not right",
        ),
    ],
)
def test_bad_sign_in_gives_a_clear_message(client, adviser, data, message):
    response = client.post(SIGN_IN, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_sign_in_even_with_the_right_password(client, adviser):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": "adviser@council.test", "password": "wrong"})
    response = client.post(SIGN_IN, {"username": "adviser@council.test", "password": PASSWORD})
    assert response.status_code == 429
    assert "Signing in is paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_sign_in(client, adviser):
    adviser.is_active = False
    adviser.save()
    response = client.post(SIGN_IN, {"username": "adviser@council.test", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_sessions_expire_when_idle_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_expired_session_sends_user_to_sign_in(client, adviser):
    client.force_login(adviser)
    session = client.session
    session.set_expiry(-1)
    session.save()
    response = client.get(reverse("people:list"))
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_sign_out_needs_post_and_ends_session(client, adviser):
    client.force_login(adviser)
    assert client.get(reverse("staff:sign-out")).status_code == 405
    client.post(reverse("staff:sign-out"))
    assert client.get(reverse("people:list")).status_code == 302


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("is_staff", [True, False])
def test_no_organisation_role_opens_the_django_admin(client, staff, role, is_staff):
    """Not even an administrator marked as staff: the admin is for platform operators only."""
    user = staff[role.value]
    user.is_staff = is_staff
    user.save()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")
