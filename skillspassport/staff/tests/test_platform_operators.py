"""The Django admin is for platform operators: active superusers with a TOTP device."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from skillspassport.accounts.models import Role, User
from skillspassport.accounts.tests.factories import PASSWORD

ADMIN_LOGIN = "/admin/login/"
OPERATOR_PASSWORD = "an-operators-long-passphrase"


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def operator(db):
    out = StringIO()
    call_command(
        "platform_operator_create", email="Ops@Example.test", full_name="Pat Operator", stdout=out
    )
    user = User.objects.get(email="ops@example.test")
    user.set_password(OPERATOR_PASSWORD)
    user.save()
    user.command_output = out.getvalue()
    return user


def test_the_command_creates_a_superuser_with_a_totp_device_and_prints_its_uri(operator):
    assert operator.is_superuser
    assert operator.is_staff
    device = TOTPDevice.objects.get(user=operator)
    assert device.confirmed
    output = operator.command_output
    assert device.config_url in output
    assert output.count("otpauth://totp/Skills%20Passport%3Aops%40example.test") == 1
    assert "█" in output or "▀" in output  # the terminal QR code
    assert "/sign-in/choose-password/" in output
    codes = list(StaticToken.objects.filter(device__user=operator).values_list("token", flat=True))
    assert len(codes) == 8
    assert all(code in output for code in codes)


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("not-an-email", "Someone", "is not an email address"),
        ("x@example.test", "  ", "full name"),
    ],
)
def test_the_command_refuses_bad_input(db, email, name, message):
    with pytest.raises(CommandError, match=message):
        call_command("platform_operator_create", email=email, full_name=name, stdout=StringIO())
    assert not User.objects.exists()


def test_the_command_refuses_an_existing_account(operator):
    with pytest.raises(CommandError, match="already an account"):
        call_command(
            "platform_operator_create", email="ops@example.test", full_name="X", stdout=StringIO()
        )


def _sign_in(client, email, password, token="", device=None):
    """The admin's sign-in: the password, then (on the same form) a device and its code."""
    data = {"username": email, "password": password, "next": "/admin/"}
    if token:
        data["otp_token"] = token
    if device is not None:
        data["otp_device"] = device.persistent_id
    return client.post(ADMIN_LOGIN, data)


def test_operator_signs_in_to_the_admin_with_password_and_code(client, operator):
    device = TOTPDevice.objects.get(user=operator)
    without = _sign_in(client, operator.email, OPERATOR_PASSWORD)
    assert without.status_code == 200
    assert "Authenticator app" in without.content.decode()  # now it asks for the device
    assert client.get("/admin/").status_code == 302
    wrong = _sign_in(client, operator.email, OPERATOR_PASSWORD, "000000", device)
    assert wrong.status_code == 200
    assert client.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.throttle_reset()  # django-otp pauses a device for a moment after a wrong code
    right = _sign_in(client, operator.email, OPERATOR_PASSWORD, _code(device), device)
    assert right.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_works_once(client, operator):
    token = StaticToken.objects.filter(device__user=operator).first()
    code, backup = token.token, token.device
    assert _sign_in(client, operator.email, OPERATOR_PASSWORD, code, backup).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.logout()
    assert _sign_in(client, operator.email, OPERATOR_PASSWORD, code, backup).status_code == 200
    assert client.get("/admin/").status_code == 302


def test_an_operator_signed_in_without_a_code_does_not_reach_the_admin(client, operator):
    client.force_login(operator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(ADMIN_LOGIN)


def test_a_deactivated_operator_does_not_reach_the_admin(client, operator):
    device = TOTPDevice.objects.get(user=operator)
    operator.is_active = False
    operator.save()
    _sign_in(client, operator.email, OPERATOR_PASSWORD, _code(device), device)
    assert client.get("/admin/").status_code == 302


def test_a_council_administrator_with_a_device_still_does_not_reach_the_admin(
    client, staff, council
):
    admin = staff[Role.ADMINISTRATOR.value]
    admin.is_staff = True  # as an old deployment's data might have it
    admin.save()
    device = TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    response = _sign_in(client, admin.email, PASSWORD, _code(device), device)
    assert response.status_code == 200
    assert "for platform operators only" in response.content.decode()
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/accounts/user/").status_code == 302


def test_an_operator_needs_no_membership(client, operator):
    assert not operator.memberships.exists()
    device = TOTPDevice.objects.get(user=operator)
    _sign_in(client, operator.email, OPERATOR_PASSWORD, _code(device), device)
    assert client.get("/admin/accounts/organisation/").status_code == 200
