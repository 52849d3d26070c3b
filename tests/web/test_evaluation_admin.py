"""The questionnaire's round trip: files -> sync -> browser download/upload (checked
with file:line like a course) -> export back, conflicts refused on both sides."""

import io
import shutil
import zipfile

from lms.evaluation import questionnaire
from lms.models import AuditEvent
from tests.support.evaluation import FORM
from tests.support.factories import DATA, make_employee
from tests.support.http import logged_in, token


def _admin(app, db, org):
    person = make_employee("196501011990011001", org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    return logged_in(app, person.nip)


def _upload(client, data: bytes, name="kuesioner.zip", overwrite=False):
    form = {"kuesioner-upload": (io.BytesIO(data), name),
            "csrf_token": token(client, "/admin/evaluasi")}
    if overwrite:
        form["kuesioner-overwrite"] = "y"
    return client.post("/admin/evaluasi/unggah", data=form,
                       content_type="multipart/form-data")


def _edited(zip_bytes: bytes, old: str, new: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(zip_bytes)) as archive:
        comment = archive.comment
        text = archive.read("_evaluasi/kuesioner.md").decode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("_evaluasi/kuesioner.md", text.replace(old, new))
        archive.comment = comment
    return out.getvalue()


def test_files_browser_and_back(app, db, org, runner, tmp_path, english):
    root = tmp_path / "courses"
    shutil.copytree(DATA / "courses", root)
    (root / "_evaluasi").mkdir()
    path = root / "_evaluasi" / "kuesioner.md"
    path.write_text(FORM)
    result = runner.invoke(args=["lms", "sync-courses", str(root)])
    assert result.exit_code == 0 and "Participant evaluation: added" in result.output
    first = questionnaire.current(db.session)
    assert first.origin == "files" and [i["key"] for i in first.items] == [
        "relevan", "jelas", "komentar"]

    admin = _admin(app, db, org)
    download = admin.get(f"/admin/evaluasi/kuesioner-{first.id}.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    # A broken upload is refused with the file's line, nothing stored.
    broken = _upload(admin, _edited(download.data, "{#jelas}", "{#relevan}"))
    assert broken.status_code == 400
    # The page's language is Indonesian once the catalogue has these messages: the
    # place and the ID are what must be there in either language.
    page = broken.get_data(as_text=True)
    assert "kuesioner.md:8: " in page and "&#39;relevan&#39;" in page
    assert questionnaire.current(db.session).id == first.id
    # A good one becomes the current version, logged.
    good = _edited(download.data, "Penjelasan jelas", "Penjelasannya jelas sekali")
    assert _upload(admin, good).status_code == 302
    second = questionnaire.current(db.session)
    assert second.id != first.id and second.origin == "browser"
    assert second.items[1]["text"] == "Penjelasannya jelas sekali"
    assert db.session.scalars(db.select(AuditEvent).filter_by(
        action="evaluation_imported")).one()
    # The first download edited again: someone changed it since, so refused (409).
    stale = _edited(download.data, "Materi sesuai", "Materi cocok")
    assert _upload(admin, stale).status_code == 409
    assert questionnaire.current(db.session).id == second.id

    # The files unchanged: the browser's version stays on the next sync.
    result = runner.invoke(args=["lms", "sync-courses", str(root)])
    assert result.exit_code == 0 and "kept" in result.output
    assert questionnaire.current(db.session).id == second.id
    # Both changed: the sync stops and names the file.
    path.write_text(FORM.replace("Saran Anda", "Saran"))
    result = runner.invoke(args=["lms", "sync-courses", str(root)])
    assert result.exit_code == 1 and "_evaluasi/kuesioner.md:1:" in result.output
    # Export the browser's version; then files and browser agree.
    result = runner.invoke(args=["lms", "export-evaluation", str(root)])
    assert result.exit_code == 0
    assert "Penjelasannya jelas sekali" in path.read_text()
    result = runner.invoke(args=["lms", "sync-courses", str(root)])
    assert result.exit_code == 0 and "Participant evaluation: unchanged" in result.output


def test_only_admins(app, db, people):
    for who in ("learner", "hr_city", "trainer"):
        assert logged_in(app, people[who].nip).get("/admin/evaluasi").status_code == 403
