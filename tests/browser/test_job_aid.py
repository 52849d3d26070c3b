"""The job aid prints on ONE A4 page (Chromium's own PDF of the page, counted with
pypdf), for every shipped course that has a RINGKAS.md and for job aids written right at
the limits; on screen it passes axe. And a module's audio player and transcript pass axe
and open without JavaScript."""

import io
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from lms.content.job_aid import MAX_CHARS, MAX_LINES, MAX_SECTIONS, printed_lines
from lms.content.sync import sync
from tests.support.browser import check_page, log_in
from tests.support.factories import DATA
from tests.support.media import course_with_audio

SHIPPED = Path(__file__).parents[2] / "courses"
WITH_AID = sorted(p.parent.name for p in SHIPPED.glob("*/RINGKAS.md"))


def _sync(db, root: Path) -> None:
    report = sync(root, db.session)
    assert report.ok, [str(p) for p in report.problems]
    db.session.commit()


def _pages(page: Page, url: str) -> int:
    page.goto(url)
    return len(PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)


@pytest.mark.skipif(not WITH_AID, reason="no shipped course has a RINGKAS.md yet")
@pytest.mark.parametrize("slug", WITH_AID)
def test_every_shipped_job_aid_prints_on_one_page(phone: Page, live_server, people, db, slug):
    _sync(db, SHIPPED)
    log_in(phone, live_server, people["learner"].nip)
    url = f"{live_server}/kursus/{slug}/ringkas"
    assert _pages(phone, url) == 1, slug
    check_page(phone, f"ringkas-{slug}")


UNITS = {"prose": "Periksa nomor surat, tanggal, dan pengirim sebelum mencatat. ",
         "steps": "1. Buka menu Surat Masuk lalu pilih Tambah.\n",
         "table": "| Pindai surat | Jelas, tegak, semua halaman |\n",
         "short-lines": "- Nomor\n",
         "long-items": "- " + "Isi perihal dengan kalimat pendek yang menyebut isi surat "
                       * 2 + "\n"}


def _largest_accepted(shape: str) -> str:
    """The longest job aid of one shape the checker accepts: MAX_SECTIONS headings, each
    followed by as many units as still pass (characters and printed lines)."""
    head = "| Langkah | Periksa |\n|---|---|\n" if shape == "table" else ""
    count = 0
    while True:
        body = "".join(f"## Bagian {n + 1}\n\n{head}{UNITS[shape] * (count + 1)}\n"
                       for n in range(MAX_SECTIONS))
        if len(body.strip()) > MAX_CHARS or printed_lines(body) > MAX_LINES:
            return "".join(f"## Bagian {n + 1}\n\n{head}{UNITS[shape] * count}\n"
                           for n in range(MAX_SECTIONS))
        count += 1


@pytest.mark.parametrize("shape", sorted(UNITS))
def test_a_job_aid_at_the_limits_prints_on_one_page(phone: Page, live_server, people, db,
                                                    tmp_path, shape):
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses", root)
    body = _largest_accepted(shape)
    (root / "dasar" / "RINGKAS.md").write_text(
        "---\ntitle: Mencatat surat masuk di Sisumaker dalam lima menit\n---\n" + body + "\n",
        encoding="utf-8")
    _sync(db, root)
    log_in(phone, live_server, people["learner"].nip)
    assert _pages(phone, f"{live_server}/kursus/dasar/ringkas") == 1, shape
    phone.emulate_media(media="print")
    size = phone.evaluate("parseFloat(getComputedStyle(document.querySelector("
                          "'.job-aid .prose p, .job-aid .prose li, .job-aid .prose td'))"
                          ".fontSize)")
    assert size >= 11 * 96 / 72 - 0.01, size  # 11 pt in CSS px
    expect(phone.locator(".site-header")).to_be_hidden()
    expect(phone.locator(".site-footer")).to_be_hidden()
    phone.emulate_media(media="screen")
    check_page(phone, f"ringkas-batas-{shape}")


def test_audio_player_and_transcript_pass_axe(phone: Page, live_server, people, db, tmp_path):
    _sync(db, course_with_audio(tmp_path))
    log_in(phone, live_server, people["learner"].nip)
    phone.goto(f"{live_server}/kursus/dasar/pengantar")
    expect(phone.locator("figure.audio audio[controls]")).to_have_count(1)
    transcript = phone.get_by_text("Selamat datang di modul pengantar.")
    expect(transcript).to_be_hidden()
    phone.locator("summary", has_text="Transkrip").click()
    expect(transcript).to_be_visible()
    check_page(phone, "modul-audio")


def test_transcript_opens_without_javascript(phone_without_js: Page, live_server, people, db,
                                             tmp_path):
    _sync(db, course_with_audio(tmp_path))
    page = phone_without_js
    log_in(page, live_server, people["learner"].nip)
    page.goto(f"{live_server}/kursus/dasar/pengantar")
    page.locator("summary", has_text="Transkrip").click()
    expect(page.get_by_text("Selamat datang di modul pengantar.")).to_be_visible()
