"""The trainer studio over real HTTP: ownership, drafts, editors, preview, publishing."""

import re

import pytest
from sqlalchemy import func, select

from lms.content.source import errors
from lms.models import (
    AttemptAnswer,
    Course,
    CourseRevision,
    Employee,
    Module,
    ModuleProgress,
    Question,
    QuizAttempt,
)
from tests.support.studio import (
    draft_text,
    edit_file,
    form_version,
    post,
    publish,
    replace_template_text,
    switch_to,
)
from tests.support.xss import assert_safe_html

QUESTION_URL = "/studio/dasar/modul/01-pengantar.md/soal/"


def _published_prompt(db, key):
    return db.session.scalars(select(Question).where(Question.key == key)).one()


# --- who may do what ----------------------------------------------------------------

def test_learner_and_hr_cannot_open_the_studio(client, people):
    for nip in (people["learner"].nip, people["hr_city"].nip):
        switch_to(client, nip)
        assert client.get("/studio/").status_code == 403


def test_trainer_edits_only_courses_they_own(client, people, course, db):
    switch_to(client, people["trainer"].nip)
    assert "dasar" not in client.get("/studio/").get_data(as_text=True)
    for url in ("/studio/dasar", "/studio/dasar/pengaturan", "/studio/dasar/ekspor.zip",
                "/studio/dasar/revisi", "/studio/dasar/pratinjau"):
        assert client.get(url).status_code == 403, url
    assert publish(client, "dasar").status_code == 403
    assert client.get("/studio/tidak-ada").status_code == 404


