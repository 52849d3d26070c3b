"""The learner's side of the format additions: the audio player with its transcript and
its bytes (Range requests, access), the job aid page; and the studio carrying both."""

import io
import zipfile

import pytest
from sqlalchemy import select

from lms.content.sync import sync
from lms.core.extensions import db as _db
from lms.models import Asset, Course
from tests.support.http import login
from tests.support.media import OPUS, TRANSCRIPT, course_with_audio
from tests.support.studio import edit_file, post, publish

AID = "---\ntitle: Mencatat surat masuk\n---\n\n## Langkah\n\n1. Pindai surat.\n"


@pytest.fixture
def media_course(db, tmp_path):
    root = course_with_audio(tmp_path)
    (root / "dasar" / "RINGKAS.md").write_text(AID, encoding="utf-8")
    report = sync(root, db.session)
    assert report.ok, [str(p) for p in report.problems]
    db.session.commit()
    return db.session.scalars(select(Course)).one()


@pytest.fixture
def learner(client, people, media_course):
    assert login(client, people["learner"].nip).status_code == 302
    return client


def audio_asset(db) -> Asset:
    return db.session.scalars(select(Asset).where(Asset.mime == "audio/ogg")).one()


def test_module_page_shows_the_player_and_its_transcript(learner, db):
    page = learner.get("/kursus/dasar/pengantar").get_data(as_text=True)
    asset = audio_asset(db)
    assert asset.path == "audio/pengantar.ogg" and asset.data == OPUS
    assert (f'<audio controls="" preload="none"><source src="/aset/{asset.sha256}/'
            f'pengantar.ogg" type="audio/ogg"></audio>') in page
    assert "<figcaption>Dengarkan: pengantar</figcaption>" in page
    assert "<summary>Transkrip</summary>" in page
    assert "Selamat datang di modul pengantar." in page


def test_audio_answers_range_requests(learner, db):
    asset = audio_asset(db)
    url = f"/aset/{asset.sha256}/pengantar.ogg"
    whole = learner.get(url)
    assert whole.status_code == 200 and whole.data == OPUS
    assert whole.mimetype == "audio/ogg" and whole.headers["Accept-Ranges"] == "bytes"
    assert whole.headers["X-Content-Type-Options"] == "nosniff"
    part = learner.get(url, headers={"Range": "bytes=4-9"})
    assert part.status_code == 206
    assert part.data == OPUS[4:10]
    assert part.headers["Content-Range"] == f"bytes 4-9/{len(OPUS)}"
    tail = learner.get(url, headers={"Range": "bytes=-5"})
    assert tail.status_code == 206 and tail.data == OPUS[-5:]
    assert learner.get(url, headers={"Range": f"bytes={len(OPUS) + 10}-"}).status_code == 416


def test_audio_and_images_of_a_course_the_learner_cannot_open_are_404(learner, db,
                                                                    media_course):
    asset = audio_asset(db)
    image = db.session.scalars(select(Asset).where(Asset.mime == "image/svg+xml")).one()
    media_course.published = False
    db.session.commit()
    assert learner.get(f"/aset/{asset.sha256}/pengantar.ogg").status_code == 404
    assert learner.get(f"/aset/{image.sha256}/alur.svg").status_code == 404
    assert learner.get("/kursus/dasar/ringkas").status_code == 404
    media_course.published = True
    media_course.retired_at = media_course.updated_at
    db.session.commit()
    assert learner.get(f"/aset/{asset.sha256}/pengantar.ogg").status_code == 404


def test_trainers_still_see_the_files_of_a_hidden_course(client, people, db, media_course):
    media_course.published = False
    db.session.commit()
    assert login(client, people["trainer"].nip).status_code == 302
    asset = audio_asset(db)
    assert client.get(f"/aset/{asset.sha256}/pengantar.ogg").status_code == 200


def test_audio_needs_a_signed_in_person(client, media_course, db):
    response = client.get(f"/aset/{audio_asset(db).sha256}/pengantar.ogg")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


def test_job_aid_page_and_link(learner):
    course_page = learner.get("/kursus/dasar").get_data(as_text=True)
    assert 'href="/kursus/dasar/ringkas"' in course_page
    page = learner.get("/kursus/dasar/ringkas")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Mencatat surat masuk</h1>" in html and "<li>Pindai surat.</li>" in html
    assert 'class="job-aid-page"' in html


def test_no_job_aid_no_page_and_no_link(client, people, course):
    assert login(client, people["learner"].nip).status_code == 302
    assert "/kursus/dasar/ringkas" not in client.get("/kursus/dasar").get_data(as_text=True)
    assert client.get("/kursus/dasar/ringkas").status_code == 404


