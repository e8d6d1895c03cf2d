from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def test_health_check_is_public(client, db):
    assert client.get("/healthz").content == b"ok"


def test_pages_carry_a_strict_content_security_policy(client, adviser):
    client.force_login(adviser)
    response = client.get(reverse("home:dashboard"))
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "no-store"
    assert "<script>" not in response.content.decode()


def test_not_found_page_is_friendly(client, adviser):
    client.force_login(adviser)
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_no_crown_or_gds_font_in_pages(client, adviser):
    client.force_login(adviser)
    body = client.get(reverse("home:dashboard")).content.decode().lower()
    # The GOV.UK header's Crown logo and the GOV.UK crest are for GOV.UK services only.
    for mark in ("govuk-logo", "govuk-header__logotype", "govuk-crest", "gds transport"):
        assert mark not in body
    assert "govuk-generic-header" in body
    assert "govuk-template__body" in body


def test_built_stylesheet_has_no_gds_transport_font():
    css = (settings.BASE_DIR / "skillspassport/static/build/app.css").read_text().lower()
    assert "gds transport" not in css
    assert "@font-face" not in css


def test_analyst_dashboard_has_no_personal_data(client, staff):
    client.force_login(staff["analyst"])
    body = client.get(reverse("home:dashboard")).content.decode()
    assert "Recently registered" not in body


def test_built_assets_are_served(client, db):
    for path in (
        "/static/build/app.css",
        "/static/build/govuk-frontend.min.js",
        "/static/js/app.mjs",
    ):
        response = client.get(path)
        assert response.status_code == 200, path


def test_header_names_the_users_council(client, adviser, council):
    client.force_login(adviser)
    body = client.get(reverse("home:dashboard")).content.decode()
    assert f'class="govuk-generic-header__homepage-link">{council.name}</a>' in body


def test_missing_reference_data_gets_a_clear_page_not_a_server_error(client, adviser, monkeypatch):
    from skillspassport.skills import selectors
    from skillspassport.skills.selectors import NoFrameworkLoadedError

    def not_loaded(**kwargs):
        raise NoFrameworkLoadedError("No skills framework is loaded")

    monkeypatch.setattr(selectors, "passport_summary", not_loaded)
    from skillspassport.people.tests.factories import ResidentFactory

    resident = ResidentFactory(organisation=adviser.memberships.get().organisation, user=adviser)
    client.force_login(adviser)
    response = client.get(reverse("people:detail", args=[resident.public_id]))
    assert response.status_code == 503
    assert "load_reference_data" in response.content.decode()
