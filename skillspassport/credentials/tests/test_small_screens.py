"""The public pages, the printable passport and the resident page fit a 360 px wide phone:
no sideways scrolling (long DIDs, links and JSON wrap; tables scroll in their own box).

Checked in headless Chromium; skipped where Chromium or its driver is not installed."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from skillspassport.credentials.services import credential_issue, share_link_create
from skillspassport.credentials.tests.test_verifier import signed, unsigned
from skillspassport.people.tests.factories import ResidentFactory
from skillspassport.skills.models import Descriptor
from skillspassport.skills.services import evidence_record

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

pytestmark = [
    pytest.mark.skipif(not (CHROMIUM and DRIVER), reason="needs chromium and chromedriver"),
    pytest.mark.django_db(transaction=True),
]

WIDTH = 360

# The widest elements, to say what overflows when the check fails.
OVERFLOWING = """
const limit = document.documentElement.clientWidth;
const clipped = e => {
  for (let a = e.parentElement; a; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return a !== document.body
      && a !== document.documentElement;
  }
  return false;
};
return [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > limit + 1 && !clipped(e))
  .slice(0, 8)
  .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' '
    + Math.round(e.getBoundingClientRect().right) + 'px');
"""


@pytest.fixture
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={WIDTH},800",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_window_size(WIDTH, 800)
    yield driver
    driver.quit()


def sideways(driver) -> tuple[int, int, list[str]]:
    scroll, client = driver.execute_script(
        "const d = document.documentElement; return [d.scrollWidth, d.clientWidth];"
    )
    return scroll, client, driver.execute_script(OVERFLOWING)


def assert_styled(driver) -> None:
    """The service's stylesheet is applied (an unstyled page would prove nothing)."""
    colour = driver.execute_script(
        "return getComputedStyle(document.querySelector('.app-header')).backgroundColor"
    )
    assert colour == "rgb(0, 99, 107)"


def assert_fits(driver, url: str) -> None:
    driver.get(url)
    assert_styled(driver)
    scroll, client, culprits = sideways(driver)
    assert client <= WIDTH
    assert scroll <= client, f"{url} is {scroll} px wide in {client} px: {culprits}"


@pytest.fixture
def scene(reference_data, council, adviser):
    """A resident with a long email address, evidence, a shared credential; an adviser with a
    long name."""
    adviser.full_name = "Bartholomew Featherstonehaugh-Cholmondeley"
    adviser.save(update_fields=["full_name"])
    resident = ResidentFactory(
        organisation=council,
        user=adviser,
        first_name="Maximiliana",
        last_name="Fotheringham-Montgomery-Smythe",
        email="maximiliana.fotheringham-montgomery-smythe@a-very-long-domain.example.org",
    )
    evidence_record(
        user=adviser,
        resident=resident,
        descriptors=Descriptor.objects.filter(level__code="foundation"),
        method="observed_adviser",
        shown_on=date(2026, 10, 1),
        note="Shown at the Bootle library session " + "with_a_very_long_unbroken_word" * 4,
    )
    issued = credential_issue(resident=resident, strand_code="digital", user=adviser)
    token = share_link_create(user=adviser, credential=issued)
    return resident, issued, token


def sign_in(driver, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    driver.get(f"{live_server.url}/healthz")
    driver.add_cookie({"name": "sessionid", "value": client.cookies["sessionid"].value})


def submit_credential(driver, live_server, document) -> None:
    from selenium.webdriver.common.by import By

    driver.get(f"{live_server.url}{reverse('credentials:verify')}")
    box = driver.find_element(By.NAME, "credential")
    driver.execute_script("arguments[0].value = arguments[1];", box, json.dumps(document))
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()


@pytest.mark.parametrize("signed_in", [False, True])
def test_public_pages_fit_a_small_phone(browser, live_server, scene, adviser, signed_in):
    _resident, _issued, token = scene
    if signed_in:  # an adviser opening a share link looks at the public page too
        sign_in(browser, live_server, adviser)
    assert_fits(browser, f"{live_server.url}{reverse('credentials:share', args=[token])}")
    assert_fits(browser, f"{live_server.url}{reverse('credentials:verify')}")
    assert_fits(browser, f"{live_server.url}{reverse('credentials:share', args=['x' * 43])}")


def test_verify_results_fit_a_small_phone(browser, live_server, scene):
    _resident, issued, _token = scene
    submit_credential(browser, live_server, issued.document)
    assert "genuine" in browser.page_source
    assert_styled(browser)
    scroll, client, culprits = sideways(browser)
    assert scroll <= client, culprits
    # An untrusted issuer's long DID, and the technical details opened.
    submit_credential(browser, live_server, signed(unsigned()))
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert "Issuer not recognised" in browser.page_source
    scroll, client, culprits = sideways(browser)
    assert scroll <= client, culprits
    # What a credential says about itself, however long, wraps too.
    boastful = unsigned(name="Skills-Passport-" * 12)
    boastful["credentialSubject"]["achievement"]["criteria"]["narrative"] = "criteria-" * 30
    submit_credential(browser, live_server, signed(boastful))
    assert "What the credential says about itself" in browser.page_source
    scroll, client, culprits = sideways(browser)
    assert scroll <= client, culprits
    changed = dict(issued.document, name="Skills Passport Digital: Gold")
    submit_credential(browser, live_server, changed)
    browser.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert "Not genuine" in browser.page_source
    scroll, client, culprits = sideways(browser)
    assert scroll <= client, culprits


def test_resident_and_printable_passport_pages_fit_a_small_phone(
    browser, live_server, scene, adviser
):
    resident, _issued, _token = scene
    sign_in(browser, live_server, adviser)
    assert_fits(browser, f"{live_server.url}{reverse('people:detail', args=[resident.public_id])}")
    assert_fits(
        browser, f"{live_server.url}{reverse('people:passport', args=[resident.public_id])}"
    )
