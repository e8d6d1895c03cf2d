"""Walk the adviser's, tutor's and employer's journeys in headless Chromium, checking every
page with axe-core and for sideways scrolling at desktop (1280 px) and phone (360 px) widths.

Run by `make screenshots` after `scripts/screenshots.py`, against a throwaway copy of the demo
database (run `make db` first). Each page is photographed at phone width into
docs/screenshots/ (`7x-…-phone.png`), and what was found is written to
docs/screenshots/walk-summary.md (and `.json`). Exits 1 when a page has a violation or
scrolls sideways, so the walk can gate a release.

    adviser   dashboard, register a resident, record evidence, open a case, spend from the
              personal budget, record a job start, record a sustainment check
    tutor     dashboard, a cohort, take a register, record a completion
    employer  dashboard, the organisation page, an opportunity, a referral and its progress
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from selenium.common.exceptions import NoSuchElementException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import screenshots  # noqa: E402

from skillspassport.home.tests import browser  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def local_today() -> date:
    """Today in the UK, as the app counts days."""
    return datetime.now(ZoneInfo("Europe/London")).date()


@dataclass
class Page:
    name: str
    path: str
    problems: dict[int, list[str]] = field(default_factory=dict)

    @property
    def clean(self) -> bool:
        return not any(self.problems.values())


@dataclass
class Walk:
    driver: Any
    base: str
    pages: list[Page] = field(default_factory=list)
    failed_steps: list[str] = field(default_factory=list)
    counter: int = 70

    def check(self, name: str) -> Page:
        """Check the page the browser shows at each width, photographing it."""
        path = self.driver.current_url.removeprefix(self.base)
        page = Page(f"{self.counter}-{name}", path)
        self.counter += 1
        for width in browser.WIDTHS:
            browser.set_width(self.driver, width)
            found = [str(v) for v in browser.axe_violations(self.driver)]
            extra = browser.sideways_scroll(self.driver)
            if extra > 0:
                widest = ", ".join(browser.widest_elements(self.driver))
                found.append(f"scrolls sideways by {extra}px ({widest})")
            page.problems[width] = found
            if width < 1000:  # desktop views of these pages are in the screenshots above
                self._shoot(f"{page.name}-phone", width)
        browser.set_width(self.driver, 1280)
        self.pages.append(page)
        marker = "ok" if page.clean else f"{sum(len(p) for p in page.problems.values())} problems"
        print(f"  {page.name}: {page.path} {marker}")
        return page

    def _shoot(self, name: str, width: int) -> None:
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": width,
                "height": min(max(int(height), 800), 4000),
                "deviceScaleFactor": 1,
                "mobile": width < 600,
            },
        )
        self.driver.save_screenshot(str(OUT / f"{name}.png"))

    def go(self, path: str) -> None:
        self.driver.get(self.base + path)

    def step(self, what: str, action: Callable[[], None]) -> None:
        """Run one step of a journey; a step that cannot be done is reported, not fatal."""
        try:
            action()
        except (NoSuchElementException, WebDriverException, AssertionError, KeyError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self.failed_steps.append(f"{what}: {message}")
            print(f"  ! {what}: {message}")


def fill(driver: Any, values: dict[str, str]) -> None:
    """Fill the fields of the page's form by name: text, radios (by value), selects (by value)."""
    for name, value in values.items():
        elements = driver.find_elements(By.NAME, name)
        assert elements, f"no field {name!r} on {driver.current_url}"
        first = elements[0]
        kind = (first.get_attribute("type") or "").lower()
        if first.tag_name == "select":
            Select(first).select_by_value(value)
        elif kind in ("radio", "checkbox"):
            for element in elements:
                if element.get_attribute("value") == value:
                    driver.execute_script("arguments[0].click()", element)
        else:
            first.clear()
            first.send_keys(value)


def fill_date(driver: Any, name: str, day: date) -> None:
    fill(
        driver, {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}
    )


def submit(driver: Any, label: str | None = None) -> None:
    """Press the form's button (the one labelled `label`, or the main form's first)."""
    if label:
        button = driver.find_element(
            By.XPATH, f"//main//button[starts-with(normalize-space(), '{label}')]"
        )
    else:
        button = driver.find_element(By.CSS_SELECTOR, "main form[method=post] button.govuk-button")
    screenshots.click_and_wait(driver, button)


def follow(driver: Any, text: str) -> None:
    screenshots.click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, text))


# --- Journeys -------------------------------------------------------------------------------


