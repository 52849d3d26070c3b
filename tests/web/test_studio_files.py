"""Files and browser, one truth: zip export/import, sync conflicts, revisions, restore."""

import io
import shutil
import zipfile

import pytest
from sqlalchemy import select

from lms.content.sync import sync
from lms.content.tree import read_folder, tree_hash
from lms.models import Course, CourseRevision, Module, Question
from tests.support.factories import DATA
from tests.support.studio import edit_file, post, publish, replace_template_text

PENUTUP = "---\ntitle: Penutup\nminutes: 3\n---\n\n{body}\n"


def _course(db):
    db.session.expire_all()
    return db.session.scalars(select(Course).filter_by(slug="dasar")).one()


def _export(client, draft=False):
    response = client.get("/studio/dasar/ekspor.zip" + ("?draf=1" if draft else ""))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def _rezip(archive: zipfile.ZipFile, changes: dict[str, bytes | None]) -> bytes:
    """The exported zip after a trainer edited some files on their computer."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for name in archive.namelist():
            if name in changes:
                continue
            new.writestr(name, archive.read(name))
        for name, data in changes.items():
            if data is not None:
                new.writestr(name, data)
        new.comment = archive.comment
    return out.getvalue()


def _import(client, data: bytes, message="Dari komputer", url="/studio/dasar/impor", **extra):
    fields = {"archive": (io.BytesIO(data), "dasar.zip"), "message": message, **extra}
    return post(client, url, {f"zip-{k}": v for k, v in fields.items()},
                content_type="multipart/form-data")


def test_export_is_the_courses_folder_exactly(trainer, db):
    archive = _export(trainer)
    files = {n.removeprefix("dasar/"): archive.read(n) for n in archive.namelist()}
    assert files == read_folder(DATA / "courses" / "dasar")
    assert archive.comment.decode().startswith("melek course=dasar revision=1 tree=")
    assert _export(trainer).fp.getvalue() == archive.fp.getvalue()  # same bytes each time


def test_export_edit_import_round_trips(trainer, db):
    archive = _export(trainer)
    edited = PENUTUP.format(body="Isi baru dari komputer.").encode()
    data = _rezip(archive, {"dasar/02-penutup.md": edited})
    response = _import(trainer, data)
    assert response.status_code == 302
    course = _course(db)
    assert course.revision == 2
    revision = db.session.scalars(select(CourseRevision).filter_by(number=2)).one()
    assert revision.source == "import" and revision.message == "Dari komputer"
    assert "Isi baru dari komputer." in db.session.scalars(
        select(Module).filter_by(key="penutup")).one().body_html
    again = _export(trainer)
    expected = {n: archive.read(n) for n in archive.namelist()}
    expected["dasar/02-penutup.md"] = edited
    assert {n: again.read(n) for n in again.namelist()} == expected


def test_import_refuses_when_the_browser_changed_too(trainer, db):
    archive = _export(trainer)  # revision 1
    edit_file(trainer, "dasar", "02-penutup.md", PENUTUP.format(body="Dari browser."))
    assert publish(trainer, "dasar", "Browser").status_code == 302  # revision 2
    data = _rezip(archive, {"dasar/02-penutup.md": PENUTUP.format(body="Dari berkas.").encode()})
    response = _import(trainer, data)
    assert response.status_code == 409
    assert "diubah di berkas dan juga di browser" in response.get_data(as_text=True)
    course = _course(db)
    assert course.revision == 2
    assert "Dari browser." in db.session.scalars(
        select(Module).filter_by(key="penutup")).one().body_html
    forced = _import(trainer, data, overwrite="y")
    assert forced.status_code == 302 and _course(db).revision == 3


def test_import_refuses_over_an_unpublished_draft(trainer, db):
    archive = _export(trainer)
    edit_file(trainer, "dasar", "02-penutup.md", PENUTUP.format(body="Draf."))
    data = _rezip(archive, {"dasar/02-penutup.md": PENUTUP.format(body="Zip.").encode()})
    response = _import(trainer, data)
    assert response.status_code == 409 and "draf" in response.get_data(as_text=True)
    assert _course(db).revision == 1


def test_invalid_or_unsafe_zips_change_nothing(trainer, db):
    archive = _export(trainer)
    broken = _rezip(archive, {"dasar/02-penutup.md": b"---\ntitle: [\n---\n"})
    response = _import(trainer, broken)
    assert response.status_code == 400 and "dasar/02-penutup.md:3: YAML" in response.get_data(
        as_text=True)
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("dasar/README.md", "x")
        z.writestr("dasar/../../etc/passwd.md", "x")
        z.writestr("dasar/run.sh", "rm -rf /")
    page = _import(trainer, evil.getvalue()).get_data(as_text=True)
    assert "tidak aman" in page and "(.md)" in page
    assert _import(trainer, b"not a zip").status_code == 400
    other = io.BytesIO()
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("lain/README.md", "x")
    assert "bukan &#39;dasar&#39;" in _import(trainer, other.getvalue()).get_data(as_text=True)
    assert _course(db).revision == 1


def test_course_zips_may_exceed_the_site_wide_request_limit(trainer, app, db):
    archive = _export(trainer)
    big = PENUTUP.format(body="Teks panjang. " * 400_000).encode()
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name in archive.namelist():
            z.writestr(name, big if name.endswith("02-penutup.md") else archive.read(name))
        z.comment = archive.comment
    assert _import(trainer, out.getvalue()).status_code == 302
    assert _course(db).revision == 2
    too_big = post(trainer, "/studio/dasar/terbitkan", {"terbit-message": "x" * len(big)})
    assert too_big.status_code == 413  # other forms keep the site-wide limit


def test_import_a_new_course(trainer, db):
    archive = _export(trainer)
    renamed = io.BytesIO()
    with zipfile.ZipFile(renamed, "w") as z:
        for name in archive.namelist():
            z.writestr(name.replace("dasar/", "dasar-dua/", 1), archive.read(name))
    response = _import(trainer, renamed.getvalue(), url="/studio/impor")
    assert response.status_code == 302
    course = db.session.scalars(select(Course).filter_by(slug="dasar-dua")).one()
    assert course.revision == 1 and course.module_count == 2
    assert trainer.get("/studio/dasar-dua").status_code == 200  # the importer owns it
    assert _import(trainer, renamed.getvalue(), url="/studio/impor").status_code == 400


# --- courses/ on disk ----------------------------------------------------------------

def _folder(tmp_path):
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses", root)
    return root


def test_sync_keeps_browser_edits_while_the_files_are_unchanged(trainer, db, tmp_path):
    root = _folder(tmp_path)
    edit_file(trainer, "dasar", "02-penutup.md", PENUTUP.format(body="Dari browser."))
    publish(trainer, "dasar", "Browser")
    report = sync(root, db.session)
    db.session.commit()
    assert report.ok and report.counts["course"]["kept"] == 1
    assert "Dari browser." in db.session.scalars(
        select(Module).filter_by(key="penutup")).one().body_html


def test_sync_reports_a_conflict_and_changes_nothing(trainer, db, tmp_path, runner):
    root = _folder(tmp_path)
    edit_file(trainer, "dasar", "02-penutup.md", PENUTUP.format(body="Dari browser."))
    publish(trainer, "dasar", "Browser")
    (root / "dasar" / "02-penutup.md").write_text(PENUTUP.format(body="Dari berkas."))
    result = runner.invoke(args=["lms", "sync-courses", str(root)])
    assert result.exit_code == 1
    assert "README.md:1: kursus 'dasar' diubah di berkas dan juga di browser" in result.output
    assert _course(db).revision == 2
    result = runner.invoke(args=["lms", "sync-courses", str(root), "--prefer-files", "dasar"])
    assert result.exit_code == 0, result.output
    course = _course(db)
    assert course.revision == 3 and course.files_hash == tree_hash(read_folder(root / "dasar"))
    assert "Dari berkas." in db.session.scalars(
        select(Module).filter_by(key="penutup")).one().body_html


def test_files_merged_to_match_the_browser_end_the_conflict(trainer, db, tmp_path):
    root = _folder(tmp_path)
    text = PENUTUP.format(body="Sama di keduanya.")
    edit_file(trainer, "dasar", "02-penutup.md", text)
    publish(trainer, "dasar", "Browser")
    (root / "dasar" / "02-penutup.md").write_text(text)
    report = sync(root, db.session)
    db.session.commit()
    assert report.ok and _course(db).revision == 2
    assert _course(db).files_hash == _course(db).tree_hash


def test_sync_never_retires_a_course_made_in_the_browser(trainer, db, tmp_path):
    post(trainer, "/studio/baru", {"title": "Hanya di browser", "slug": "hanya-browser"})
    replace_template_text(trainer, "hanya-browser", "Hanya di browser")
    publish(trainer, "hanya-browser", "Terbit")
    report = sync(_folder(tmp_path), db.session)
    db.session.commit()
    assert report.ok
    made = db.session.scalars(select(Course).filter_by(slug="hanya-browser")).one()
    assert made.retired_at is None and made.revision == 1


# --- revisions ------------------------------------------------------------------------

def test_revisions_diff_and_restore(trainer, db):
    edit_file(trainer, "dasar", "02-penutup.md", PENUTUP.format(body="Versi dua."))
    publish(trainer, "dasar", "Versi dua")
    history = trainer.get("/studio/dasar/revisi").get_data(as_text=True)
    assert "Versi dua" in history and "Dewi" in history and "berkas courses/" in history
    diff = trainer.get("/studio/dasar/revisi/2").get_data(as_text=True)
    assert '<span class="diff-add"><span class="visually-hidden">ditambahkan: </span>+Versi dua.' \
        in diff
    assert "diff-remove" in diff
    response = post(trainer, "/studio/dasar/revisi/1/pulihkan")
    assert response.status_code == 302
    assert "Versi dua." in db.session.scalars(
        select(Module).filter_by(key="penutup")).one().body_html  # not before publishing
    against_draft = trainer.get("/studio/dasar/revisi/2?dengan=draf").get_data(as_text=True)
    assert "-Versi dua." in against_draft
    publish(trainer, "dasar", "Kembali ke revisi 1")
    course = _course(db)
    assert course.revision == 3
    assert tree_hash(read_folder(DATA / "courses" / "dasar")) == course.tree_hash
    assert "Versi dua." not in db.session.scalars(
        select(Module).filter_by(key="penutup")).one().body_html


def test_publishing_over_a_newer_revision_needs_confirmation(trainer, db, people):
    edit_file(trainer, "dasar", "02-penutup.md", PENUTUP.format(body="Draf lama."))
    # meanwhile the course changes from another side (a co-owner's import, a sync...)
    from lms.content import revisions
    from lms.content.tree import from_archive
    course = _course(db)
    tree = from_archive(revisions.latest(db.session, course).archive)
    tree["02-penutup.md"] = PENUTUP.format(body="Lebih baru.").encode()
    from lms.studio import publish as studio_publish
    assert studio_publish.apply(db.session, course, tree, source="import",
                                author=people["other"], message="x").ok
    db.session.commit()
    refused = publish(trainer, "dasar", "Draf saya", follow_redirects=True)
    assert "terbit setelah draf ini dimulai" in refused.get_data(as_text=True)
    assert _course(db).revision == 2
    assert publish(trainer, "dasar", "Draf saya", overwrite="y").status_code == 302
    assert _course(db).revision == 3
    assert "Draf lama." in db.session.scalars(
        select(Module).filter_by(key="penutup")).one().body_html


def test_question_versions_survive_an_import_round_trip(trainer, db):
    archive = _export(trainer)
    text = archive.read("dasar/01-pengantar.md").decode()
    text = text.replace("Mana kata sandi terkuat?", "Mana kata sandi yang paling kuat?")
    text = text.replace("\n\n### Pilih semua", "\n\n\n### Pilih semua")  # layout only
    _import(trainer, _rezip(archive, {"dasar/01-pengantar.md": text.encode()}))
    versions = dict(db.session.execute(select(Question.key, Question.version)).all())
    assert versions["sandi-kuat"] == 2 and versions["kebiasaan-aman"] == 1


def test_export_course_cli_brings_browser_work_into_the_folder(trainer, db, tmp_path, runner):
    root = _folder(tmp_path)
    (root / "dasar" / ".catatan").write_text("hidden files stay")
    edit_file(trainer, "dasar", "02-penutup.md", PENUTUP.format(body="Dari browser."))
    publish(trainer, "dasar", "Browser")
    result = runner.invoke(args=["lms", "export-course", "dasar", str(root)])
    assert result.exit_code == 0, result.output
    assert "Revisi 2" in result.output
    assert "Dari browser." in (root / "dasar" / "02-penutup.md").read_text()
    assert (root / "dasar" / "img" / "alur.svg").exists()
    assert (root / "dasar" / ".catatan").exists()
    # Work in the folder that no sync has seen is not overwritten without --force.
    (root / "dasar" / "03-baru.md").write_text("belum disinkronkan")
    refused = runner.invoke(args=["lms", "export-course", "dasar", str(root)])
    assert refused.exit_code == 1 and "--force" in refused.output
    assert (root / "dasar" / "03-baru.md").exists()
    forced = runner.invoke(args=["lms", "export-course", "dasar", str(root), "--force"])
    assert forced.exit_code == 0 and not (root / "dasar" / "03-baru.md").exists()
    report = sync(root, db.session)
    db.session.commit()
    assert report.ok and report.counts["course"]["unchanged"] == 1
    assert _course(db).files_hash == _course(db).tree_hash
    missing = runner.invoke(args=["lms", "export-course", "tidak-ada", str(root)])
    assert missing.exit_code == 1


# --- every file is checked, referenced or not -------------------------------------------

EVIL_SVG = (b'<svg xmlns="http://www.w3.org/2000/svg"><title>t</title>'
            b'<script>alert(document.cookie)</script></svg>')
HTML_AS_PNG = b"<!doctype html><html><script>alert(1)</script></html>"
BAD_FILES = {
    "script-svg": ("img/evil.svg", EVIL_SVG, "SVG berisi skrip"),
    "html-as-png": ("img/foto.png", HTML_AS_PNG, "berkas bernama PNG tetapi isinya teks"),
    "other-kind": ("img/halaman.html", HTML_AS_PNG,
                   ""),  # the message grew "and audio": its translation is pending
    "too-large": ("img/besar.gif", b"GIF89a" + b"\0" * (2 * 1024 * 1024),
                  "gambar lebih besar dari 2 MB"),
}


def _nothing_stored(client, db, rel, data):
    import hashlib

    from lms.models import Asset, CourseDraft
    course = _course(db)
    assert course.revision == 1
    assert db.session.scalars(select(CourseRevision)).all()[-1].number == 1
    assert db.session.scalars(select(CourseDraft)).all() == []
    sha = hashlib.sha256(data).hexdigest()
    assert db.session.scalars(select(Asset).filter_by(sha256=sha)).all() == []
    name = rel.rsplit("/", 1)[-1]
    assert client.get(f"/aset/{sha}/{name}").status_code == 404
    assert client.get(f"/studio/dasar/draf/{rel}").status_code == 404


@pytest.mark.parametrize("bad", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_zip_import_checks_files_nothing_refers_to(trainer, db, bad):
    rel, data, message = bad
    archive = _export(trainer)
    response = _import(trainer, _rezip(archive, {f"dasar/{rel}": data}))
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    assert f"dasar/{rel}: {message}" in page
    _nothing_stored(trainer, db, rel, data)


def test_courses_folder_on_disk_checks_files_nothing_refers_to(runner, db, tmp_path):
    root = _folder(tmp_path)
    for rel, data, _ in BAD_FILES.values():
        (root / "dasar" / rel).write_bytes(data)
    result = runner.invoke(args=["lms", "check-courses", str(root)])
    assert result.exit_code == 1
    found = sorted(line.split(f"{root}/", 1)[-1] for line in result.stdout.splitlines())
    assert [line.split(": ", 1)[0] for line in found] == [
        "dasar/img/besar.gif:1", "dasar/img/evil.svg:1", "dasar/img/foto.png:1",
        "dasar/img/halaman.html:1"]
    for rel, _, message in BAD_FILES.values():
        assert any(line.startswith(f"dasar/{rel}:1: {message}") for line in found), found
    synced = runner.invoke(args=["lms", "sync-courses", str(root)])
    assert synced.exit_code == 1 and "Tidak ada yang diubah" in synced.stderr
    assert db.session.scalars(select(Course)).all() == []


def test_a_bad_referenced_image_is_named_once_where_it_is_used(runner, tmp_path):
    root = _folder(tmp_path)
    (root / "dasar" / "img" / "alur.svg").write_bytes(EVIL_SVG)  # README.md:10 shows it
    result = runner.invoke(args=["lms", "check-courses", str(root)])
    assert result.exit_code == 1
    [line] = result.stdout.splitlines()
    assert line.endswith("dasar/README.md:10: gambar 'img/alur.svg': SVG berisi skrip: hapus "
                         "(gambar tidak boleh menjalankan kode)")


def test_an_old_revision_with_a_bad_file_cannot_be_served_or_published(trainer, db):
    """Revisions stored before every file was checked may hold one; restoring such a
    revision must not serve or publish it."""
    from lms.content import revisions
    from lms.content.tree import read_folder
    course = _course(db)
    tree = {**read_folder(DATA / "courses" / "dasar"), "img/evil.svg": EVIL_SVG}
    revisions.record(db.session, course, tree, source="import", author=None, message="lama")
    db.session.commit()
    number = _course(db).revision
    restored = post(trainer, f"/studio/dasar/revisi/{number}/pulihkan", {"confirm": "y"})
    assert restored.status_code == 302
    assert trainer.get("/studio/dasar/draf/img/evil.svg").status_code == 404
    page = publish(trainer, "dasar", "Pulihkan", follow_redirects=True).get_data(as_text=True)
    assert "Belum diterbitkan" in page and "dasar/img/evil.svg:1</code> SVG berisi skrip" in page
    assert _course(db).revision == number
