"""Take headless-Chromium screenshots of the main journey into docs/screenshots/.

Needs Debian's `chromium` and `chromium-driver` packages. Starts the app on a spare port
against a throwaway copy of the demo database (run `make db` first; `make screenshots` does
both), so the journey can be repeated: signs in as the demo adviser, registers a resident,
records evidence, watches the level change, and tries to register the same person again.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.wait import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from skillspassport.credentials.vc import eddsa, keys  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSWORD = "demo-passport-2026"  # noqa: S105 - the published demo password


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def browser() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        "--hide-scrollbars",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def shoot(driver: webdriver.Chrome, name: str, width: int = 1280) -> None:
    driver.set_window_size(width, 800)
    driver.execute_script("window.scrollTo(0, 0)")
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(width, min(max(height + 40, 800), 4000))
    driver.save_screenshot(str(OUT / f"{name}.png"))
    print(f"  {name}.png")


def print_preview(driver: webdriver.Chrome, name: str) -> None:
    """The page as the browser prints it (print stylesheet, A4), first page as PNG."""
    pdf = OUT / f"{name}.pdf"
    pdf.write_bytes(base64.b64decode(driver.print_page(PrintOptions())))
    if shutil.which("pdftoppm"):
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(OUT / name)],  # noqa: S607
            check=True,
        )
        pdf.unlink()
        print(f"  {name}.png")
    else:
        print(f"  {name}.pdf (install poppler-utils for a PNG)")


def start_server(database: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The app on a spare port against `database` (a copy: the journeys change it)."""
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--insecure", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.2)
    return server, f"http://127.0.0.1:{port}"


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="screenshots-"))
    shutil.copy(ROOT / "db.sqlite3", scratch / "db.sqlite3")
    server, base = start_server(scratch / "db.sqlite3")
    try:
        driver = browser()
        try:
            journey(driver, base)
            delivery_journey(driver, base)
            privacy_journey(driver, base)
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(scratch)
    return 0


def journey(driver: webdriver.Chrome, base: str) -> None:
    driver.get(f"{base}/sign-in")
    shoot(driver, "01-sign-in")
    driver.find_element(By.ID, "id_username").send_keys("adviser@sefton.demo")
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "button[type=submit].govuk-button").click()
    shoot(driver, "02-dashboard")
    driver.get(f"{base}/residents/?q=smith")
    shoot(driver, "03-residents-search")

    driver.get(f"{base}/residents/register")
    driver.find_element(By.CSS_SELECTOR, "button.govuk-button").click()  # empty: errors
    shoot(driver, "04-register-errors")
    fields = {
        "id_first_name": "Kerry",
        "id_last_name": "Quayle",
        "id_date_of_birth_0": "14",
        "id_date_of_birth_1": "6",
        "id_date_of_birth_2": "1979",
        "id_email": "kerry.quayle@example.org",
        "id_phone": "07700 900777",
        "id_address_line_1": "12 Stanley Road",
        "id_town": "Bootle",
        "id_postcode": "l20 3et",
    }
    for element_id, value in fields.items():
        element = driver.find_element(By.ID, element_id)
        element.clear()
        element.send_keys(value)
    for element_id in ("id_preferred_contact_0", "id_scheme_basis_0", "id_consents_0"):
        driver.find_element(By.ID, element_id).click()
    shoot(driver, "05-register")
    driver.find_element(By.CSS_SELECTOR, "button.govuk-button").click()
    resident_url = driver.current_url
    shoot(driver, "06-resident-registered")

    driver.get(resident_url + "evidence/digital")
    boxes = driver.find_elements(By.CSS_SELECTOR, "input[name=descriptors]")
    for box in boxes[:8]:  # the eight foundation skills
        driver.execute_script("arguments[0].click()", box)
    driver.find_element(By.CSS_SELECTOR, "input[name=method][value=observed_adviser]").click()
    for element_id, value in (
        ("id_shown_on_0", "2"),
        ("id_shown_on_1", "11"),
        ("id_shown_on_2", "2026"),
    ):
        driver.find_element(By.ID, element_id).send_keys(value)
    shoot(driver, "07-record-evidence")
    driver.find_element(By.CSS_SELECTOR, "form button.govuk-button").click()
    shoot(driver, "08-resident-after-evidence")
    driver.get(resident_url + "passport")
    shoot(driver, "09-printable-passport")
    print_preview(driver, "09-printable-passport-a4")
    driver.get(f"{base}/framework/")
    shoot(driver, "10-framework")

    credentials_journey(driver, base, resident_url)
    targeting_journey(driver, base)
    reports_journey(driver, base)

    # The same person again: the duplicate check offers the existing record.
    driver.get(f"{base}/residents/register")
    for element_id, value in fields.items():
        driver.find_element(By.ID, element_id).send_keys(value)
    for element_id in ("id_preferred_contact_0", "id_scheme_basis_0"):
        driver.find_element(By.ID, element_id).click()
    driver.find_element(By.CSS_SELECTOR, "button.govuk-button").click()
    shoot(driver, "11-duplicate-check")


