"""The trainer's journey in Chromium: write a course in the browser, preview it, publish
it, see a learner take it, improve a question and publish again. Every page is checked
with axe at 360 px."""

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.models import Module, ModuleProgress, Question
from tests.support.browser import check_page, log_in


def _new_context_page(chromium):
    context = chromium.new_context(viewport={"width": 360, "height": 740},
                                   device_scale_factor=2, locale="id-ID")
    return context, context.new_page()


def test_live_preview_follows_the_typing(phone: Page, live_server, people, db):
    page = phone
    log_in(page, live_server, people["trainer"].nip)
    page.goto(live_server + "/studio/")
    page.get_by_label("Judul kursus").fill("Belajar Srikandi")
    page.get_by_role("button", name="Buat kursus").click()
    page.get_by_role("link", name="Pengantar", exact=True).click()
    body = page.get_by_label("Isi (Markdown)")
    body.fill("## Langkah pertama\n\nBuka **Srikandi** di browser.\n\n<script>alert(1)</script>")
    preview = page.locator("#body-preview")
    expect(preview.get_by_role("heading", name="Langkah pertama")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("Srikandi")
    expect(preview.locator("script")).to_have_count(0)
    check_page(page, "studio-01-editor")


def test_other_studio_pages_pass_axe(phone: Page, live_server, people, db, course):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    page = phone
    log_in(page, live_server, people["trainer"].nip)
    page.goto(live_server + "/studio/dasar/pengaturan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Pengaturan kursus")
    check_page(page, "studio-11-settings")
    page.goto(live_server + "/studio/dasar/berkas/02-penutup.md")
    page.get_by_label("Isi berkas").fill("---\ntitle: Penutup\nminutes: lima\n---\n\n# Judul\n")
    page.get_by_role("button", name="Simpan di draf").click()
    expect(page.locator(".source-lines .has-problem")).to_have_count(2)
    check_page(page, "studio-12-file-with-problems")
    page.goto(live_server + "/studio/dasar")
    expect(page.locator(".problem-list li")).to_have_count(2)
    check_page(page, "studio-13-course-with-problems")
    page.goto(live_server + "/studio/dasar/pratinjau")
    check_page(page, "studio-14-preview-course")
    page.goto(live_server + "/studio/dasar/modul/01-pengantar.md/soal/otp-bank")
    check_page(page, "studio-15-question-truefalse")
    page.goto(live_server + "/studio/dasar")
    page.locator("#zip-heading").locator("..").get_by_label(
        "Zip kursus (satu folder dengan format courses/)").set_input_files(
        files=[{"name": "rusak.zip", "mimeType": "application/zip", "buffer": b"bukan zip"}])
    page.get_by_label("Apa yang berubah di zip (untuk riwayat revisi)").fill("Coba")
    page.get_by_role("button", name="Periksa dan impor").last.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impor ditolak")
    check_page(page, "studio-16-import-refused")


def test_trainer_writes_publishes_and_improves_a_course(phone: Page, chromium, live_server,
                                                        people, db):
    page = phone
    log_in(page, live_server, people["trainer"].nip)
    page.get_by_role("link", name="Studio").click()
    check_page(page, "studio-02-index")
    page.get_by_label("Judul kursus").fill("Belajar Srikandi")
    page.get_by_role("button", name="Buat kursus").click()  # the folder: from the title
    expect(page.get_by_role("heading", level=1)).to_have_text("Belajar Srikandi")
    check_page(page, "studio-03-course")
    # The template's example text and the empty JP are replaced before publishing.
    page.goto(live_server + "/studio/belajar-srikandi/pengaturan")
    page.get_by_label("Ringkasan (satu atau dua kalimat)").fill("Srikandi untuk surat dinas.")
    page.get_by_label("Jam pelajaran (JP) yang diberikan").fill("0")
    page.get_by_label("Pengantar (Markdown)").fill("Kursus singkat tentang Srikandi.")
    page.get_by_role("button", name="Simpan di draf").click()
    page.goto(live_server + "/studio/belajar-srikandi/modul/01-pengantar.md")
    page.get_by_label("Isi (Markdown)").fill("Srikandi dibuka di browser.")
    page.get_by_role("button", name="Simpan di draf").click()
    page.goto(live_server + "/studio/belajar-srikandi")

    page.get_by_label("Judul modul baru").fill("Kuis Srikandi")
    page.get_by_role("button", name="Tambah modul").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kuis Srikandi")
    page.get_by_label("Isi (Markdown)").fill("Srikandi adalah aplikasi tata naskah dinas.")
    page.get_by_role("button", name="Simpan di draf").click()
    expect(page.get_by_role("status")).to_contain_text("Tersimpan di draf")
    check_page(page, "studio-04-module")

    page.get_by_role("link", name="Tambah soal").click()
    page.get_by_label("Satu jawaban benar").check()
    page.get_by_label(re.compile("^Soal")).fill("Srikandi dipakai untuk apa?")
    page.get_by_label("Pilihan 1", exact=True).fill("Tata naskah dinas")
    page.get_by_label("Pilihan 1 benar").check()
    page.get_by_label("Pilihan 2", exact=True).fill("Belanja daring")
    page.get_by_label(re.compile("^Penjelasan")).fill("Srikandi untuk surat dinas.")
    check_page(page, "studio-05-question")
    page.get_by_role("button", name="Simpan di draf").click()
    expect(page.locator(".question-list strong")).to_have_text("Srikandi dipakai untuk apa?")

    page.get_by_role("link", name="Pratinjau sebagai peserta").click()
    expect(page.get_by_text("Ini draf, belum diterbitkan.")).to_be_visible()
    expect(page.get_by_text("Srikandi dipakai untuk apa?")).to_be_visible()
    check_page(page, "studio-06-preview")

    page.get_by_role("link", name="Kembali ke studio").click()
    page.get_by_label("Apa yang berubah (untuk riwayat revisi)").fill("Terbit pertama")
    page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("revisi 1")

    # A learner takes it.
    context, learner = _new_context_page(chromium)
    log_in(learner, live_server, people["learner"].nip)
    learner.goto(live_server + "/kursus/belajar-srikandi/kuis-srikandi")
    learner.get_by_role("button", name="Kerjakan kuis").click()
    learner.get_by_label("Tata naskah dinas").check()
    learner.get_by_role("button", name="Kirim jawaban").click()
    expect(learner.get_by_text("1 dari 1 benar (nilai 100)")).to_be_visible()

    # The trainer sharpens the question and publishes again.
    page.get_by_role("link", name="Kuis Srikandi").click()
    page.get_by_role("link", name=re.compile("^Ubah.*Srikandi dipakai")).click()
    page.get_by_label(re.compile("^Soal")).fill("Aplikasi Srikandi dipakai untuk apa?")
    page.get_by_role("button", name="Simpan di draf").click()
    page.goto(live_server + "/studio/belajar-srikandi")
    page.get_by_label("Apa yang berubah (untuk riwayat revisi)").fill("Soal diperjelas")
    page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("revisi 2")

    page.get_by_role("link", name="Revisi").click()
    check_page(page, "studio-07-revisions")
    page.get_by_role("link", name="2", exact=True).click()
    expect(page.locator(".diff-add")).to_contain_text("Aplikasi Srikandi dipakai untuk apa?")
    check_page(page, "studio-08-diff")

    # Statistics are split by version: the learner's answer stays with version 1.
    page.goto(live_server + "/studio/belajar-srikandi")
    page.get_by_role("link", name="Hasil kuis").click()
    check_page(page, "studio-09-stats-course")
    page.get_by_role("link", name="Kuis Srikandi").click()
    expect(page.get_by_role("heading", name="Versi 1")).to_be_visible()
    expect(page.get_by_text("Belum ada jawaban untuk versi saat ini.")).to_be_visible()
    expect(page.locator(".stats-question .record dd").first).to_have_text("1")
    check_page(page, "studio-10-stats-quiz")

    db.session.commit()  # end the test's read snapshot: the server wrote since
    module = db.session.scalars(select(Module).filter_by(key="kuis-srikandi")).one()
    question = db.session.scalars(select(Question).filter_by(module_id=module.id)).one()
    assert question.version == 2
    done = db.session.get(ModuleProgress, (people["learner"].id, module.id))
    assert done is not None and done.completed_at is not None  # progress intact

    learner.goto(live_server + "/")
    expect(learner.get_by_text("Belajar Srikandi").first).to_be_visible()
    context.close()


def test_editor_works_without_javascript(phone_without_js: Page, live_server, people, db,
                                         course):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    page = phone_without_js
    log_in(page, live_server, people["trainer"].nip)
    page.goto(live_server + "/studio/dasar/modul/02-penutup.md")
    page.get_by_label("Isi (Markdown)").fill("## Tanpa JavaScript\n\nTetap bisa.")
    page.get_by_role("button", name="Simpan di draf").click()
    expect(page.locator("#body-preview").get_by_role("heading")).to_have_text(
        "Tanpa JavaScript")
