"""Inputs that must never lose content or crash the studio (found in review)."""

import io
import random
import re
import zipfile

from sqlalchemy import select

from lms.content.sync import sync
from lms.models import Course, Module, Question
from lms.studio import drafts
from tests.support.factories import DATA
from tests.support.studio import draft_text, edit_file, form_version, post, publish

QUESTION = "/studio/dasar/modul/01-pengantar.md/soal/"


def _draft_text(db, path):
    course = db.session.scalars(select(Course).filter_by(slug="dasar")).one()
    db.session.expire_all()
    return draft_text(db, course, path)


def test_a_file_whose_settings_cannot_be_read_is_only_edited_as_text(trainer, db):
    broken = "---\nid: pengantar-lama\ntitle: Pengantar: kata sandi\n---\n\nIsi.\n"
    edit_file(trainer, "dasar", "02-penutup.md", broken)
    page = trainer.get("/studio/dasar/modul/02-penutup.md", follow_redirects=True)
    assert "tidak dapat diubah lewat formulir" in page.get_data(as_text=True)
    assert page.request.path == "/studio/dasar/berkas/02-penutup.md"
    post(trainer, "/studio/dasar/modul/02-penutup.md", {"title": "X", "minutes": 1,
                                                        "body": "", "version": ""})
    assert _draft_text(db, "02-penutup.md") == broken  # nothing dropped
    unclosed = "---\ntitle: Penutup\n--\n\nIsi panjang.\n"
    edit_file(trainer, "dasar", "02-penutup.md", unclosed)
    assert trainer.get("/studio/dasar/modul/02-penutup.md").status_code == 302


def test_settings_keep_a_kuis_heading_in_the_introduction(trainer, db):
    readme = (DATA / "courses" / "dasar" / "README.md").read_text()
    readme += "\n## Kuis\n\nSetiap modul diakhiri kuis.\n\n### Sertifikat\n\nAda.\n"
    edit_file(trainer, "dasar", "README.md", readme)
    url = "/studio/dasar/pengaturan"
    page = trainer.get(url).get_data(as_text=True)
    assert "### Sertifikat" in page
    response = post(trainer, url, {"title": "Dasar Uji", "summary": "Ringkas.", "jp": 2,
                                   "course_version": "1.0", "published": "y",
                                   "description": readme.split("---\n", 2)[2],
                                   "version": form_version(trainer, url)})
    assert response.status_code == 302
    assert "### Sertifikat" in _draft_text(db, "README.md")


def _question_file(options: str) -> str:
    return ("---\ntitle: Pengantar\nminutes: 5\n---\n\nIsi.\n\n## Kuis\n\n"
            f"### Pilih satu {{#pilih}}\n\n{options}\n\n> Penjelasan: Karena.\n")


def test_questions_with_many_options_keep_all_of_them(trainer, db):
    seven = "\n".join(f"- [{'x' if c == 'g' else ' '}] {c}" for c in "abcdefg")
    edit_file(trainer, "dasar", "01-pengantar.md", _question_file(seven))
    page = trainer.get(QUESTION + "pilih").get_data(as_text=True)
    assert 'value="g"' in page
    form = {f"options-{i}-text": c for i, c in enumerate("abcdefg")}
    response = post(trainer, QUESTION + "pilih", {
        **form, "options-6-correct": "y", "kind": "single", "prompt": "Pilih satu",
        "explanation": "Karena.", "version": form_version(trainer, QUESTION + "pilih")})
    assert response.status_code == 302
    assert "- [x] g" in _draft_text(db, "01-pengantar.md")
    eleven = "\n".join(f"- [{'x' if i == 0 else ' '}] pilihan {i}" for i in range(11))
    edit_file(trainer, "dasar", "01-pengantar.md", _question_file(eleven))
    assert trainer.get(QUESTION + "pilih").status_code == 302  # to the text editor


def test_true_false_in_any_spelling_survives_open_and_save(trainer, db, course):
    text = _question_file("- [x] Salah\n- [ ] Benar")
    edit_file(trainer, "dasar", "01-pengantar.md", text)
    publish(trainer, "dasar", "Salah dulu")
    page = trainer.get(QUESTION + "pilih").get_data(as_text=True)
    [salah] = re.findall(r'<input[^>]*name="truefalse"[^>]*value="Salah"[^>]*>', page)
    assert "checked" in salah
    response = post(trainer, QUESTION + "pilih", {
        "kind": "truefalse", "truefalse": "Salah", "prompt": "Pilih satu",
        "explanation": "Karena.", "version": form_version(trainer, QUESTION + "pilih")})
    assert response.status_code == 302
    assert "- [x] Salah\n- [ ] Benar" in _draft_text(db, "01-pengantar.md")
    publish(trainer, "dasar", "Disimpan tanpa perubahan")
    db.session.expire_all()
    assert db.session.scalars(select(Question).filter_by(key="pilih")).one().version == 1
    english = _question_file("- [ ] True\n- [x] False")
    edit_file(trainer, "dasar", "01-pengantar.md", english)
    post(trainer, QUESTION + "pilih", {
        "kind": "truefalse", "truefalse": "Salah", "prompt": "Pilih satu",
        "explanation": "Karena.", "version": form_version(trainer, QUESTION + "pilih")})
    assert "- [ ] True\n- [x] False" in _draft_text(db, "01-pengantar.md")


