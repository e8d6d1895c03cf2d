"""Sign-in hardening: per-address throttle, absolute session lifetime, password reset and
change, and one client address behind trusted proxies."""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from skillspassport.accounts.tests.factories import PASSWORD
from skillspassport.audit.models import AuditAction, AuditEvent
from skillspassport.audit.services import audit_record
from skillspassport.core.middleware import SIGNED_IN_AT, client_ip

SIGN_IN = reverse("staff:sign-in")
RESET = reverse("staff:password-reset")
CHANGE = reverse("staff:password-change")


@pytest.fixture
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


# --- the client's address ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.5"),
        (0, "6.6.6.6", "10.0.0.5"),  # spoofed header, no proxy trusted: ignored
        (0, "6.6.6.6, 203.0.113.9", "10.0.0.5"),
        (1, "203.0.113.9", "203.0.113.9"),  # the load balancer appended the client
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # the client's own entry is not believed
        (2, "6.6.6.6, 203.0.113.9, 10.1.1.1", "203.0.113.9"),
        (2, "203.0.113.9", "10.0.0.5"),  # fewer entries than proxies: the peer
        (1, "not-an-address", "10.0.0.5"),
        (1, "", "10.0.0.5"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_audit_and_lockout_record_the_same_client_address(settings, db, adviser):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )
    event = audit_record(user=adviser, action=AuditAction.VIEWED, request=request)
    assert event.ip_address == "203.0.113.9"
    behind = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9")
    behind.post(SIGN_IN, {"username": "adviser@council.test", "password": "wrong"})
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]


