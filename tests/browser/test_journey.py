"""The learner's whole journey in Chromium, on a phone-sized screen, checked with axe."""

import re
from datetime import date, datetime

from playwright.sync_api import Page, expect

from lms.core.clock import JAKARTA
from lms.mandatory import assignments
from tests.support.browser import check_page, log_in
from tests.support.factories import make_employee


def answer_quiz(page: Page) -> None:
    page.get_by_label("kopi-pagi-hujan-sepeda").check()
    page.get_by_label("Mengunci layar").check()
    page.get_by_label("Memakai frasa sandi").check()
    page.get_by_label("Salah").check()
    page.get_by_label(re.compile("Jawaban Anda untuk soal")).fill("One Time Password")
    page.get_by_role("button", name="Kirim jawaban").click()


def test_learner_journey(phone: Page, live_server, people, course):
    page = phone
    page.goto(live_server + "/masuk")
    check_page(page, "01-masuk")
    log_in(page, live_server, people["learner"].nip)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kursus saya")
    check_page(page, "02-kursus-saya")

    page.get_by_role("button", name="Mulai").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengantar")
    check_page(page, "03-modul")

    page.get_by_role("button", name="Kerjakan kuis").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kuis")
    check_page(page, "04-kuis")
    answer_quiz(page)
    expect(page.get_by_text("4 dari 4 benar (nilai 100)")).to_be_visible()
    check_page(page, "05-hasil")

    page.get_by_role("link", name="Data saya").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Data saya")
    check_page(page, "05b-data-saya")
    page.get_by_role("link", name="Kursus saya").first.click()
    expect(page.get_by_role("progressbar", name=re.compile("Dasar Uji"))).to_have_attribute(
        "value", "50")
    expect(page.locator(".course-card .meter-text")).to_have_text("50%")
    expect(page.get_by_text("Berikutnya: Penutup")).to_be_visible()
    check_page(page, "06-kemajuan")

    page.get_by_role("link", name=re.compile("Lanjutkan")).first.click()
    page.get_by_role("button", name="Tandai modul ini selesai").click()
    page.get_by_role("navigation", name="Menu utama").get_by_role(
        "link", name="Sertifikat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sertifikat saya")
    check_page(page, "07-sertifikat-saya")
    href = page.get_by_role("link", name=re.compile("Unduh sertifikat")).get_attribute("href")
    code = href.removeprefix("/sertifikat/").removesuffix(".pdf")
    stranger = page.context.browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    stranger.goto(live_server + "/verifikasi/")
    check_page(stranger, "08-verifikasi")
    stranger.goto(live_server + "/verifikasi/" + code)
    expect(stranger.locator(".verdict-valid")).to_contain_text("Sah")
    check_page(stranger, "09-verifikasi-sah")


def test_journey_works_without_javascript(phone_without_js: Page, live_server, people,
                                          course):
    page = phone_without_js
    log_in(page, live_server, people["learner"].nip)
    page.get_by_role("button", name="Mulai").click()
    page.get_by_role("button", name="Kerjakan kuis").click()
    answer_quiz(page)
    expect(page.get_by_text("4 dari 4 benar (nilai 100)")).to_be_visible()
    page.get_by_role("link", name=re.compile("Modul berikutnya")).click()
    page.get_by_role("button", name="Tandai modul ini selesai").click()
    page.goto(live_server + "/")
    expect(page.get_by_text("Kursus selesai. 2 JP tercatat.")).to_be_visible()

    # The certificate, downloaded from the dashboard and checked logged out (no script
    # anywhere) by its code, typed.
    href = page.get_by_role("link", name=re.compile("Unduh sertifikat")).get_attribute("href")
    download = page.request.get(live_server + href)
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF-")
    code = href.removeprefix("/sertifikat/").removesuffix(".pdf")
    stranger = page.context.browser.new_context(java_script_enabled=False).new_page()
    stranger.goto(live_server + "/verifikasi/")
    stranger.get_by_label("Kode").fill(code.lower())
    stranger.get_by_role("button", name="Periksa").click()
    expect(stranger.locator(".verdict-valid")).to_contain_text("Sah")