def adviser_journey(walk: Walk) -> None:
    driver, today = walk.driver, local_today()
    driver.delete_all_cookies()
    walk.go("/sign-in")
    walk.check("sign-in")
    screenshots.sign_in(driver, walk.base, "adviser@sefton.demo")
    walk.check("adviser-dashboard")
    resident: dict[str, str] = {}

    def register() -> None:
        walk.go("/residents/register")
        submit(driver)
        walk.check("register-errors")
        fill(
            driver,
            {
                "first_name": "Morgan",
                "last_name": "Ellery",
                "email": "morgan.ellery@example.org",
                "phone": "07700 900481",
                "address_line_1": "4 Linacre Lane",
                "town": "Bootle",
                "postcode": "l20 5ab",
            },
        )
        fill_date(driver, "date_of_birth", date(1988, 3, 9))
        for element_id in ("id_preferred_contact_0", "id_scheme_basis_0", "id_consents_0"):
            driver.execute_script("arguments[0].click()", driver.find_element(By.ID, element_id))
        submit(driver)
        if driver.find_elements(By.NAME, "confirm_new"):  # the duplicate check: a new person
            walk.check("register-possible-duplicate")
            driver.execute_script(
                "arguments[0].click()", driver.find_element(By.NAME, "confirm_new")
            )
            submit(driver)
        assert not driver.current_url.rstrip("/").endswith("register"), "not registered"
        resident["url"] = driver.current_url.split("#")[0]
        resident["id"] = resident["url"].rstrip("/").split("/")[-1]
        walk.check("resident-registered")

    def evidence() -> None:
        driver.get(resident["url"] + "evidence/digital")
        for box in driver.find_elements(By.CSS_SELECTOR, "input[name=descriptors]")[:8]:
            driver.execute_script("arguments[0].click()", box)
        fill(driver, {"method": "observed_adviser"})
        fill_date(driver, "shown_on", today - timedelta(days=1))
        walk.check("record-evidence")
        submit(driver)
        walk.check("resident-after-evidence")

    def case() -> None:
        walk.go(f"/support/residents/{resident['id']}/open")
        fill(
            driver,
            {
                "referral_source": "jobcentre",
                "referring_organisation": "Bootle Jobcentre",
                "referral_contact": "Work coach",
            },
        )
        fill_date(driver, "referred_on", today - timedelta(days=3))
        fill_date(driver, "opened_on", today)
        fill_date(driver, "next_review_on", today + timedelta(days=14))
        walk.check("case-open")
        submit(driver)
        assert "/support/cases/" in driver.current_url, "the case was not opened"
        resident["case"] = driver.current_url.split("#")[0]
        walk.check("case")

    def spend() -> None:
        driver.get(resident["case"] + "spends/add")
        fill(
            driver,
            {"category": "travel", "amount": "42.50", "description": "Bus pass for interviews"},
        )
        fill_date(driver, "spent_on", today)
        walk.check("budget-spend")
        submit(driver)
        walk.check("case-after-spend")

    def job_start() -> None:
        driver.get(resident["case"] + "job-starts/add")
        fill(
            driver,
            {
                "employer_name": "Dockside Logistics Ltd",
                "role_title": "Warehouse administrator",
                "contract": "permanent",
                "hours_per_week": "30",
                "hourly_wage": "12.60",
            },
        )
        fill_date(driver, "started_on", today)
        walk.check("job-start")
        submit(driver)
        walk.check("case-after-job-start")

    def sustainment() -> None:
        walk.go("/support/sustainment/")
        walk.check("adviser-checks-due")
        follow(driver, "Record the result")
        fill(driver, {"outcome": "in_work", "note": "Confirmed by phone"})
        fill_date(driver, "checked_on", today)
        walk.check("sustainment-check")
        submit(driver)
        walk.check("after-sustainment-check")

    for what, action in (
        ("register a resident", register),
        ("record evidence", evidence),
        ("open a case", case),
        ("record a budget spend", spend),
        ("record a job start", job_start),
        ("record a sustainment check", sustainment),
    ):
        walk.step(f"adviser: {what}", action)
    walk.step("adviser: caseload", lambda: (walk.go("/support/"), walk.check("caseload")))