def click_and_wait(driver: webdriver.Chrome, element: Any) -> None:
    """Click, and if that loads a new page, wait for it (so the next step does not race it)."""
    element.click()
    with contextlib.suppress(TimeoutException):  # nothing to wait for if no page loaded
        WebDriverWait(driver, 10).until(staleness_of(element))


def verify_text(driver: webdriver.Chrome, base: str, text: str, name: str) -> None:
    driver.get(f"{base}/verify/")
    box = driver.find_element(By.ID, "id_credential")
    driver.execute_script("arguments[0].value = arguments[1]", box, text)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form button.govuk-button"))
    shoot(driver, name)


def sign_in(driver: webdriver.Chrome, base: str, email: str) -> None:
    driver.delete_all_cookies()
    driver.get(f"{base}/sign-in")
    driver.find_element(By.ID, "id_username").send_keys(email)
    driver.find_element(By.ID, "id_password").send_keys(PASSWORD)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "button[type=submit].govuk-button"))
    WebDriverWait(driver, 10).until(lambda d: "/sign-in" not in d.current_url)


def credentials_journey(driver: webdriver.Chrome, base: str, resident_url: str) -> None:
    """Issue Kerry's Digital: Bronze credential, share it, and check it in every state."""
    driver.get(resident_url + "#credentials")
    driver.find_element(By.ID, "issue-digital").click()
    click_and_wait(
        driver, driver.find_element(By.XPATH, "//button[normalize-space()='Issue credential']")
    )
    click_and_wait(
        driver,
        driver.find_element(
            By.XPATH, "//button[starts-with(normalize-space(), 'Make a share link')]"
        ),
    )
    shoot(driver, "12-resident-credentials")
    download = driver.find_element(By.PARTIAL_LINK_TEXT, "Download (JSON)").get_attribute("href")
    share = driver.find_element(By.LINK_TEXT, "Share link").get_attribute("href")
    text = driver.execute_async_script(
        "fetch(arguments[0]).then(r => r.text()).then(arguments[1])", download
    )
    verify_text(driver, base, text, "20-verify-valid")
    changed = json.loads(text)
    changed["name"] = "Skills Passport Digital: Gold"
    verify_text(driver, base, json.dumps(changed, indent=2), "21-verify-tampered")
    driver.get(share)
    shoot(driver, "22-share-page")
    driver.find_element(By.ID, "id_email").send_keys("kerry.quayle@example.org")
    click_and_wait(
        driver, driver.find_element(By.XPATH, "//button[normalize-space()='Check email address']")
    )
    shoot(driver, "22-share-page-holder-matches")
    verify_text(driver, base, _foreign_credential(), "23-verify-unknown-issuer")
    verify_text(driver, base, _expired_credential(), "24-verify-expired")
    verify_text(driver, base, _forged_with_the_councils_name(text), "28-verify-forged-did-key")

    sign_in(driver, base, "admin@sefton.demo")
    driver.get(resident_url + "#credentials")
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Suspend or revoke"))
    driver.find_element(By.CSS_SELECTOR, "input[name=action][value=suspend]").click()
    driver.find_element(By.ID, "id_reason").send_keys("Checking the evidence with the tutor")
    shoot(driver, "25-suspend-or-revoke")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form button.govuk-button"))
    verify_text(driver, base, text, "26-verify-suspended")
    driver.get(resident_url + "#credentials")
    reinstate = "//button[starts-with(normalize-space(), 'Reinstate')]"
    click_and_wait(driver, driver.find_element(By.XPATH, reinstate))
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Suspend or revoke"))
    driver.find_element(By.CSS_SELECTOR, "input[name=action][value=revoke]").click()
    driver.find_element(By.ID, "id_reason").send_keys("Issued to the wrong person")
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "form button.govuk-button"))
    verify_text(driver, base, text, "27-verify-revoked")
    driver.get(f"{base}/issuing/")
    shoot(driver, "29-credentials-api-clients")
    sign_in(driver, base, "adviser@sefton.demo")