def test_hr_pages_are_accessible(phone: Page, live_server, db, org, people, course, frozen):
    # In December, a course due in January: the overview must show it. The server runs
    # in this process, so it reads the frozen clock; Chromium keeps its own, and the
    # session cookie has no expiry date for it to compare.
    frozen.move_to(datetime(2026, 12, 2, 10, 0, tzinfo=JAKARTA))
    assignments.create(db.session, course=course, due_date=date(2027, 1, 1),
                       opd=org["kec"], by=people["hr_kec"])
    db.session.commit()
    page = phone
    log_in(page, live_server, people["hr_kec"].nip)
    page.get_by_role("link", name="Laporan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kecamatan Pamulang")
    expect(page.get_by_role("columnheader", name="Dasar Uji")).to_be_visible()
    check_page(page, "07-laporan-ringkasan")
    page.get_by_role("link", name="Dasar Uji").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Dasar Uji")
    check_page(page, "08-laporan-kursus")
    for name, shot in (("Terlambat", "09-terlambat"), ("JP tahun ini", "10-jp"),
                       ("Semua pegawai", "11-rincian"), ("Penugasan", "12-penugasan")):
        page.get_by_role("navigation", name="Laporan").get_by_role("link", name=name).click()
        check_page(page, shot)
    page.goto(live_server + "/laporan/rincian")
    page.get_by_role("link", name="Rina Sari").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rina Sari")
    check_page(page, "13-pegawai")


def test_admin_pages_are_accessible(phone: Page, live_server, app, db, org, people):
    make_employee("197001011995031001", org["kominfo"], "Admin", roles=["admin"])
    db.session.commit()
    page = phone
    log_in(page, live_server, "197001011995031001")
    page.get_by_role("link", name="Admin").click()
    check_page(page, "14-organisasi")
    page.get_by_role("link", name="Kecamatan Pamulang", exact=True).click()
    check_page(page, "15-ubah-unit")
    page.goto(live_server + "/admin/opd/impor")
    check_page(page, "16-impor")
    page.goto(live_server + "/admin/pegawai/impor")
    check_page(page, "17-impor-pegawai")
    page.goto(live_server + "/admin/peran?nip=198609262015051001")
    check_page(page, "18-peran")
    page.goto(live_server + "/admin/audit")
    check_page(page, "19-audit")
    from lms.people.passwords import make_token
    token = make_token(app.config["SECRET_KEY"], people["learner"])
    page.goto(live_server + "/atur-sandi/" + token)
    expect(page.get_by_role("heading", level=1)).to_have_text("Atur kata sandi Anda")
    check_page(page, "20-atur-sandi")


def test_nudge_pages_are_accessible(phone: Page, live_server, db, org, people, course,
                                    frozen):
    """The learner's deadline notice, HR's reminder list, the digest and the share box."""
    from sqlalchemy import update

    from lms.models import Employee
    from lms.nudges import reminders

    frozen.move_to(datetime(2026, 12, 11, 8, 0, tzinfo=JAKARTA))
    people["hr_kec"].email = "siti@example.go.id"
    # Everyone joined long before the assignment (no new-staff grace), whatever moment
    # the suite runs at.
    db.session.execute(update(Employee).values(created_at=datetime(2020, 1, 1,
                                                                    tzinfo=JAKARTA)))
    assignments.create(db.session, course=course, due_date=date(2026, 12, 14),
                       opd=org["kec"], by=people["hr_kec"])
    db.session.flush()
    for d in reminders.pending(db.session, date(2026, 12, 11), (14, 3), 7):
        if reminders.claim(db.session, d) and d.email:
            reminders.record(db.session, d, "sent")
    db.session.commit()
    page = phone
    log_in(page, live_server, people["learner"].nip)
    notice = page.get_by_role("region", name="Batas waktu terdekat Anda")
    expect(notice).to_contain_text("Senin, 14 Desember 2026 (3 hari lagi)")
    expect(page.get_by_text("Baru untuk Anda").first).to_be_visible()
    check_page(page, "21-batas-waktu")
    page.context.clear_cookies()
    log_in(page, live_server, people["hr_kec"].nip)
    page.goto(live_server + "/laporan/")
    expect(page.get_by_role("link", name="Bagikan ke WhatsApp")).to_have_attribute(
        "href", re.compile(r"^https://wa\.me/\?text="))
    page.get_by_role("navigation", name="Laporan").get_by_role("link", name="Pengingat").click()
    expect(page.get_by_role("heading", name=re.compile("Tanpa alamat email"))).to_be_visible()
    expect(page.get_by_role("link", name="Rina Sari").first).to_be_visible()
    check_page(page, "22-pengingat")
    page.get_by_role("link", name="Rekap minggu ini").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kecamatan Pamulang")
    check_page(page, "23-ringkasan-mingguan")