def tutor_journey(walk: Walk) -> None:
    driver = walk.driver
    screenshots.sign_in(driver, walk.base, "tutor@sefton.demo")
    walk.check("tutor-dashboard")

    def register() -> None:
        walk.go("/training/")
        walk.check("training")
        follow(driver, "Digital skills for work")
        walk.check("cohort")
        walk.go("/")  # the dashboard lists the registers still to take
        links = driver.find_elements(By.CSS_SELECTOR, "#queue-registers ~ ul a[href*='/register/']")
        if not links:
            walk.go("/training/")
            follow(driver, "Digital skills for work")
            links = driver.find_elements(By.CSS_SELECTOR, "main a[href*='/register/']")
        assert links, "no session to take a register for"
        screenshots.click_and_wait(driver, links[0])
        for radio in driver.find_elements(By.CSS_SELECTOR, "main input[type=radio][value=present]"):
            driver.execute_script("arguments[0].click()", radio)
        walk.check("register")
        submit(driver)
        walk.check("cohort-after-register")

    def completion() -> None:
        walk.go("/training/")
        finished = driver.find_elements(
            By.XPATH, "//h2[normalize-space()='Finished cohorts']/following::table[1]//a"
        )
        for href in [a.get_attribute("href") for a in finished]:
            driver.get(href)
            links = driver.find_elements(By.PARTIAL_LINK_TEXT, "Record outcome")
            if links:
                screenshots.click_and_wait(driver, links[0])
                fill(driver, {"outcome": "completed"})
                walk.check("completion")
                submit(driver)
                walk.check("cohort-after-completion")
                return
        raise AssertionError("no finished cohort with a learner whose outcome is not recorded")

    walk.step("tutor: take a register", register)
    walk.step("tutor: record a completion", completion)


def employer_journey(walk: Walk) -> None:
    driver, today = walk.driver, local_today()
    screenshots.sign_in(driver, walk.base, "employer@sefton.demo")
    walk.check("employer-dashboard")

    def pipeline() -> None:
        walk.go("/employers/")
        walk.check("employer-page")
        opportunities = driver.find_elements(By.CSS_SELECTOR, "main a[href*='/opportunities/']")
        if opportunities:
            href = opportunities[0].get_attribute("href")
            driver.get(href)
            walk.check("employer-opportunity")
            walk.go("/employers/")
        screenshots.click_and_wait(
            driver, driver.find_element(By.CSS_SELECTOR, "#referrals ~ .app-table-scroll a")
        )
        walk.check("employer-referral")
        if driver.find_elements(By.NAME, "p-stage"):
            fill(driver, {"p-stage": "interviewed"})
            fill_date(driver, "p-on", today)
            submit(driver, "Record")
            walk.check("employer-referral-progress")

    walk.step("employer: referral pipeline", pipeline)


def write_summary(walk: Walk) -> int:
    problems = [(p, w, found) for p in walk.pages for w, found in p.problems.items() if found]
    data = {
        "pages": [asdict(p) for p in walk.pages],
        "failed_steps": walk.failed_steps,
    }
    (OUT / "walk-summary.json").write_text(json.dumps(data, indent=2) + "\n")
    lines = [
        "# Accessibility and layout walk",
        "",
        "Written by `scripts/walk.py` (run by `make screenshots`): each page of the adviser's,",
        "tutor's and employer's journeys checked with axe-core (WCAG 2.2 A and AA, and best",
        "practice) and for sideways scrolling at 1280 and 360 CSS pixels.",
        "",
        (
            f"Pages checked: {len(walk.pages)}; pages with a problem: "
            f"{len({p.name for p, _w, _f in problems})}; steps that could not be done: "
            f"{len(walk.failed_steps)}."
        ),
        "",
        "| page | path | width | problems |",
        "| --- | --- | --- | --- |",
    ]
    for page in walk.pages:
        for width, found in page.problems.items():
            text = "<br>".join(f.replace("|", "\\|") for f in found) or "none"
            lines.append(f"| {page.name} | `{page.path}` | {width} | {text} |")
    if walk.failed_steps:
        lines += ["", "## Steps that could not be done", ""]
        lines += [f"- {step}" for step in walk.failed_steps]
    (OUT / "walk-summary.md").write_text("\n".join(lines) + "\n")
    print(f"  walk-summary.md: {len(walk.pages)} pages, {len(problems)} page widths with problems")
    return 1 if problems or walk.failed_steps else 0


def main() -> int:
    if not browser.available():
        print("Needs chromium, chromium-driver and node_modules/axe-core.", file=sys.stderr)
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="walk-"))
    shutil.copy(ROOT / "db.sqlite3", scratch / "db.sqlite3")
    server, base = screenshots.start_server(scratch / "db.sqlite3")
    try:
        driver = browser.chrome()
        try:
            walk = Walk(driver, base)
            adviser_journey(walk)
            tutor_journey(walk)
            employer_journey(walk)
        finally:
            driver.quit()
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(scratch)
    return write_summary(walk)


if __name__ == "__main__":
    sys.exit(main())