# --- the studio ------------------------------------------------------------------------

def test_studio_writes_publishes_and_exports_the_job_aid(trainer, db, course):
    page = trainer.get("/studio/dasar").get_data(as_text=True)
    assert "/studio/dasar/berkas/RINGKAS.md" in page
    response = edit_file(trainer, "dasar", "RINGKAS.md", AID)
    assert response.status_code == 302
    assert publish(trainer, "dasar").status_code == 302
    _db.session.refresh(course)
    assert course.job_aid_title == "Mencatat surat masuk"
    exported = zipfile.ZipFile(io.BytesIO(trainer.get("/studio/dasar/ekspor.zip").data))
    assert exported.read("dasar/RINGKAS.md").decode() == AID
    modules = trainer.get("/studio/dasar").get_data(as_text=True)
    assert "/studio/dasar/modul/RINGKAS.md" not in modules  # never listed as a module


def test_studio_shows_a_too_long_job_aid_as_a_problem(trainer, db):
    edit_file(trainer, "dasar", "RINGKAS.md", "---\ntitle: T\n---\n" + "kata " * 600)
    page = trainer.get("/studio/dasar/berkas/RINGKAS.md").get_data(as_text=True)
    assert "lembar ringkas berisi 2999 karakter, lebih dari 2400" in page
    publish(trainer, "dasar")
    assert _db.session.scalars(select(Course)).one().job_aid_title == ""  # not published


def test_studio_uploads_audio_into_audio_and_previews_it(trainer, db, course):
    response = post(trainer, "/studio/dasar/gambar",
                    {"image": (io.BytesIO(OPUS), "Pengantar Modul.OGG")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    page = trainer.get("/studio/dasar").get_data(as_text=True)
    assert "audio/pengantar-modul.ogg" in page
    served = trainer.get("/studio/dasar/draf/audio/pengantar-modul.ogg",
                         headers={"Range": "bytes=0-3"})
    assert served.status_code == 206 and served.data == b"OggS"
    refused = post(trainer, "/studio/dasar/gambar",
                   {"image": (io.BytesIO(b"<html>"), "palsu.mp3")},
                   content_type="multipart/form-data", follow_redirects=True)
    assert "palsu.mp3" in refused.get_data(as_text=True)
    assert "audio/palsu.mp3" not in trainer.get("/studio/dasar").get_data(as_text=True)


def test_a_five_megabyte_audio_upload_is_not_cut_off_by_the_site_limit(trainer, app):
    big = OPUS + b"\0" * (5 * 1024 * 1024 - len(OPUS))
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    response = post(trainer, "/studio/dasar/gambar", {"image": (io.BytesIO(big), "b.ogg")},
                    content_type="multipart/form-data")
    assert response.status_code == 302
    assert "audio/b.ogg" in trainer.get("/studio/dasar").get_data(as_text=True)


def test_studio_publishes_a_module_with_audio(trainer, db, course):
    post(trainer, "/studio/dasar/gambar", {"image": (io.BytesIO(OPUS), "a.ogg")},
         content_type="multipart/form-data")
    text = trainer.get("/studio/dasar/berkas/01-pengantar.md").get_data(as_text=True)
    assert "Modul pertama." in text
    from tests.support.studio import draft_text
    body = draft_text(db, course, "01-pengantar.md")
    edit_file(trainer, "dasar", "01-pengantar.md", body.replace(
        "Modul pertama.", "Modul pertama.\n\n![Dengarkan: a](audio/a.ogg)\n" + TRANSCRIPT))
    assert publish(trainer, "dasar").status_code == 302
    assert audio_asset(db).data == OPUS
    exported = zipfile.ZipFile(io.BytesIO(trainer.get("/studio/dasar/ekspor.zip").data))
    assert exported.read("dasar/audio/a.ogg") == OPUS


def test_studio_shows_the_jp_warning_apart_and_publishes_anyway(trainer, db, course):
    from tests.support.studio import draft_text
    edit_file(trainer, "dasar", "README.md", "---\ntitle: Dasar Uji\nsummary: S\njp: 5\n"
              "version: \"1.1\"\n---\nIsi.\n")
    page = trainer.get("/studio/dasar").get_data(as_text=True)
    assert "peringatan: jp 5 melebihi yang didukung 90 menit (paling banyak 2 JP)" in page
    assert "problem-list" in page and draft_text(db, course, "README.md")
    assert publish(trainer, "dasar").status_code == 302
    _db.session.refresh(course)
    assert course.jp == 5
