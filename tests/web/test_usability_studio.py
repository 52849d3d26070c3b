"""Issue 16, trainers: the checker refuses the template's example text and an unchosen JP;
the question editor speaks the form's words and keeps an incomplete question on its form;
the folder name is made from the title; a flagged question links to its editor."""

import re
from datetime import timedelta

from sqlalchemy import select

from lms.content import unfinished
from lms.content.validate import load
from lms.core import clock
from lms.models import AttemptAnswer, Course, QuizAttempt
from lms.studio import ownership
from tests.support.factories import make_employee
from tests.support.studio import (
    draft_text,
    edit_file,
    form_version,
    post,
    publish,
    replace_template_text,
    switch_to,
)

QUESTION_URL = "/studio/dasar/modul/01-pengantar.md/soal/"


def _new_course(client, title="Tanda Tangan Elektronik (TTE)", slug=""):
    return post(client, "/studio/baru", {"title": title, "slug": slug})


def test_the_folder_name_is_made_from_the_title(trainer, db):
    assert _new_course(trainer).headers["Location"] == "/studio/tanda-tangan-elektronik-tte"
    assert _new_course(trainer).headers["Location"] == "/studio/tanda-tangan-elektronik-tte-2"
    # A folder name can still be given, in the Advanced part of the form.
    assert _new_course(trainer, slug="tte-lanjut").headers["Location"] == "/studio/tte-lanjut"
    page = trainer.get("/studio/").get_data(as_text=True)
    assert '<details class="advanced">' in page and "Nama folder (opsional)" in page
    assert page.index('id="advanced-heading"') < page.index('id="import-course"')


def test_template_text_and_an_unchosen_jp_are_not_published(trainer, db):
    _new_course(trainer, "Belajar Srikandi")
    page = trainer.get("/studio/belajar-srikandi").get_data(as_text=True)
    assert page.count("teks contoh dari templat: ganti dengan kata-kata Anda sendiri") == 3
    assert ("pilih berapa JP yang diberikan kursus ini: modulnya butuh 5 menit untuk dibaca, "
            "cukup untuk 0 JP (satu JP = 45 menit)") in page
    assert "Tidak ada masalah" not in page
    response = publish(trainer, "belajar-srikandi", "Terbit", follow_redirects=True)
    assert db.session.scalars(select(Course).filter_by(slug="belajar-srikandi")).one() \
        .revision == 0
    assert "teks contoh dari templat" in response.get_data(as_text=True)
    # The settings page leaves JP empty and suggests it from the reading time.
    settings = trainer.get("/studio/belajar-srikandi/pengaturan").get_data(as_text=True)
    assert re.search(r'<input[^>]*id="jp"[^>]*value=""', settings)
    assert "Saran: 0 JP. Semua modul butuh 5 menit untuk dibaca" in settings
    # Files, zip and courses/ sit in the Advanced section, after the everyday parts.
    assert page.index('id="advanced-heading"') > page.index('id="terbitkan"')
    assert page.index('id="advanced-heading"') < page.index('id="zip-heading"')
    replace_template_text(trainer, "belajar-srikandi", "Belajar Srikandi")
    assert publish(trainer, "belajar-srikandi", "Terbit").status_code == 302
    assert db.session.scalars(select(Course).filter_by(slug="belajar-srikandi")).one() \
        .revision == 1


def test_check_courses_refuses_template_text_on_disk_too(tmp_path):
    folder = tmp_path / "contoh"
    folder.mkdir()
    (folder / "README.md").write_text(
        f"---\ntitle: Contoh\nsummary: {unfinished.SUMMARY}\njp:\nversion: \"1.0\"\n---\n\n"
        f"{unfinished.INTRODUCTION}\n")
    (folder / "01-isi.md").write_text(
        f"---\ntitle: Isi\nminutes: 95\n---\n\nAda isi.\n\n{unfinished.MODULE_BODY}\n")
    _, problems = load(tmp_path)
    found = sorted((p.path.rsplit("/", 1)[-1], p.line, str(p.message)) for p in problems)
    assert [(f, n) for f, n, _ in found] == [("01-isi.md", 8), ("README.md", 3),
                                              ("README.md", 4), ("README.md", 8)]
    jp = next(m for f, n, m in found if n == 4)
    assert "butuh 95 menit untuk dibaca, cukup untuk 2 JP" in jp


def _question(client, **fields):
    data = {"kind": "single", "prompt": "Ibu kota Banten?", "explanation": "Serang.",
            "version": form_version(client, QUESTION_URL), **fields}
    return post(client, QUESTION_URL, data)