def test_moving_a_module_without_a_dash_in_its_name(trainer, db, people, course):
    draft = drafts.open_draft(db.session, course, people["trainer"])
    drafts.write(db.session, draft, "03.md", b"---\ntitle: Tiga\nminutes: 1\n---\n\nIsi.\n",
                 people["trainer"])
    db.session.commit()
    assert post(trainer, "/studio/dasar/modul/03.md/pindah/naik").status_code == 302
    names = sorted(f.path for f in drafts.get(db.session, course).files)
    assert "02-03.md" in names and not any(n.endswith("-md") for n in names)
    assert publish(trainer, "dasar", "Pindah").status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Module).filter_by(key="03")).one().position == 1


def test_a_course_started_in_the_studio_survives_a_sync(trainer, db, tmp_path):
    post(trainer, "/studio/baru", {"title": "Belum terbit", "slug": "belum-terbit"})
    import shutil
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses", root)
    report = sync(root, db.session)
    db.session.commit()
    assert report.ok
    made = db.session.scalars(select(Course).filter_by(slug="belum-terbit")).one()
    assert made.retired_at is None
    assert "Belum terbit" in trainer.get("/studio/").get_data(as_text=True)


def test_a_blank_line_in_a_prompt_is_published_without_a_new_version(trainer, db):
    text = _question_file("- [x] Ya\n- [ ] Tidak").replace(
        "### Pilih satu {#pilih}\n\n", "### Pilih satu {#pilih}\n\nBaris satu.\nBaris dua.\n\n")
    edit_file(trainer, "dasar", "01-pengantar.md", text)
    publish(trainer, "dasar", "Satu")
    edit_file(trainer, "dasar", "01-pengantar.md",
              text.replace("Baris satu.\nBaris dua.", "Baris satu.\n\nBaris dua."))
    publish(trainer, "dasar", "Dua paragraf")
    db.session.expire_all()
    question = db.session.scalars(select(Question).filter_by(key="pilih")).one()
    assert question.version == 1
    assert "<p>Baris satu.</p>" in question.prompt_html  # what learners see is current


def test_restoring_over_unpublished_changes_needs_a_tick(trainer, db):
    edit_file(trainer, "dasar", "02-penutup.md", "---\ntitle: Penutup\n---\n\nKerja saya.\n")
    refused = post(trainer, "/studio/dasar/revisi/1/pulihkan", follow_redirects=True)
    assert "Centang kotaknya" in refused.get_data(as_text=True)
    assert "Kerja saya." in _draft_text(db, "02-penutup.md")
    assert post(trainer, "/studio/dasar/revisi/1/pulihkan", {"ganti": "y"}).status_code == 302
    assert "Kerja saya." not in _draft_text(db, "02-penutup.md")


def _zip(entries: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return out.getvalue()


def _import(client, data):
    return post(client, "/studio/dasar/impor", {"zip-archive": (io.BytesIO(data), "k.zip"),
                                                "zip-message": "x"},
                content_type="multipart/form-data")


def test_broken_zips_are_refused_not_crashed_on(trainer, db):
    words = "".join(random.Random(1).choices("abcdefghij klmnop\n", k=6000)).encode()
    good = _zip({"dasar/README.md": b"---\ntitle: T\n---\n" + words})
    corrupt = bytearray(good)
    start = corrupt.index(b"README.md") + len(b"README.md")
    corrupt[start + 500:start + 530] = b"\xff" * 30  # damage the deflated bytes only
    response = _import(trainer, bytes(corrupt))
    assert response.status_code == 400
    assert "README.md tidak dapat dibuka" in response.get_data(as_text=True)
    clash = _import(trainer, _zip({"dasar/README.md": b"x", "dasar/a.md": b"x",
                                   "dasar/a.md/b.md": b"y"}))
    assert clash.status_code == 400
    assert "berkas sekaligus folder" in clash.get_data(as_text=True)
    long_name = _import(trainer, _zip({"dasar/README.md": b"x",
                                       "dasar/" + "a" * 300 + ".md": b"y"}))
    assert long_name.status_code == 400 and "tidak aman" in long_name.get_data(as_text=True)


def test_problem_paths_do_not_depend_on_the_working_directory(app, monkeypatch):
    from lms.studio import check
    monkeypatch.chdir("/")
    tree = {"README.md": b"---\ntitle: T\nsummary: S\njp: 1\nversion: '1'\n---\n",
            "01-a.md": b"---\ntitle: A\nminutes: x\n---\n"}
    with app.app_context():
        assert [p.path for p in check.problems(tree, "kurs")] == ["kurs/01-a.md"]
