"""The learner's journey over real HTTP requests, and who may see what."""

import re

import pytest
from sqlalchemy import func, select

from lms.models import AttemptAnswer, Enrollment, ModuleProgress, QuizAttempt
from tests.support.http import csrf_token, login


def post(client, url, data=None, page=None):
    data = dict(data or {})
    data["csrf_token"] = csrf_token(client, page or url)
    return client.post(url, data=data)


@pytest.fixture
def learner_client(client, people, course):
    assert login(client, people["learner"].nip).status_code == 302
    return client


def start_quiz(client):
    response = post(client, "/kursus/dasar/pengantar/kuis", page="/kursus/dasar/pengantar")
    assert response.status_code == 302
    return response.headers["Location"]


def answer_form(db, attempt_url, right=True):
    attempt = db.session.get(QuizAttempt, int(attempt_url.rsplit("/", 1)[1]))
    form = {}
    for d in attempt.drawn:
        q = db.session.get(quiz_question(), d["q"])
        if q.kind == "text":
            form[f"q{q.id}"] = q.answer[0] if right else "salah"
        else:
            correct = [str(i) for i in q.answer]
            wrong = [str(i) for i in range(len(q.options)) if i not in q.answer][:1]
            form[f"q{q.id}"] = correct if right else wrong
    return form


def quiz_question():
    from lms.models import Question
    return Question


def test_first_time_learner_reaches_a_module_in_two_clicks(learner_client):
    page = learner_client.get("/").get_data(as_text=True)
    assert "Kursus saya" in page and "Dasar Uji" in page
    action = re.search(r'action="(/kursus/dasar/mulai)"', page).group(1)  # click 1: Mulai
    response = post(learner_client, action, page="/")
    assert response.headers["Location"] == "/kursus/dasar/pengantar"
    module = learner_client.get(response.headers["Location"])  # lands on module 1
    assert module.status_code == 200
    assert "Modul pertama." in module.get_data(as_text=True)


def test_dashboard_shows_progress_and_next_module(learner_client, db, people, course):
    post(learner_client, "/kursus/dasar/mulai", page="/")
    post(learner_client, "/kursus/dasar/penutup/selesai", page="/kursus/dasar/penutup")
    page = learner_client.get("/").get_data(as_text=True)
    assert 'value="50"' in page and "50%" in page
    assert "Berikutnya: Pengantar" in page and "Berjalan" in page


def test_module_page_has_content_and_neighbours(learner_client):
    page = learner_client.get("/kursus/dasar/pengantar").get_data(as_text=True)
    assert '<p class="callout-title">Tips</p>' in page
    assert 'href="/kursus/dasar/penutup"' in page
    assert "Kerjakan kuis" in page


def test_module_without_quiz_is_marked_done(learner_client, db, people):
    response = post(learner_client, "/kursus/dasar/penutup/selesai",
                    page="/kursus/dasar/penutup")
    assert response.status_code == 302
    state = db.session.scalars(select(ModuleProgress)).one()
    assert state.completed_at is not None and state.employee_id == people["learner"].id


def test_module_with_quiz_cannot_be_marked_done(learner_client, db):
    response = post(learner_client, "/kursus/dasar/pengantar/selesai",
                    page="/kursus/dasar/pengantar")
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ModuleProgress)) == 0


def test_quiz_page_never_shows_the_key(learner_client, db, course):
    url = start_quiz(learner_client)
    page = learner_client.get(url).get_data(as_text=True)
    for q in course.modules[0].questions:
        assert q.explanation_html not in page
    assert "Penjelasan" not in page and "Frasa panjang" not in page
    assert "one time password" not in page and "kode sekali pakai" not in page
    assert not re.search(r"correct|benar\b=|data-answer", page, re.I)
    assert 'type="checkbox"' in page and 'type="radio"' in page and 'type="text"' in page


def _pin_draw(db, url, orders):
    """Give the attempt a known shuffled order: {question key: option order}."""
    attempt = db.session.get(QuizAttempt, int(url.rsplit("/", 1)[1]))
    by_id = {q.id: q for q in attempt.module.questions}
    attempt.drawn = [{**d, "o": orders.get(by_id[d["q"]].key, d["o"])} for d in attempt.drawn]
    db.session.commit()
    return {q.key: q for q in by_id.values()}


