"""Browser helpers: every page checked with axe-core (WCAG 2.1 AA) and kept as a screenshot."""

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from .factories import PASSWORD

SHOTS = Path(__file__).parents[2] / "test-results"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def check_page(page: Page, name: str) -> None:
    """WCAG 2.1 AA by axe-core, no sideways scrolling at 360 px, and a screenshot."""
    results = Axe().run(page, options=WCAG)
    assert results.violations_count == 0, results.generate_report()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{name}: page is {width}px wide on a 360px screen"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


def log_in(page: Page, base: str, nip: str) -> None:
    page.goto(base + "/masuk")
    page.get_by_label("NIP").fill(nip)
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()