def test_an_incomplete_question_stays_on_its_form_in_the_forms_words(trainer, db, course):
    before = trainer.get("/studio/dasar/modul/01-pengantar.md").get_data(as_text=True)
    cases = [
        ({"options-0-text": "Serang", "options-1-text": "Bandung"},
         "options-error", "Centang satu jawaban yang benar."),
        ({"options-0-text": "Serang", "options-0-correct": "y", "options-1-text": "Cilegon",
          "options-1-correct": "y"}, "options-error",
         "Centang satu jawaban yang benar saja, atau pilih “Beberapa jawaban benar” di atas."),
        ({"options-0-text": "Serang", "options-0-correct": "y"}, "options-error",
         "Tulis paling sedikit dua pilihan."),
        ({"kind": "truefalse"}, "truefalse-error", "Pilih apakah pernyataan ini Benar atau Salah."),
        ({"kind": "text"}, "accepted-error",
         "Tulis paling sedikit satu jawaban yang dianggap benar."),
        ({"options-0-text": "Serang", "options-0-correct": "y", "options-1-text": "Bandung",
          "explanation": ""}, "explanation-error",
         "Tulis penjelasan: peserta membacanya setelah kuis dinilai."),
    ]
    from lms.studio import drafts
    for fields, where, message in cases:
        response = _question(trainer, **fields)
        page = response.get_data(as_text=True)
        assert response.status_code == 400, fields
        assert re.search(rf'id="{where}">[^<]*{re.escape(message)}', page), (fields, page[-3000:])
        assert "Tersimpan di draf" not in page and "Soal belum disimpan" in page
        assert "- [x]" not in page and "Jawaban:" not in page  # the file's words stay out
    assert drafts.get(db.session, course) is None  # nothing was saved, no draft begun
    assert "Ibu kota Banten" not in before
    ok = _question(trainer, **{"options-0-text": "Serang", "options-0-correct": "y",
                               "options-1-text": "Bandung"})
    assert ok.status_code == 302
    assert "Ibu kota Banten?" in draft_text(db, course, "01-pengantar.md")


def test_the_question_editor_heads_each_kind(trainer, course):
    page = trainer.get(QUESTION_URL).get_data(as_text=True)
    assert 'data-kinds="single multiple"' in page and 'data-kinds="truefalse"' in page
    assert 'data-kinds="text"' in page and "js/studio." in page  # under its content-hashed name
    assert "Pilihan jawaban (untuk “Satu jawaban benar” dan “Beberapa jawaban benar”)" in page


def test_a_question_written_incomplete_in_the_file_is_named_in_the_forms_words(trainer, db,
                                                                               course):
    from lms.content import revisions
    from lms.studio import module_text
    text = revisions.published_tree(db.session, course)["01-pengantar.md"].decode()
    source = module_text.read("01-pengantar.md", text)
    for q in source.questions:
        if q.key == "otp-bank":
            q.explanation, q.source = "", ""  # as if written without one in the file
    edit_file(trainer, "dasar", "01-pengantar.md", module_text.compose(source))
    module = trainer.get("/studio/dasar/modul/01-pengantar.md").get_data(as_text=True)
    assert "Belum selesai: Tulis penjelasan: peserta membacanya setelah kuis dinilai." in module
    editor = trainer.get(QUESTION_URL + "otp-bank").get_data(as_text=True)
    assert re.search(r'id="explanation-error">Tulis penjelasan', editor)
    assert "Penjelasan: ...'" not in editor  # the checker's Markdown words stay out


def test_a_flagged_question_links_to_its_editor(client, db, org, people, course):
    ownership.add_owner(db.session, course, people["trainer"])
    module = course.current_modules[0]
    q1 = {q.key: q for q in module.current_questions}["sandi-kuat"]
    now = clock.now()
    for i in range(20):  # everyone right: "too easy"
        person = make_employee(f"1994040420170110{i:02d}", org["kominfo"], f"Peserta {i}")
        attempt = QuizAttempt(employee_id=person.id, module_id=module.id, drawn=[],
                              submitted_at=now + timedelta(minutes=i), score=100, passed=True)
        db.session.add(attempt)
        db.session.flush()
        db.session.add(AttemptAnswer(attempt_id=attempt.id, question_id=q1.id,
                                     question_version=q1.version, response=["1"],
                                     correct=True))
    db.session.commit()
    switch_to(client, people["trainer"].nip)
    page = client.get("/studio/dasar/statistik/pengantar").get_data(as_text=True)
    assert 'class="stats-flags"' in page
    assert 'href="/studio/dasar/modul/01-pengantar.md/soal/sandi-kuat">Ubah soal ini' in page