def targeting_journey(driver: webdriver.Chrome, base: str) -> None:
    """Sefton's priority areas, then the top ten saved as a plan with its outreach list."""
    driver.get(f"{base}/targeting/?preset=deri&base=council")
    shoot(driver, "30-priority-areas")
    driver.get(f"{base}/targeting/?preset=employment&base=region")
    shoot(driver, "31-priority-areas-employment")
    driver.find_element(By.ID, "id_name").send_keys("Bootle digital skills outreach 2027")
    driver.find_element(By.ID, "id_rationale").send_keys(
        "The ten Sefton areas with the highest employment and skills need, scaled against the "
        "city region: mostly Linacre and Derby wards."
    )
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[normalize-space()='Save plan']"))
    shoot(driver, "32-targeting-plan")
    driver.get(f"{base}/targeting/areas/E01007009/")
    shoot(driver, "33-area-profile")
    driver.get(f"{base}/targeting/baseline/")
    shoot(driver, "34-skills-baseline")


def privacy_journey(driver: webdriver.Chrome, base: str) -> None:
    """A council administrator's users, the council audit log, a resident's data rights (subject
    access, erasure), retention rules; and what a councillor sees."""
    sign_in(driver, base, "admin@sefton.demo")
    driver.get(f"{base}/organisation/users/")
    shoot(driver, "60-users")
    shoot(driver, "60-users-phone", width=390)
    driver.get(f"{base}/organisation/users/invite")
    shoot(driver, "61-user-invite")
    driver.get(f"{base}/audit/")
    shoot(driver, "62-council-audit")
    driver.get(f"{base}/residents/?q=smith")
    link = driver.find_element(By.CSS_SELECTOR, "main table a[href^='/residents/']")
    public_id = link.get_attribute("href").rstrip("/").split("/")[-1]
    driver.get(f"{base}/privacy/residents/{public_id}/")
    shoot(driver, "63-data-rights")
    driver.get(f"{base}/privacy/residents/{public_id}/subject-access")
    shoot(driver, "64-subject-access")
    shoot(driver, "64-subject-access-phone", width=390)
    driver.get(f"{base}/privacy/residents/{public_id}/erase")
    shoot(driver, "65-erase-confirm")
    driver.get(f"{base}/privacy/retention/")
    shoot(driver, "66-retention-rules")
    sign_in(driver, base, "councillor@sefton.demo")
    shoot(driver, "67-councillor-dashboard")


def reports_journey(driver: webdriver.Chrome, base: str) -> None:
    """The officer dashboard, then the April-September report drafted, published and printed."""
    sign_in(driver, base, "admin@sefton.demo")
    driver.get(f"{base}/reports/dashboard/")
    shoot(driver, "40-officer-dashboard")
    driver.get(f"{base}/reports/")
    click_and_wait(
        driver, driver.find_element(By.XPATH, "//button[normalize-space()='Open the draft']")
    )
    driver.find_element(By.ID, "narrative_R1").send_keys(
        "Passports are well established: most residents supported this period reached Bronze, "
        "and credentials were issued for the first time."
    )
    click_and_wait(
        driver, driver.find_element(By.XPATH, "//button[normalize-space()='Save and publish']")
    )
    shoot(driver, "41-monitoring-report")
    url = driver.find_element(By.PARTIAL_LINK_TEXT, "Download the PDF").get_attribute("href")
    data = driver.execute_async_script(
        "fetch(arguments[0]).then(r => r.arrayBuffer()).then(b => {"
        "  let s = ''; const a = new Uint8Array(b);"
        "  for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);"
        "  arguments[1](btoa(s)); })",
        url,
    )
    pdf = OUT / "monitoring-report.pdf"
    pdf.write_bytes(base64.b64decode(data))
    if shutil.which("pdftoppm"):
        for old in OUT.glob("42-report-pdf-page-*.png"):
            old.unlink()
        subprocess.run(  # noqa: S603
            ["pdftoppm", "-png", "-r", "70", str(pdf), str(OUT / "42-report-pdf-page")],  # noqa: S607
            check=True,
        )
        pdf.unlink()
        print("  42-report-pdf-page-*.png")
    sign_in(driver, base, "adviser@sefton.demo")


