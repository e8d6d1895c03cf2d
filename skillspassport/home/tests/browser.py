"""Headless Chromium for the accessibility checks: start a browser, run axe-core on the page it
shows, and measure sideways scrolling. Used by the browser tests and by `scripts/walk.py`.

Needs Debian's `chromium` and `chromium-driver` and the npm package `axe-core`
(node_modules/axe-core/axe.min.js); `available()` says whether they are there.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

# The rules checked: WCAG 2.0, 2.1 and 2.2 at levels A and AA (what public sector bodies in the
# UK must meet), plus axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

WIDTHS = (1280, 360)


def available() -> bool:
    return CHROMIUM.exists() and CHROMEDRIVER.exists() and AXE.exists()


def chrome(width: int = 1280) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--window-size={width},900",
        "--hide-scrollbars",
    ):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)


def set_width(driver: Any, width: int) -> None:
    """Make the page's viewport `width` CSS pixels wide (the window's frame does not count)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.rule} ({self.impact}): {self.help} at {', '.join(self.targets[:3])}"


def axe_violations(driver: Any) -> list[Violation]:
    """Run axe-core on the page the browser shows; its violations of AXE_TAGS."""
    if not driver.execute_script("return typeof window.axe !== 'undefined'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations.map(v => ({rule: v.id, impact: v.impact || '',"
        " help: v.help, targets: v.nodes.map(n => n.target.join(' '))}))))"
        ".catch(e => done([{rule: 'axe-error', impact: 'critical', help: String(e),"
        " targets: []}]));",
        AXE_TAGS,
    )
    return [Violation(v["rule"], v["impact"], v["help"], tuple(v["targets"])) for v in result or []]


def sideways_scroll(driver: Any) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no sideways scrolling)."""
    return int(
        driver.execute_script(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            " - document.documentElement.clientWidth"
        )
    )


def widest_elements(driver: Any, limit: int = 3) -> list[str]:
    """The outermost elements that stick out past the viewport's right edge (what overflows)."""
    return list(
        driver.execute_script(
            "const w = document.documentElement.clientWidth; const out = [];"
            "const over = el => el.getBoundingClientRect().right > w + 1;"
            "for (const el of document.querySelectorAll('main *')) {"
            "  if (over(el) && !over(el.parentElement)) {"
            "    out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +"
            "      (el.className && typeof el.className === 'string' ?"
            "       '.' + el.className.trim().split(/\\s+/).join('.') : ''));"
            "  }"
            "}"
            "return out.slice(0, arguments[0]);",
            limit,
        )
        or []
    )