def test_owner_sees_the_course_and_admin_assigns_owners(client, people, course, org, db):
    from tests.support.factories import make_employee
    admin = make_employee("197001011995031001", org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    switch_to(client, people["trainer"].nip)
    assert post(client, "/studio/dasar/pemilik", {"nip": people["trainer"].nip}).status_code == 403
    switch_to(client, admin.nip)
    refused = post(client, "/studio/dasar/pemilik", {"nip": people["learner"].nip},
                   follow_redirects=True)
    assert "bukan pelatih" in refused.get_data(as_text=True)
    response = post(client, "/studio/dasar/pemilik", {"nip": people["trainer"].nip})
    assert response.status_code == 302
    switch_to(client, people["trainer"].nip)
    page = client.get("/studio/dasar")
    assert page.status_code == 200 and "Dewi" in page.get_data(as_text=True)
    # a learner who is not a trainer was refused as an owner
    from lms.studio import ownership
    assert [o.nip for o in ownership.owners(db.session, course)] == [people["trainer"].nip]


def test_admin_removes_an_owner(client, people, course, org, db, trainer):
    from lms.studio import ownership
    from tests.support.factories import make_employee
    admin = make_employee("197001011995031001", org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    switch_to(client, admin.nip)
    url = f"/studio/dasar/pemilik/{people['trainer'].id}/hapus"
    assert post(client, url).status_code == 302
    assert ownership.owners(db.session, course) == []


# --- drafts and publishing ------------------------------------------------------------

def test_draft_is_invisible_to_learners_until_published(trainer, client, people, db):
    response = edit_file(trainer, "dasar", "02-penutup.md",
                         "---\ntitle: Penutup baru\nminutes: 3\n---\n\nIsi draf rahasia.\n")
    assert response.status_code == 302
    assert db.session.scalars(select(Module).filter_by(key="penutup")).one().title != \
        "Penutup baru"
    preview = trainer.get("/studio/dasar/pratinjau/02-penutup.md").get_data(as_text=True)
    assert "Isi draf rahasia." in preview and "Pratinjau" in preview
    switch_to(client, people["learner"].nip)
    assert "Isi draf rahasia." not in client.get("/kursus/dasar/penutup").get_data(as_text=True)
    switch_to(client, people["trainer"].nip)
    assert publish(client, "dasar", "Penutup diperbarui").status_code == 302
    switch_to(client, people["learner"].nip)
    assert "Isi draf rahasia." in client.get("/kursus/dasar/penutup").get_data(as_text=True)


def test_problems_block_publishing_with_line_numbers(trainer, db, course):
    before = course.revision
    broken = "---\ntitle: Penutup\nminutes: lima\n---\n\n# Judul kedua\n"
    edit_file(trainer, "dasar", "02-penutup.md", broken)
    page = trainer.get("/studio/dasar/berkas/02-penutup.md").get_data(as_text=True)
    assert "<strong>Baris 3</strong>: &#39;minutes&#39;" in page
    assert "<strong>Baris 6</strong>: pakai &#39;##&#39;" in page
    assert '<li class="has-problem"><code>minutes: lima</code>' in page
    overview = trainer.get("/studio/dasar").get_data(as_text=True)
    assert "dasar/02-penutup.md:3" in overview and "dasar/02-penutup.md:6" in overview
    response = publish(trainer, "dasar")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Course, course.id).revision == before
    assert db.session.scalars(select(Module).filter_by(key="penutup")).one().minutes != "lima"


def test_two_owners_saving_the_same_file_never_overwrite(trainer, db):
    url = "/studio/dasar/berkas/02-penutup.md"
    version = form_version(trainer, url)
    first = post(trainer, url, {"text": "---\ntitle: A\n---\n\nSatu\n", "version": version})
    assert first.status_code == 302
    second = post(trainer, url, {"text": "---\ntitle: B\n---\n\nDua\n", "version": version})
    html = second.get_data(as_text=True)
    assert second.status_code == 200 and "Dua" in html  # the second text is still there
    course = db.session.scalars(select(Course).filter_by(slug="dasar")).one()
    assert "Satu" in draft_text(db, course, "02-penutup.md")


def test_new_course_with_two_modules_and_a_quiz(client, people, db):
    switch_to(client, people["trainer"].nip)
    assert post(client, "/studio/baru", {"title": "Kursus Baru", "slug": "kursus-baru"}) \
        .status_code == 302
    assert post(client, "/studio/kursus-baru/modul-baru", {"title": "Kedua"}).status_code == 302
    replace_template_text(client, "kursus-baru", "Kursus Baru")
    edit_file(client, "kursus-baru", "02-kedua.md",
              "---\ntitle: Kedua\nminutes: 5\n---\n\nIsi modul kedua.\n")
    url = "/studio/kursus-baru/modul/02-kedua.md/soal/"
    response = post(client, url, {
        "kind": "single", "prompt": "Ibu kota Banten?", "options-0-text": "Serang",
        "options-0-correct": "y", "options-1-text": "Bandung",
        "explanation": "Serang.", "version": form_version(client, url)})
    assert response.status_code == 302
    assert db.session.scalars(select(Course).filter_by(slug="kursus-baru")).one().published \
        is False  # not before the first publish
    assert publish(client, "kursus-baru", "Terbit").status_code == 302
    course = db.session.scalars(select(Course).filter_by(slug="kursus-baru")).one()
    assert course.published and course.revision == 1 and course.module_count == 2
    question = db.session.scalars(select(Question).filter_by(key="ibu-kota-banten")).one()
    assert question.kind == "single" and question.answer == [0]


def _take_quiz(client, db, right=True):
    response = post(client, "/kursus/dasar/pengantar/kuis", page="/kursus/dasar/pengantar")
    url = response.headers["Location"]
    attempt = db.session.get(QuizAttempt, int(url.rsplit("/", 1)[1]))
    form = {}
    for d in attempt.drawn:
        q = db.session.get(Question, d["q"])
        form[f"q{q.id}"] = q.answer[0] if q.kind == "text" else [str(i) for i in q.answer]
    assert post(client, url, form, page=url).status_code == 302


def test_editing_a_question_keeps_progress_and_splits_statistics(client, people, course, db):
    from lms.studio import ownership
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    switch_to(client, people["learner"].nip)
    _take_quiz(client, db)
    learner = people["learner"]
    done = db.session.get(ModuleProgress, (learner.id, course.modules[0].id))
    assert done.completed_at is not None
    switch_to(client, people["trainer"].nip)
    url = QUESTION_URL + "otp-bank"
    response = post(client, url, {
        "kind": "truefalse", "prompt": "OTP boleh diberikan kepada petugas bank.",
        "truefalse": "Salah", "explanation": "Petugas resmi tidak pernah meminta OTP.",
        "version": form_version(client, url)})
    assert response.status_code == 302
    assert publish(client, "dasar", "Soal OTP diperjelas").status_code == 302
    db.session.expire_all()
    versions = dict(db.session.execute(select(Question.key, Question.version)).all())
    assert versions["otp-bank"] == 2
    assert versions["sandi-kuat"] == versions["kebiasaan-aman"] == 1
    done = db.session.get(ModuleProgress, (learner.id, course.modules[0].id))
    assert done.completed_at is not None and done.best_score == 100
    switch_to(client, learner.nip)
    _take_quiz(client, db)
    otp = db.session.scalars(select(Question).filter_by(key="otp-bank")).one()
    by_version = dict(db.session.execute(
        select(AttemptAnswer.question_version, func.count()).where(
            AttemptAnswer.question_id == otp.id).group_by(AttemptAnswer.question_version)).all())
    assert by_version == {1: 1, 2: 1}
    switch_to(client, people["trainer"].nip)
    stats = client.get("/studio/dasar/statistik/pengantar").get_data(as_text=True)
    old_wording = stats.split("<h3>Versi 1</h3>", 1)[1].split("</section>", 1)[0]
    assert "OTP boleh dibagikan ke petugas bank." in old_wording  # version 1's own text
    assert "Salah" in old_wording and "tag-correct" in old_wording


def test_question_ids_stay_stable_and_new_ones_are_unique(trainer, db):
    url = QUESTION_URL
    data = {"kind": "multiple", "prompt": "Mana kata sandi terkuat?",
            "options-0-text": "a", "options-0-correct": "y", "options-1-text": "b",
            "options-1-correct": "y", "options-2-text": "c", "explanation": "Karena."}
    assert post(trainer, url, {**data, "version": form_version(trainer, url)}).status_code == 302
    from lms.studio import module_text
    course = db.session.scalars(select(Course).filter_by(slug="dasar")).one()
    text = draft_text(db, course, "01-pengantar.md")
    keys = [q.key for q in module_text.read("01-pengantar.md", text).questions]
    assert keys == ["sandi-kuat", "kebiasaan-aman", "otp-bank", "singkatan-otp",
                    "mana-kata-sandi-terkuat"]
    assert "{#mana-kata-sandi-terkuat .beberapa}" in text


def test_every_question_kind_round_trips_through_the_editor(trainer, db):
    kinds = {"sandi-kuat": "single", "kebiasaan-aman": "multiple", "otp-bank": "truefalse",
             "singkatan-otp": "text"}
    for key, kind in kinds.items():
        page = trainer.get(QUESTION_URL + key).get_data(as_text=True)
        assert re.search(rf'checked[^>]*value="{kind}"|value="{kind}"[^>]*checked', page), key
    page = trainer.get(QUESTION_URL + "singkatan-otp").get_data(as_text=True)
    assert "one time password\nkode sekali pakai" in page


def test_removing_a_question_retires_it_and_keeps_answers(trainer, db):
    assert post(trainer, QUESTION_URL + "singkatan-otp/hapus").status_code == 302
    assert publish(trainer, "dasar").status_code == 302
    db.session.expire_all()
    gone = db.session.scalars(select(Question).filter_by(key="singkatan-otp")).one()
    assert gone.retired_at is not None


def test_module_form_shows_problems_next_to_the_content(trainer):
    url = "/studio/dasar/modul/02-penutup.md"
    response = post(trainer, url, {"title": "Penutup", "minutes": 3, "pass_mark": 70,
                                   "attempts": 0, "body": "Baris satu\n# Judul salah\n",
                                   "version": form_version(trainer, url)})
    assert response.status_code == 302
    page = trainer.get(url).get_data(as_text=True)
    assert "Isi, baris 2" in page


def test_preview_renders_the_draft_like_the_learner_page(trainer):
    page = trainer.get("/studio/dasar/pratinjau/01-pengantar.md").get_data(as_text=True)
    assert "Mana kata sandi terkuat?" in page
    assert 'class="callout callout-tip"' in page
    course_page = trainer.get("/studio/dasar/pratinjau").get_data(as_text=True)
    assert 'src="/studio/dasar/draf/img/alur.svg"' in course_page


def test_live_preview_uses_the_publishing_renderer(trainer, client):
    payload = "## Hai\n\n<script>alert(1)</script> [x](javascript:alert(1)) ![a](img/alur.svg)"
    response = post(trainer, "/studio/dasar/pratinjau-langsung", {"text": payload})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<h2>Hai</h2>" in html
    assert_safe_html(html)
    assert 'src="/studio/dasar/draf/img/alur.svg"' in html
    no_token = client.post("/studio/dasar/pratinjau-langsung", data={"text": "x"})
    assert no_token.status_code == 400


def test_image_upload_checks_type_and_content(trainer, db):
    import io
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
           b"\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00"
           b"\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    ok = post(trainer, "/studio/dasar/gambar",
              {"image": (io.BytesIO(png), "Foto Layar (1).PNG")},
              content_type="multipart/form-data")
    assert ok.status_code == 302
    served = trainer.get("/studio/dasar/draf/img/foto-layar-1.png")
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert "sandbox" in served.headers["Content-Security-Policy"]
    evil = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    post(trainer, "/studio/dasar/gambar", {"image": (io.BytesIO(evil), "x.svg")},
         content_type="multipart/form-data")
    html = post(trainer, "/studio/dasar/gambar", {"image": (io.BytesIO(b"<html>"), "a.png")},
                content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert trainer.get("/studio/dasar/draf/img/x.svg").status_code == 404
    assert trainer.get("/studio/dasar/draf/img/a.png").status_code == 404
    assert "tidak ditambahkan" in html


def _valid_in_a_module(payloads):
    """The payloads a module can hold without a validator problem (some are refused
    outright, e.g. images outside the course: tests/web/test_xss_pages.py covers those)."""
    from lms.studio import check
    from tests.support.xss import SAFE_IMAGE
    fine = []
    for payload in payloads:
        payload = payload.replace(SAFE_IMAGE, "img/alur.svg")
        tree = {"README.md": b"---\ntitle: T\nsummary: S\njp: 1\nversion: '1'\n---\n",
                "01-m.md": f"---\ntitle: M\n---\n\n{payload}\n".encode()}
        if not errors(check.problems(tree, "x")):
            fine.append(payload)
    return fine


def test_stored_xss_through_the_studio_is_sanitised(trainer, client, people, db):
    from tests.support.xss import PAYLOADS
    payloads = _valid_in_a_module(PAYLOADS)
    assert len(payloads) > 60
    text = "---\ntitle: Penutup\nminutes: 3\n---\n\n" + "\n\n".join(payloads) + "\n"
    assert edit_file(trainer, "dasar", "02-penutup.md", text).status_code == 302
    preview = trainer.get("/studio/dasar/pratinjau/02-penutup.md").get_data(as_text=True)
    assert_safe_html(preview.split('<article class="prose">', 1)[1].split("</article>")[0])
    live = post(trainer, "/studio/dasar/pratinjau-langsung", {"text": text})
    assert_safe_html(live.get_data(as_text=True))
    assert publish(trainer, "dasar").status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(Course).filter_by(slug="dasar")).one().revision == 2
    switch_to(client, people["learner"].nip)
    page = client.get("/kursus/dasar/penutup").get_data(as_text=True)
    assert_safe_html(page.split('<article class="prose">', 1)[1].split("</article>")[0])