def _signed_elsewhere(issuer: str, method: str, key: Any, **extra: Any) -> str:
    credential = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:0b7e6a52-5d0e-4f7e-9c1b-3f3a2d9e8c11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": "Another Badge Platform"},
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://badges.example.org/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Works well in a team.",
                "criteria": {"narrative": "Nominated by peers."},
            },
        },
        **extra,
    }
    signed = eddsa.sign(credential, key, verification_method=method, created="2025-01-01T00:00:00Z")
    return json.dumps(signed, indent=2)


def _foreign_credential() -> str:
    key = Ed25519PrivateKey.generate()
    return _signed_elsewhere("did:web:badges.example.org", "did:web:badges.example.org#key-1", key)


def _forged_with_the_councils_name(genuine: str) -> str:
    """The attack the registry stops: a fresh did:key signs a copy in the council's name."""
    key = Ed25519PrivateKey.generate()
    document = {
        k: v for k, v in json.loads(genuine).items() if k not in ("proof", "credentialStatus")
    }
    document["issuer"] = {
        "id": keys.did_key(key.public_key()),
        "type": ["Profile"],
        "name": document["issuer"]["name"],
    }
    document["name"] = document["credentialSubject"]["achievement"]["name"] = "Skills Passport Gold"
    signed = eddsa.sign(
        document,
        key,
        verification_method=keys.did_key_verification_method(key.public_key()),
        created="2026-11-01T00:00:00Z",
    )
    return json.dumps(signed, indent=2)


def _expired_credential() -> str:
    key = Ed25519PrivateKey.generate()
    return _signed_elsewhere(
        keys.did_key(key.public_key()),
        keys.did_key_verification_method(key.public_key()),
        key,
        validUntil="2025-12-31T23:59:59Z",
    )


def delivery_journey(driver: webdriver.Chrome, base: str) -> None:
    """Employers, training, casework and funding pages of the demo."""
    sign_in(driver, base, "adviser@sefton.demo")
    driver.get(f"{base}/employers/")
    shoot(driver, "50-employers")
    driver.get(f"{base}/employers/opportunities/")
    link = driver.find_element(By.PARTIAL_LINK_TEXT, "Front of house receptionist")
    click_and_wait(driver, link)
    shoot(driver, "51-opportunity-matches")
    driver.get(f"{base}/employers/sustainment/")
    shoot(driver, "52-sustainment-checks-due")
    driver.get(f"{base}/employers/demand/")
    shoot(driver, "53-demand-and-supply")
    driver.get(f"{base}/support/")
    shoot(driver, "55-caseload")
    row = driver.find_element(By.XPATH, "//tr[td[contains(., 'Jobcentre Plus')]][1]//a")
    click_and_wait(driver, row)
    shoot(driver, "55-case-jobcentre-journey")
    sign_in(driver, base, "employer@sefton.demo")
    driver.get(f"{base}/employers/")
    shoot(driver, "54-employer-compact")
    link = driver.find_element(By.CSS_SELECTOR, "#referrals ~ table a.govuk-link")
    click_and_wait(driver, link)
    shoot(driver, "56-referral-employer-view")
    driver.get(f"{base}/employers/")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Describe a role"))
    driver.find_element(By.ID, "id_title").send_keys("Stock controller")
    driver.find_element(By.ID, "id_advert_text").send_keys(
        "You will keep stock records in Excel spreadsheets, reply to customer emails and "
        "calculate delivery costs. Good written communication is essential."
    )
    click_and_wait(driver, driver.find_element(By.NAME, "suggest"))
    shoot(driver, "57-role-from-advert")
    sign_in(driver, base, "tutor@sefton.demo")
    driver.get(f"{base}/training/")
    shoot(driver, "58-training")
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Digital skills for work"))
    shoot(driver, "58-cohort-full-with-waiting-list")
    sign_in(driver, base, "manager@sefton.demo")
    driver.get(f"{base}/funding/")
    shoot(driver, "59-funding")
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Get Online Sefton"))
    shoot(driver, "59-project-outputs")


if __name__ == "__main__":
    sys.exit(main())
