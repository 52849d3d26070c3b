"""An admin records a unit's head in the OPD tree on a phone: the tree, the unit's page
with its head and history, axe clean at 360 px."""

from playwright.sync_api import Page, expect

from tests.support.browser import check_page, log_in
from tests.support.factories import make_employee

ADMIN = "196512311990031001"


def test_an_admin_sets_and_ends_a_head_on_a_phone(phone: Page, live_server, db, org, people):
    make_employee(ADMIN, org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    page = phone
    log_in(page, live_server, ADMIN)
    page.goto(live_server + "/admin/opd")
    check_page(page, "admin-360-opd-kepala")
    page.goto(live_server + "/admin/opd/KEC-PML")
    page.get_by_label("NIP").fill(people["learner"].nip)
    page.get_by_role("button", name="Jadikan kepala").click()
    expect(page.locator("main")).to_contain_text("Rina Sari (198609262015051001)")
    check_page(page, "admin-360-opd-kepala-unit")
    page.get_by_role("button", name="Akhiri masa jabatan kepala ini").click()
    expect(page.locator("main")).to_contain_text("Belum ada kepala yang dicatat.")
    check_page(page, "admin-360-opd-kepala-riwayat")
