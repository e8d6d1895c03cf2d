"""The printable passport has a print button and every share link can be copied; both work
without JavaScript (the link is on the page as text, the page says how to print)."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from skillspassport.credentials.services import credential_issue, share_link_create


@pytest.fixture
def token(bronze_resident, adviser):
    issued = credential_issue(resident=bronze_resident, strand_code="digital", user=adviser)
    return share_link_create(user=adviser, credential=issued)


def copy_button_for(body, element_id):
    return re.search(rf'<button[^>]*data-app-copy="{re.escape(element_id)}"[^>]*hidden', body)


def test_share_page_shows_the_link_as_text_with_a_copy_button(client, token):
    body = client.get(reverse("credentials:share", args=[token])).content.decode()
    url = settings.SITE_URL + reverse("credentials:share", args=[token])
    assert f'<span id="share-url" class="app-copy-link__text">{url}</span>' in body
    assert copy_button_for(body, "share-url")


def test_residents_page_lets_the_adviser_copy_the_share_link(
    client, adviser, bronze_resident, token
):
    client.force_login(adviser)
    body = client.get(reverse("people:detail", args=[bronze_resident.public_id])).content.decode()
    url = settings.SITE_URL + reverse("credentials:share", args=[token])
    assert f'class="app-copy-link__text">{url}</span>' in body
    assert copy_button_for(body, f"share-url-{token}")


def test_printable_passport_has_a_print_button(client, adviser, bronze_resident):
    client.force_login(adviser)
    body = client.get(reverse("people:passport", args=[bronze_resident.public_id])).content.decode()
    assert re.search(r'<button type="button"[^>]*data-app-print hidden>Print this passport', body)
    assert "print command to print this passport" in body


def test_the_scripts_wire_up_the_buttons(db):
    script = (settings.BASE_DIR / "skillspassport/static/js/app.mjs").read_text()
    assert "[data-app-print]" in script
    assert "window.print()" in script
    assert "[data-app-copy]" in script
    assert "navigator.clipboard.writeText" in script
