"""Take headless-Chromium screenshots of the main journey into docs/screenshots/.

Needs Debian's `chromium` and `chromium-driver` packages. Starts the app on a spare port
against a throwaway copy of the demo database (run `make db` first; `make screenshots` does
both), so the journey can be repeated: signs in as the demo adviser, registers a resident,
records evidence, watches the level change, and tries to register the same person again.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions

ROOT = Path(__file__).resolve().parent.parent
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


def shoot(driver: webdriver.Chrome, name: str) -> None:
    driver.execute_script("window.scrollTo(0, 0)")
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1280, min(max(height + 40, 800), 4000))
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


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    scratch = Path(tempfile.mkdtemp(prefix="screenshots-"))
    shutil.copy(ROOT / "db.sqlite3", scratch / "db.sqlite3")
    env = {
        **os.environ,
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
    }
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--insecure", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        driver = browser()
        try:
            journey(driver, base)
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

    # The same person again: the duplicate check offers the existing record.
    driver.get(f"{base}/residents/register")
    for element_id, value in fields.items():
        driver.find_element(By.ID, element_id).send_keys(value)
    for element_id in ("id_preferred_contact_0", "id_scheme_basis_0"):
        driver.find_element(By.ID, element_id).click()
    driver.find_element(By.CSS_SELECTOR, "button.govuk-button").click()
    shoot(driver, "11-duplicate-check")


if __name__ == "__main__":
    sys.exit(main())
