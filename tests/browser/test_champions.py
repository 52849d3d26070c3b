"""The Duta Digital's pages on a 360-px phone: axe clean, no sideways scrolling, and the
whole path (the menu, the unit's list, recording a pendampingan) without JavaScript."""

from datetime import datetime, time

import pytest
from playwright.sync_api import expect

from lms.core.clock import JAKARTA
from tests.support.browser import check_page, log_in
from tests.support.champions import CHAMPION_NIP, TODAY, WATI_NIP, plant


@pytest.fixture
def unit(db, org, people, course, frozen):
    frozen.move_to(datetime.combine(TODAY, time(10, 0), JAKARTA))
    return plant(db, org, people, course)


def test_the_champion_pages_on_a_phone(phone, live_server, unit, people):
    page = phone
    log_in(page, live_server, CHAMPION_NIP)
    page.get_by_role("link", name="Duta Digital", exact=True).first.click()
    expect(page).to_have_url(live_server + "/duta")
    expect(page.get_by_role("cell", name="Berikutnya: Penutup")).to_be_visible()
    check_page(page, "duta-unit-360")
    page.goto(live_server + "/duta/pendampingan/baru")
    check_page(page, "duta-catat-360")
    page.get_by_label("Menit").fill("10")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Pilih kursus atau tulis topiknya.")).to_be_visible()
    expect(page.locator(".field-error")).to_have_count(3)  # minutes, topic, NIP
    check_page(page, "duta-catat-salah-360")  # the messages, axe clean too
    page.get_by_label("Menit").fill("60")
    page.get_by_label("Topik").fill("Membuka modul dari ponsel")
    page.get_by_label("NIP rekan yang didampingi").fill(WATI_NIP)
    page.get_by_role("button", name="Simpan").click()
    expect(page).to_have_url(live_server + "/duta/pendampingan")
    expect(page.get_by_text("Pendampingan dicatat.")).to_be_visible()
    check_page(page, "duta-pendampingan-360")
    page.get_by_role("button", name="Hapus").click()
    check_page(page, "duta-hapus-360")


def test_recording_works_without_javascript(phone_without_js, live_server, unit):
    page = phone_without_js
    log_in(page, live_server, CHAMPION_NIP)
    page.goto(live_server + "/duta/pendampingan/baru")
    page.get_by_label("Topik").fill("Surel dinas")
    page.get_by_label("Menit").fill("45")
    page.get_by_label("NIP rekan yang didampingi").fill(f"{WATI_NIP}\n123")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Baris 2: 123 bukan pegawai aktif")).to_be_visible()
    page.get_by_label("NIP rekan yang didampingi").fill(WATI_NIP)
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Pendampingan dicatat.")).to_be_visible()


def test_hr_grants_and_revokes_on_a_phone(phone, live_server, unit, people):
    page = phone
    log_in(page, live_server, people["hr_kec"].nip)
    page.goto(live_server + f"/laporan/pegawai/{WATI_NIP}")
    check_page(page, "duta-hr-pegawai-360")
    page.get_by_role("button", name="Jadikan Duta Digital").click()
    expect(page.get_by_text("Wati Kel1 sekarang Duta Digital di Kelurahan Benda Baru."))\
        .to_be_visible()
    page.get_by_role("button", name="Cabut").click()
    check_page(page, "duta-hr-cabut-360")
    page.get_by_role("button", name="Cabut").click()
    expect(page.get_by_text("Bukan Duta Digital.")).to_be_visible()
    page.goto(live_server + "/laporan/pendampingan")
    check_page(page, "duta-hr-daftar-360")
