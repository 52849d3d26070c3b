"""HR replaces a certificate whose name was misspelt, on a phone: the page shows what
was printed beside the HR record now, and one button revokes and reissues."""

from datetime import datetime

from playwright.sync_api import Page, expect

from lms.core.clock import JAKARTA
from tests.support.browser import check_page, log_in
from tests.support.certificates import complete


def test_hr_replaces_a_misspelt_certificate_on_a_phone(phone: Page, live_server, db, people,
                                                       course, frozen):
    frozen.move_to(datetime(2026, 3, 2, 9, tzinfo=JAKARTA))
    cert = complete(people["learner"], course)
    people["learner"].name = "Rina Kartika Sari"
    db.session.commit()
    page = phone
    log_in(page, live_server, people["hr_city"].nip)
    page.goto(f"{live_server}/laporan/sertifikat/{cert.code}/cabut")
    expect(page.get_by_role("table")).to_contain_text("Rina Kartika Sari")
    check_page(page, "hr-360-sertifikat-ganti")
    page.get_by_label("Alasan").fill("Nama salah eja")
    page.get_by_role("button", name="Cabut dan terbitkan sertifikat yang diperbaiki").click()
    expect(page.locator(".flash-success")).to_contain_text(f"Sertifikat {cert.number} dicabut")
    check_page(page, "hr-360-sertifikat-diganti")
