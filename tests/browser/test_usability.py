"""Issue 16 in Chromium at 1366 px and 360 px: the learner's tap targets and text sizes,
the result's wording and marks; the studio's question editor by kind (with and without
JavaScript) and the new-course form. Screenshots go to test-results/."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journey import answer_quiz
from tests.support.browser import SHOTS, check_page, log_in

WIDTHS = (1366, 360)

# Every control a learner taps, measured by its box: at least 44 px tall (and wide).
TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(el => el.offsetParent !== null)
  .map(el => { const r = el.getBoundingClientRect();
               return [el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 30),
                       Math.round(r.height * 10) / 10, Math.round(r.width * 10) / 10]; })"""
CONTROLS = (".nav a, .breadcrumb a, .button, .button-link, .options label.option, "
            ".course-card h3 a, .pager a, input[type=text], summary")
# Every element holding text directly, and its computed font size.
SMALL_TEXT = """() => [...document.querySelectorAll('body *')]
  .filter(el => el.offsetParent !== null && !el.closest('.visually-hidden')
          && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
  .map(el => [el.tagName + '.' + el.className, parseFloat(getComputedStyle(el).fontSize)])
  .filter(([, size]) => size < 16)"""


def _page(chromium, width, js=True):
    context = chromium.new_context(viewport={"width": width, "height": 800}, locale="id-ID",
                                   java_script_enabled=js)
    return context, context.new_page()


def _targets_and_text(page: Page, name: str) -> None:
    page.wait_for_load_state("load")  # a click that navigates returns before the styles apply
    small = [t for t in page.evaluate(TARGETS, CONTROLS) if t[1] < 44 or t[2] < 44]
    assert not small, f"{name}: tap targets under 44 px: {small}"
    tiny = page.evaluate(SMALL_TEXT)
    assert not tiny, f"{name}: text under 16 px: {tiny}"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("width", WIDTHS)
def test_learner_pages_have_big_targets_and_text(chromium, live_server, people, course,
                                                 width):
    context, page = _page(chromium, width)
    log_in(page, live_server, people["learner"].nip)
    _targets_and_text(page, f"usability-learner-dashboard-{width}")
    page.get_by_role("button", name="Mulai").click()
    _targets_and_text(page, f"usability-learner-module-{width}")
    page.get_by_role("button", name="Kerjakan kuis").click()
    rows = page.locator(".options label.option")
    # The click returns once the form is posted, before the quiz page has loaded.
    expect(rows).to_have_count(8)
    for i in range(rows.count()):
        box = rows.nth(i).bounding_box()
        assert box["height"] >= 48, (i, box)
    # A tap at the row's far right end, away from the radio and the words, chooses it.
    row = page.locator("label.option", has_text="kopi-pagi-hujan-sepeda")
    box = row.bounding_box()
    page.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] / 2)
    expect(page.get_by_label("kopi-pagi-hujan-sepeda")).to_be_checked()
    code_size = page.evaluate("parseFloat(getComputedStyle(document.querySelector("
                              "'.options code')).fontSize)")
    assert code_size >= 16, code_size
    _targets_and_text(page, f"usability-learner-quiz-{width}")
    if width == 360:
        check_page(page, "usability-learner-quiz-axe-360")
    answer_quiz(page)
    expect(page.locator(".score")).to_have_text("4 dari 4 benar (nilai 100)")
    expect(page.locator(".mark-right").first).to_contain_text("jawaban Anda tepat")
    expect(page.get_by_text("jawaban yang tepat").first).to_be_visible()
    _targets_and_text(page, f"usability-learner-result-{width}")
    if width == 360:
        check_page(page, "usability-learner-result-axe-360")
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_result_with_a_wrong_answer_fits_the_screen(chromium, live_server, people, course,
                                                      width):
    # "✗ jawaban Anda belum tepat" in a question's heading is wider than a 360-px phone's
    # line: it wraps instead of making the page scroll sideways.
    context, page = _page(chromium, width)
    log_in(page, live_server, people["learner"].nip)
    page.get_by_role("button", name="Mulai").click()
    page.get_by_role("button", name="Kerjakan kuis").click()
    page.get_by_label("kopi-pagi-hujan-sepeda").check()
    page.get_by_label("Mengunci layar").check()
    page.get_by_label("Memakai frasa sandi").check()
    page.get_by_label("Benar", exact=True).check()  # the wrong one
    page.get_by_label(re.compile("Jawaban Anda untuk soal")).fill("One Time Password")
    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.locator(".score")).to_have_text("3 dari 4 benar (nilai 75)")
    wrong = page.locator("h3 .mark-wrong")
    expect(wrong).to_contain_text("jawaban Anda belum tepat")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    heading = page.locator("h3:has(.mark-wrong)").bounding_box()
    box = wrong.bounding_box()
    assert box["x"] + box["width"] <= heading["x"] + heading["width"] + 0.5, (box, heading)
    _targets_and_text(page, f"usability-learner-result-wrong-{width}")
    if width == 360:
        check_page(page, "usability-learner-result-wrong-axe-360")
    context.close()


