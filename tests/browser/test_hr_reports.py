"""Issue 16, HR: the report pages in Chromium at 1366 px (no clipped table, the header
row in view) and at 360 px (no sideways scrolling, axe clean, tap targets)."""

from datetime import datetime, time

import pytest
from playwright.sync_api import Page, expect

from lms.core.clock import JAKARTA
from tests.support.browser import SHOTS, check_page, log_in
from tests.support.factories import make_employee
from tests.support.reports import TODAY, plant


@pytest.fixture
def data(db, org, people, course, frozen):
    frozen.move_to(datetime.combine(TODAY, time(10, 0), JAKARTA))
    for i in range(40):  # enough rows to scroll
        make_employee(f"19900101201501{i:04d}", org["kel1"],
                      f"Pegawai Dengan Nama Yang Cukup Panjang {i:02d}")
    return plant(db, org, people, course)


@pytest.fixture
def laptop(chromium, db):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    yield context.new_page()
    context.close()


def _fits(page: Page) -> None:
    """Every table fits its box (nothing behind a scrollbar), the page does not scroll
    sideways."""
    clipped = page.evaluate("""() => [...document.querySelectorAll('.table-wrap')]
        .filter(w => w.scrollWidth > w.clientWidth + 1)
        .map(w => [w.getAttribute('aria-label'), w.scrollWidth, w.clientWidth])""")
    assert clipped == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366


def test_reports_use_the_laptop_screen_and_keep_the_header_in_view(laptop, live_server,
                                                                    people, data):
    page = laptop
    log_in(page, live_server, people["hr_city"].nip)
    expect(page).to_have_url(live_server + "/laporan/")  # HR lands on its reports
    for path, name in (("/laporan/", "hr-1366-ringkasan"),
                       ("/laporan/terlambat", "hr-1366-terlambat"),
                       ("/laporan/rincian", "hr-1366-rincian"),
                       ("/laporan/kursus/dasar", "hr-1366-kursus")):
        page.goto(live_server + path)
        _fits(page)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=SHOTS / f"{name}.png", full_page=True)
    page.goto(live_server + "/laporan/rincian")
    wrap = page.locator(".table-wrap").first.bounding_box()
    assert wrap["width"] > 1200  # the width of the screen, not an 828-px column
    page.mouse.wheel(0, 1500)
    page.wait_for_timeout(200)
    header = page.locator("thead th").first.bounding_box()
    assert 0 <= header["y"] <= 5  # the header row stays at the top of the window
    page.screenshot(path=SHOTS / "hr-1366-rincian-scrolled.png")


def test_overdue_list_filters_by_opd_and_counts_link_to_people(laptop, live_server,
                                                               people, data):
    page = laptop
    log_in(page, live_server, people["hr_city"].nip)
    page.goto(live_server + "/laporan/kursus/dasar")
    late = page.get_by_role("row", name="Kecamatan Pamulang").locator(
        'a[href*="/laporan/terlambat"]')
    expect(late).to_have_text("43")
    late.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Terlambat")
    expect(page.locator("tbody tr")).to_have_count(43)
    expect(page.get_by_role("columnheader", name="Hari terlambat")).to_be_visible()
    expect(page.locator("tbody tr").first.locator("td").last).to_have_text("5")
    page.get_by_label("OPD / unit").select_option("KEC-PML.02")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    expect(page.locator("tbody")).to_contain_text("Ahmad Kel2")


def test_reports_on_a_phone(phone: Page, live_server, people, data):
    page = phone
    log_in(page, live_server, people["hr_city"].nip)
    for path, name in (("/laporan/", "hr-360-ringkasan"), ("/laporan/terlambat",
                                                             "hr-360-terlambat"),
                       ("/laporan/rincian", "hr-360-rincian-filter")):
        page.goto(live_server + path)
        check_page(page, name)  # axe, and no sideways scrolling (the course dropdown)
    page.goto(live_server + "/laporan/")
    for link in page.locator("td.band a").all():
        box = link.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
    button = page.locator('a[href*="unduh.xlsx"]').first.bounding_box()
    assert button["height"] >= 44