def test_option_values_on_the_quiz_page_are_display_positions(learner_client, db, course):
    """Shuffled options carry their place on the page as value, not their index in the
    course file, so the HTML does not give the key away (the right option of
    'sandi-kuat' is index 1 in the file)."""
    course.modules[0].shuffle = True
    db.session.commit()
    url = start_quiz(learner_client)
    questions = _pin_draw(db, url, {"sandi-kuat": [2, 1, 0], "kebiasaan-aman": [1, 2, 0]})
    page = learner_client.get(url).get_data(as_text=True)
    for key, labels in (("sandi-kuat", ["Tanggal lahir", "kopi-pagi-hujan-sepeda", "123456"]),
                        ("kebiasaan-aman", ["Berbagi OTP", "Memakai frasa sandi",
                                            "Mengunci layar"])):
        field = f"q{questions[key].id}"
        values = re.findall(rf'name="{field}" value="([^"]*)"', page)
        assert values == ["0", "1", "2"]
        shown = re.findall(rf'<label class="option" for="{field}-(\d)">.*?'
                           r'<span class="option-text">(.*?)</span>', page, re.S)
        assert [n for n, _ in shown] == values
        assert [re.sub("<[^>]+>", "", html) for _, html in shown] == labels
    # Ticking what the page shows grades right: the right option stands at position 1,
    # the two safe habits at 1 and 2 ...
    form = {f"q{questions['sandi-kuat'].id}": ["1"],
            f"q{questions['kebiasaan-aman'].id}": ["1", "2"],
            f"q{questions['otp-bank'].id}": ["1"],
            f"q{questions['singkatan-otp'].id}": ["kode sekali pakai"]}
    assert post(learner_client, url, form).headers["Location"] == url + "/hasil"
    page = learner_client.get(url + "/hasil").get_data(as_text=True)
    assert "4 dari 4 benar (nilai 100)" in page
    stored = {a.question_id: a.response for a in db.session.scalars(select(AttemptAnswer))}
    assert stored[questions["sandi-kuat"].id] == ["1"]  # the course file's index
    assert sorted(stored[questions["kebiasaan-aman"].id]) == ["0", "2"]
    # ... and the file's index of the right option is a wrong answer on this page.
    second = start_quiz(learner_client)
    _pin_draw(db, second, {"sandi-kuat": [2, 0, 1], "kebiasaan-aman": [1, 2, 0]})
    form[f"q{questions['sandi-kuat'].id}"] = ["1"]  # here: 123456
    post(learner_client, second, form)
    page = learner_client.get(second + "/hasil").get_data(as_text=True)
    assert "3 dari 4 benar (nilai 75)" in page


def test_passing_the_quiz_completes_the_module_and_course(learner_client, db, people):
    url = start_quiz(learner_client)
    response = post(learner_client, url, answer_form(db, url))
    assert response.status_code == 302 and response.headers["Location"] == url + "/hasil"
    result = learner_client.get(url + "/hasil").get_data(as_text=True)
    assert "4 dari 4 benar (nilai 100)" in result and "Lulus" in result
    assert "Frasa panjang sulit ditebak." in result  # explanations after grading
    post(learner_client, "/kursus/dasar/penutup/selesai", page="/kursus/dasar/penutup")
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.completed_at is not None and enrollment.jp_awarded == 2
    assert "100%" in learner_client.get("/").get_data(as_text=True)


def test_failing_then_retrying_within_the_limit(learner_client, db):
    url = start_quiz(learner_client)
    post(learner_client, url, answer_form(db, url, right=False))
    result = learner_client.get(url + "/hasil").get_data(as_text=True)
    assert "Belum lulus" in result and "Coba lagi" in result
    second = start_quiz(learner_client)
    assert second != url
    post(learner_client, second, answer_form(db, second, right=False))
    result = learner_client.get(second + "/hasil").get_data(as_text=True)
    assert "Coba lagi" not in result  # attempts: 2
    response = post(learner_client, "/kursus/dasar/pengantar/kuis",
                    page="/kursus/dasar/pengantar")
    assert response.headers["Location"] == "/kursus/dasar/pengantar"
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 2


def test_double_submit_grades_once(learner_client, db):
    url = start_quiz(learner_client)
    form = answer_form(db, url)
    token = csrf_token(learner_client, url)
    first = learner_client.post(url, data={**form, "csrf_token": token})
    again = learner_client.post(url, data={**form, "csrf_token": token})  # back + resubmit
    assert first.headers["Location"] == again.headers["Location"] == url + "/hasil"
    assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 4
    assert db.session.scalar(select(func.count(QuizAttempt.id))) == 1


