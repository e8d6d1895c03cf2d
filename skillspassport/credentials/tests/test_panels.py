"""The credentials panels of a resident's pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from skillspassport.credentials.services import credential_issue, share_link_create


@pytest.fixture
def issued(bronze_resident, adviser):
    return credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)


def credentials_section(body):
    return body[body.index('id="credentials"') : body.index('id="details"')]


def test_resident_page_shows_the_credentials(client, staff, bronze_resident, issued):
    client.force_login(staff["viewer"])
    body = client.get(reverse("people:detail", args=[bronze_resident.public_id])).content.decode()
    section = credentials_section(body)
    assert "Skills Passport Digital: Bronze" in section
    assert reverse("credentials:download", args=[bronze_resident.public_id, issued.public_id]) in (
        section
    )


@pytest.mark.parametrize(
    ("role", "may_issue", "may_revoke"),
    [("administrator", True, True), ("adviser", True, False), ("viewer", False, False)],
)
def test_credential_actions_follow_the_role(
    client, staff, bronze_resident, issued, role, may_issue, may_revoke
):
    client.force_login(staff[role])
    pid = bronze_resident.public_id
    section = credentials_section(client.get(reverse("people:detail", args=[pid])).content.decode())
    assert ("Make a share link" in section) is may_issue
    assert ("Suspend or revoke" in section) is may_revoke


def test_levels_without_a_live_credential_can_be_issued(client, adviser, bronze_resident):
    client.force_login(adviser)
    pid = bronze_resident.public_id
    section = credentials_section(client.get(reverse("people:detail", args=[pid])).content.decode())
    assert "No credentials issued yet." in section
    assert 'value="digital"' in section
    assert "Digital: Bronze" in section


def test_printable_passport_shows_share_codes_only_for_shared_credentials(
    client, adviser, bronze_resident, issued
):
    client.force_login(adviser)
    url = reverse("people:passport", args=[bronze_resident.public_id])
    assert "Scan to check this credential" not in client.get(url).content.decode()
    token = share_link_create(user=adviser, credential=issued)
    body = client.get(url).content.decode()
    assert "Scan to check this credential" in body
    assert reverse("credentials:share-qr", args=[token]) in body