def test_question_editor_shows_only_the_chosen_kind(chromium, live_server, people, course,
                                                    db):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    for width in WIDTHS:
        context, page = _page(chromium, width)
        log_in(page, live_server, people["trainer"].nip)
        page.goto(live_server + "/studio/dasar/modul/01-pengantar.md/soal/")
        options = page.locator('[data-kinds="single multiple"]')
        truefalse = page.locator('[data-kinds="truefalse"]')
        text = page.locator('[data-kinds="text"]')
        expect(options).to_be_visible()
        expect(truefalse).to_be_hidden()
        expect(text).to_be_hidden()
        page.get_by_label("Benar atau salah").check()
        expect(options).to_be_hidden()
        expect(truefalse).to_be_visible()
        page.get_by_label("Jawaban teks singkat").check()
        expect(text).to_be_visible()
        expect(truefalse).to_be_hidden()
        # Saved without an answer: it stays on its form, the gap said next to the field.
        page.get_by_label(re.compile("^Soal")).fill("Kepanjangan OTP?")
        page.get_by_label(re.compile("^Penjelasan")).fill("One Time Password.")
        page.get_by_role("button", name="Simpan di draf").click()
        expect(page.locator("#accepted-error")).to_have_text(
            "Tulis paling sedikit satu jawaban yang dianggap benar.")
        expect(text).to_be_visible()
        expect(page.locator(".flash-error")).to_contain_text("Soal belum disimpan")
        check_page(page, f"usability-studio-question-gap-{width}") if width == 360 else \
            page.screenshot(path=SHOTS / f"usability-studio-question-gap-{width}.png",
                            full_page=True)
        context.close()


def test_without_javascript_every_kind_has_its_heading(chromium, live_server, people,
                                                       course, db):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    context, page = _page(chromium, 360, js=False)
    log_in(page, live_server, people["trainer"].nip)
    page.goto(live_server + "/studio/dasar/modul/01-pengantar.md/soal/")
    for legend in ("Pilihan jawaban (untuk “Satu jawaban benar” dan “Beberapa jawaban benar”)",
                   "Jawaban yang tepat (untuk “Benar atau salah”)",
                   "Jawaban yang diterima (untuk “Jawaban teks singkat”)"):
        expect(page.get_by_text(legend, exact=True)).to_be_visible()
    page.screenshot(path=SHOTS / "usability-studio-question-nojs-360.png", full_page=True)
    context.close()


def test_new_course_needs_only_a_title(chromium, live_server, people, db):
    for width in WIDTHS:
        context, page = _page(chromium, width)
        log_in(page, live_server, people["trainer"].nip)
        page.goto(live_server + "/studio/")
        expect(page.get_by_label("Nama folder (opsional)")).to_be_hidden()  # in Lanjutan
        expect(page.get_by_role("heading", name="Lanjutan", exact=True)).to_be_visible()
        if width == 360:
            check_page(page, "usability-studio-index-360")
        page.get_by_label("Judul kursus").fill(f"Belajar Srikandi {width}")
        page.get_by_role("button", name="Buat kursus").click()
        expect(page).to_have_url(f"{live_server}/studio/belajar-srikandi-{width}")
        expect(page.locator(".problem-list")).to_contain_text("teks contoh dari templat")
        expect(page.locator(".problem-list")).to_contain_text("pilih berapa JP")
        if width == 360:
            check_page(page, "usability-studio-course-360")
        page.goto(f"{live_server}/studio/belajar-srikandi-{width}/pengaturan")
        expect(page.get_by_text("Saran: 0 JP.")).to_be_visible()
        page.screenshot(path=SHOTS / f"usability-studio-settings-{width}.png", full_page=True)
        context.close()