def test_a_spoofed_header_is_ignored_by_the_audit_log_with_no_proxy_trusted(client, adviser):
    client.post(
        SIGN_IN,
        {"username": "adviser@council.test", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="6.6.6.6",
    )
    event = AuditEvent.objects.get(action=AuditAction.SIGNED_IN)
    assert event.user == adviser
    assert event.ip_address == "127.0.0.1"


# --- throttles -----------------------------------------------------------------------------


def _spray(client, count, **extra):
    statuses = []
    for n in range(count):
        response = client.post(
            SIGN_IN, {"username": f"person{n}@council.test", "password": "guess"}, **extra
        )
        statuses.append(response.status_code)
    return statuses


def test_spraying_many_accounts_from_one_address_meets_a_throttle(
    settings, fresh_cache, client, adviser
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    statuses = _spray(client, 30)
    assert statuses[:20] == [200] * 20
    assert set(statuses[20:]) == {429}
    # Even the right password is refused from that address while it is paused...
    paused = client.post(SIGN_IN, {"username": "adviser@council.test", "password": PASSWORD})
    assert paused.status_code == 429
    assert "Signing in is paused" in paused.content.decode()
    assert "_auth_user_id" not in client.session
    # ...but not from another address.
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    ok = elsewhere.post(SIGN_IN, {"username": "adviser@council.test", "password": PASSWORD})
    assert ok.status_code == 302


def test_behind_a_trusted_proxy_the_throttle_counts_the_client_not_the_proxy(
    settings, fresh_cache, adviser
):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 5
    settings.TRUSTED_PROXY_COUNT = 1
    balancer = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**balancer)
    # Changing the spoofable left part of the header does not get round the throttle.
    statuses = [
        attacker.post(
            SIGN_IN,
            {"username": f"p{n}@council.test", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 203.0.113.66",
        ).status_code
        for n in range(8)
    ]
    assert statuses[-1] == 429
    # Another resident of the same balancer, from their own address, signs in.
    colleague = Client(**balancer)
    ok = colleague.post(
        SIGN_IN,
        {"username": "adviser@council.test", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.10",
    )
    assert ok.status_code == 302


def test_one_account_is_locked_whatever_the_address(client, adviser, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR=f"198.51.100.{n + 1}").post(
            SIGN_IN, {"username": "adviser@council.test", "password": "wrong"}
        )
    response = Client(REMOTE_ADDR="192.0.2.200").post(
        SIGN_IN, {"username": "adviser@council.test", "password": PASSWORD}
    )
    assert response.status_code == 429


# --- absolute session lifetime -------------------------------------------------------------


def _age_session(client, hours):
    session = client.session
    session[SIGNED_IN_AT] = time.time() - hours * 3600
    session.save()


def test_a_session_ends_at_its_absolute_lifetime_even_while_active(client, adviser, settings):
    settings.SESSION_ABSOLUTE_HOURS = 12
    client.post(SIGN_IN, {"username": "adviser@council.test", "password": PASSWORD})
    assert isinstance(client.session[SIGNED_IN_AT], float)
    _age_session(client, 11.9)
    assert client.get("/residents/").status_code == 200  # activity slides the idle expiry...
    stamp = client.session[SIGNED_IN_AT]
    assert client.get("/residents/").status_code == 200
    assert client.session[SIGNED_IN_AT] == stamp  # ...but not the sign-in time
    _age_session(client, 12.1)
    response = client.get("/residents/")
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)
    assert "_auth_user_id" not in client.session
    page = client.get(response.url).content.decode()
    assert "signed in more than 12 hours ago" in page


def test_a_session_without_a_sign_in_time_gets_one(client, adviser):
    client.force_login(adviser)
    assert client.get("/").status_code == 200
    assert abs(client.session[SIGNED_IN_AT] - time.time()) < 60


# --- password reset and change -------------------------------------------------------------


def test_password_reset_does_not_reveal_whether_an_account_exists(client, adviser):
    known = client.post(RESET, {"email": "ADVISER@council.test"})
    unknown = client.post(RESET, {"email": "nobody@council.test"})
    assert known.status_code == unknown.status_code == 302
    assert known.url == unknown.url == reverse("staff:password-reset-sent")
    assert [m.to for m in mail.outbox] == [["adviser@council.test"]]
    assert "/sign-in/choose-password/" in mail.outbox[0].body
    events = AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET_REQUESTED)
    assert [e.user for e in events] == [adviser]
    assert "nobody" not in "".join(e.summary for e in AuditEvent.objects.all())


def test_password_reset_link_sets_a_new_password_and_unlocks(client, adviser, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(SIGN_IN, {"username": "adviser@council.test", "password": "wrong"})
    client.post(RESET, {"email": "adviser@council.test"})
    link = re.search(r"https?://\S+/sign-in/choose-password/\S+", mail.outbox[0].body).group(0)
    form = client.get(urlsplit(link).path, follow=True)
    url = form.redirect_chain[-1][0]
    mismatch = client.post(url, {"new_password1": "one-long-passphrase", "new_password2": "two"})
    assert "The two passwords do not match" in mismatch.content.decode()
    short = client.post(url, {"new_password1": "short", "new_password2": "short"})
    assert "too short" in short.content.decode()
    done = client.post(
        url, {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"}
    )
    assert done.status_code == 302
    signed_in = client.post(
        SIGN_IN, {"username": "adviser@council.test", "password": "a-new-long-passphrase"}
    )
    assert signed_in.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED, user=adviser).exists()


def test_password_reset_requests_are_rate_limited(settings, fresh_cache, client, adviser):
    settings.PASSWORD_RESET_RATE_LIMIT = "3/h"
    statuses = [
        client.post(RESET, {"email": f"someone{n}@council.test"}).status_code for n in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


@pytest.mark.parametrize("email", ["", "not an email", "x" * 300])
def test_bad_reset_input_gets_a_clear_message(client, db, email):
    response = client.post(RESET, {"email": email})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not mail.outbox


def test_a_nul_character_in_the_reset_form_is_refused_and_sends_nothing(client, db):
    # Refused for every form by the NUL middleware, with a page saying what to do.
    response = client.post(RESET, {"email": "a\x00b@x.test"})
    assert response.status_code == 400
    assert not mail.outbox


def test_change_password_when_signed_in(client, adviser):
    client.force_login(adviser)
    page = client.get("/").content.decode()
    assert 'href="/account/password"' in page
    wrong = client.post(
        CHANGE,
        {
            "old_password": "nope",
            "new_password1": "b-new-passphrase",
            "new_password2": "b-new-passphrase",
        },
    )
    assert "Your current password is not right" in wrong.content.decode()
    response = client.post(
        CHANGE,
        {
            "old_password": PASSWORD,
            "new_password1": "b-new-passphrase",
            "new_password2": "b-new-passphrase",
        },
    )
    assert response.status_code == 302
    adviser.refresh_from_db()
    assert adviser.check_password("b-new-passphrase")
    assert client.get("/residents/").status_code == 200  # still signed in
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert event.user == adviser


def test_change_password_needs_sign_in(client, db):
    response = client.get(CHANGE)
    assert response.status_code == 302
    assert response.url.startswith(SIGN_IN)


def test_failed_sign_ins_to_an_account_are_audited_without_typed_values(client, adviser):
    client.post(SIGN_IN, {"username": "adviser@council.test", "password": "wrong-guess"})
    client.post(SIGN_IN, {"username": "nobody@council.test", "password": "wrong-guess"})
    [event] = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED)
    assert event.user is None
    assert event.summary == "Failed sign-in to adviser@council.test"
    assert event.organisation_id == adviser.memberships.get().organisation_id
    logged = " ".join(AuditEvent.objects.values_list("summary", flat=True))
    assert "nobody" not in logged
    assert "wrong-guess" not in logged