@pytest.mark.parametrize("tamper", ["unknown option", "foreign question"])
def test_tampered_answers_get_400_and_record_nothing(learner_client, db, tamper):
    url = start_quiz(learner_client)
    form = answer_form(db, url)
    field = next(k for k, v in form.items() if isinstance(v, list) and len(v) == 1)
    if tamper == "unknown option":
        form[field] = ["42"]
    else:
        form["q987654"] = ["0"]
    assert post(learner_client, url, form).status_code == 400
    attempt = db.session.scalars(select(QuizAttempt)).one()
    assert attempt.submitted_at is None
    assert db.session.scalar(select(func.count(AttemptAnswer.id))) == 0


def test_unanswered_question_is_pointed_out(learner_client, db):
    url = start_quiz(learner_client)
    form = answer_form(db, url)
    form.pop(next(iter(form)))
    response = post(learner_client, url, form)
    assert response.status_code == 200
    assert "Soal yang belum dijawab: 1." in response.get_data(as_text=True)
    assert db.session.scalars(select(QuizAttempt)).one().submitted_at is None


def test_other_learners_attempts_are_invisible(client, db, people, course):
    login(client, people["learner"].nip)
    url = start_quiz(client)
    post(client, url, answer_form(db, url))
    post(client, "/keluar", page="/")
    login(client, people["other"].nip)
    assert client.get(url).status_code == 404
    assert client.get(url + "/hasil").status_code == 404
    assert post(client, url, answer_form(db, url), page="/").status_code == 404


def test_pages_need_login(client, course):
    for url in ("/", "/katalog", "/kursus/dasar", "/kursus/dasar/pengantar", "/kuis/1"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith(
            "/masuk?next="), url


def test_unknown_course_and_module_are_404(learner_client):
    assert learner_client.get("/kursus/tidak-ada").status_code == 404
    assert learner_client.get("/kursus/dasar/tidak-ada").status_code == 404


def test_images_are_served_from_the_database(learner_client, db):
    from lms.models import Asset
    asset = db.session.scalars(select(Asset)).one()
    response = learner_client.get(f"/aset/{asset.sha256}/alur.svg")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert learner_client.get("/aset/" + "0" * 64 + "/x.svg").status_code == 404


def test_catalogue_lists_published_courses(learner_client, db, course):
    assert "Dasar Uji" in learner_client.get("/katalog").get_data(as_text=True)
    course.published = False
    db.session.commit()
    assert "Dasar Uji" not in learner_client.get("/katalog").get_data(as_text=True)
    assert learner_client.get("/kursus/dasar").status_code == 404


def test_my_data_shows_my_record_and_history_only(learner_client, db, people, course):
    post(learner_client, "/kursus/dasar/penutup/selesai", page="/kursus/dasar/penutup")
    page = learner_client.get("/data-saya").get_data(as_text=True)
    assert "198609262015051001" in page and "Rina Sari" in page and "Dasar Uji" in page
    assert "Budi Santoso" not in page and people["other"].nip not in page


def test_result_shows_the_score_that_decided(learner_client, db, people, tmp_path):
    """5 of 8 right is 62.5: shown as 63 (half up), which passes a mark of 63 and not 64;
    the page says how many answers were right and how many are needed."""
    from lms.learning import quiz
    from tests.support import eighths
    module = eighths.make_course(db, tmp_path).current_modules[0]
    module.pass_mark = 63
    attempt = quiz.start(db.session, people["learner"].id, module)
    quiz.grade(db.session, attempt, eighths.responses(attempt, module, 5))
    db.session.commit()
    page = learner_client.get(f"/kuis/{attempt.id}/hasil").get_data(as_text=True)
    assert "5 dari 8 benar (nilai 63)" in page and "Belum lulus" not in page
    module.pass_mark = 64
    attempt = quiz.start(db.session, people["learner"].id, module)
    quiz.grade(db.session, attempt, eighths.responses(attempt, module, 5))
    db.session.commit()
    page = learner_client.get(f"/kuis/{attempt.id}/hasil").get_data(as_text=True)
    assert "5 dari 8 benar (nilai 63)" in page and "Belum lulus" in page
    assert "Anda perlu nilai minimal 64: paling sedikit 6 dari 8 jawaban benar." in page