def test_publish_is_one_transaction(trainer, db, monkeypatch):
    """A failure after the content is applied leaves nothing behind."""
    from lms.content import revisions
    edit_file(trainer, "dasar", "02-penutup.md", "---\ntitle: Baru\nminutes: 3\n---\n\nX\n")

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(revisions, "record", boom)
    with pytest.raises(RuntimeError):
        publish(trainer, "dasar")
    db.session.expire_all()
    assert db.session.scalars(select(Module).filter_by(key="penutup")).one().title == "Penutup"
    assert db.session.scalar(select(func.count()).select_from(CourseRevision)) == 1
    assert db.session.scalar(select(func.count()).select_from(Employee)) > 0


def test_moving_modules_and_questions_keeps_ids_progress_and_versions(trainer, client,
                                                                      people, db, course):
    from lms.studio import drafts
    assert post(trainer, "/studio/dasar/modul/02-penutup.md/pindah/naik").status_code == 302
    draft = drafts.get(db.session, course)
    assert sorted(f.path for f in draft.files if f.path.endswith(".md")) == [
        "01-penutup.md", "02-pengantar.md", "README.md"]
    url = "/studio/dasar/modul/02-pengantar.md/soal/otp-bank/pindah/naik"
    assert post(trainer, url).status_code == 302
    assert publish(trainer, "dasar", "Urutan baru").status_code == 302
    db.session.expire_all()
    modules = {m.key: m for m in db.session.scalars(select(Module))}
    assert modules["penutup"].position == 0 and modules["pengantar"].position == 1
    assert all(m.retired_at is None for m in modules.values())
    questions = db.session.scalars(select(Question).where(
        Question.module_id == modules["pengantar"].id).order_by(Question.position)).all()
    assert [q.key for q in questions] == ["sandi-kuat", "otp-bank", "kebiasaan-aman",
                                          "singkatan-otp"]
    assert {q.version for q in questions} == {1}  # a move is not an edit
    assert post(trainer, "/studio/dasar/modul/01-penutup.md/pindah/naik").status_code == 302
    assert post(trainer, "/studio/dasar/modul/01-penutup.md/pindah/kemana").status_code == 404
