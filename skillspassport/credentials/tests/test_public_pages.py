"""The public pages speak to the public: ended share links, verify errors in plain words, and
an oversized paste answered on the form."""

from __future__ import annotations

import copy
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from skillspassport.credentials.services import (
    credential_issue,
    credential_revoke,
    share_link_create,
    share_link_withdraw,
)
from skillspassport.credentials.tests.test_verifier import signed, unsigned

STAFF_WORDING = ("Go to the dashboard", "resident of your organisation", "Sign out", "Residents")
PYTHON_WORDING = ("Expecting value", "line 1 column", "char 0", "JSONDecodeError", "Traceback")


@pytest.fixture
def issued(bronze_resident, adviser):
    return credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)


@pytest.fixture
def token(issued, adviser):
    return share_link_create(user=adviser, credential=issued)


def today() -> str:
    now = timezone.localdate()
    return f"{now.day} {now:%B %Y}"


def assert_public(body: str) -> None:
    for words in STAFF_WORDING:
        assert words not in body
    assert "Check a Skills Passport credential" in body  # the public header


def test_a_revoked_credentials_link_says_so_and_when(client, staff, issued, token):
    credential_revoke(user=staff["administrator"], credential=issued, reason="Issued in error")
    client.force_login(staff["adviser"])  # even for staff, the public page, not the staff one
    for name in ("credentials:share", "credentials:share-download", "credentials:share-qr"):
        response = client.get(reverse(name, args=[token]))
        assert response.status_code == 410
    body = response.content.decode()
    assert f"revoked it on {today()}" in body
    assert "Issued in error" not in body  # the reason is the council's, not the public's
    assert_public(body)


def test_a_link_the_holder_stopped_says_so_and_when(client, issued, token):
    share_link_withdraw(user=None, credential=issued)
    response = client.get(reverse("credentials:share", args=[token]))
    assert response.status_code == 410
    body = response.content.decode()
    assert f"The holder stopped sharing this Skills Passport credential on {today()}" in body
    assert_public(body)


def test_a_link_the_council_withdrew_says_so_and_when(client, adviser, issued, token):
    share_link_withdraw(user=adviser, credential=issued)
    response = client.get(reverse("credentials:share", args=[token]))
    assert response.status_code == 410
    assert f"This share link was withdrawn on {today()}" in response.content.decode()


def test_a_new_link_after_a_withdrawn_one_opens_and_the_old_one_stays_ended(
    client, adviser, issued, token
):
    share_link_withdraw(user=adviser, credential=issued)
    new = share_link_create(user=adviser, credential=issued)
    assert client.get(reverse("credentials:share", args=[new])).status_code == 200
    assert client.get(reverse("credentials:share", args=[token])).status_code == 410


@pytest.mark.parametrize("bogus", ["x" * 43, "nope", "a" * 65])
def test_an_unknown_link_is_a_public_404_that_hints_at_nothing(client, db, bogus):
    response = client.get(reverse("credentials:share", args=[bogus]))
    assert response.status_code == 404
    body = response.content.decode()
    assert "This link does not open a credential" in body
    for hint in ("revoked", "stopped sharing", "withdrawn on"):
        assert hint not in body
    assert_public(body)


def test_the_share_page_has_one_h1_and_the_public_layout(client, adviser, token):
    client.force_login(adviser)
    body = client.get(reverse("credentials:share", args=[token])).content.decode()
    assert body.count("<h1") == 1
    assert_public(body)


def _verify(client, text):
    return client.post(reverse("credentials:verify"), {"credential": text})


def _depth(n):
    return "[" * n + "]" * n


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Paste a credential or choose a file"),
        ("hello", "This is not a credential file"),
        ("{nope", "This is not a credential file"),
        ('{"a": 1, "a": 2}', "it gives the same detail twice"),
        (_depth(100), "nested more than 64 levels deep"),
        ("[" + "9" * 200 + "]", "a number too long to read"),
    ],
)
def test_verify_page_explains_unreadable_input_in_plain_words(client, db, text, message):
    response = _verify(client, text)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    for words in PYTHON_WORDING:
        assert words not in body


@pytest.mark.parametrize("text", ["{}", "[1, 2]", '"a string"', '{"type": "Thing"}'])
def test_verify_page_says_json_that_is_not_a_credential_is_not_one(client, db, text):
    body = _verify(client, text).content.decode()
    assert "Cannot be checked" in body
    assert "It is not a credential this service can check" in body


def test_verify_page_explains_a_bad_signature(client, issued):
    changed = copy.deepcopy(issued.document)
    changed["name"] = "Skills Passport Digital: Gold"
    body = _verify(client, json.dumps(changed)).content.decode()
    assert "Its signature does not match its content" in body


def test_verify_page_explains_an_unknown_issuer(client, db):
    foreign = signed(
        unsigned(issuer={"id": "did:web:elsewhere.example", "type": ["Profile"], "name": "X"}),
        method="did:web:elsewhere.example#key-1",
    )
    body = _verify(client, json.dumps(foreign)).content.decode()
    assert "signed with a key this service does not hold" in body


def test_verify_page_explains_a_revoked_credential(client, staff, issued):
    credential_revoke(user=staff["administrator"], credential=issued, reason="Issued in error")
    body = _verify(client, json.dumps(issued.document)).content.decode()
    assert "The issuer has revoked it" in body


def test_verify_page_explains_an_expired_credential_with_its_date(client, db):
    expired = signed(unsigned(validUntil="2026-11-20T00:00:00Z"))
    body = _verify(client, json.dumps(expired)).content.decode()
    assert "Expired" in body
    assert "It expired on 20 November 2026." in body


def test_a_3_mb_paste_gets_the_form_with_an_error_and_its_body_is_never_read(client, db):
    # The test client's payload is empty: reading any of the 3 MB announced would fail.
    response = client.generic(
        "POST",
        reverse("credentials:verify"),
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(3 * 1024 * 1024),
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert "There is a problem" in body
    assert "The credential is too large to check" in body
    assert 'name="credential"' in body  # the form, to try again
    assert "RequestDataTooBig" not in body


def test_a_3_mb_paste_really_sent_gets_the_form_error(client, db):
    response = _verify(client, "x" * (3 * 1024 * 1024))
    assert response.status_code == 413
    assert "The credential is too large to check" in response.content.decode()
