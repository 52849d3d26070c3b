"""Studio statistics pages: for the course's owners (and admins) only, figures without
any learner's name or NIP."""

from datetime import timedelta

import pytest

from lms.core import clock
from lms.models import AttemptAnswer, QuizAttempt
from lms.studio import ownership
from tests.support.factories import make_employee
from tests.support.http import csrf_token, login, table_rows


@pytest.fixture
def answered(db, org, people, course):
    """The trainer owns 'dasar'; ten learners took its first quiz once: five in
    Diskominfo (shown), two in Kecamatan Pamulang and three in BKPSDM (fewer than 5
    each, shown together)."""
    ownership.add_owner(db.session, course, people["trainer"])
    module = course.current_modules[0]
    q1 = {q.key: q for q in module.current_questions}["sandi-kuat"]
    learners = [people["learner"], make_employee("198911112015011005", org["kel2"],
                                                 "Yanti Kel2")]
    learners += [make_employee(f"19920202201501100{i}", org["kominfo"], f"Peserta Rahasia {i}")
                 for i in range(4)] + [people["other"]]
    learners += [make_employee(f"19930303201601100{i}", org["bkpsdm"], f"Pegawai Badan {i}")
                 for i in range(3)]
    now = clock.now()
    for i, (person, score, choice) in enumerate(zip(
            learners, [100, 80, 90, 60, 40, 30, 20, 50, 50, 50],
            ["1", "1", "1", "0", "1", "2", "0", "1", "0", "0"],
            strict=True)):
        attempt = QuizAttempt(employee_id=person.id, module_id=module.id, drawn=[],
                              submitted_at=now + timedelta(minutes=i), score=score,
                              passed=score >= module.pass_mark)
        db.session.add(attempt)
        db.session.flush()
        db.session.add(AttemptAnswer(attempt_id=attempt.id, question_id=q1.id,
                                     question_version=q1.version, response=[choice],
                                     correct=choice == "1"))
    db.session.commit()
    return {"learners": learners, "module": module, "q1": q1}


def in_english(client, nip):
    """Log in and pick English, so pages can be compared with the source strings."""
    login(client, nip)
    client.post("/bahasa", data={"lang": "en", "csrf_token": csrf_token(client, "/"),
                                 "next": "/"})


def text(response):
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_owner_sees_course_and_quiz_figures(client, people, answered):
    in_english(client, people["trainer"].nip)
    page = text(client.get("/studio/dasar/statistik"))
    assert "Pengantar" in page and "Penutup" in page
    assert "/studio/dasar/statistik/pengantar" in page
    # 10 learners, 10 attempts; first attempts passed (mark 75): 100, 80, 90 -> 30%;
    # mean (100+80+90+60+40+30+20+50+50+50)/10 = 57.
    assert '<td class="num">10</td><td class="num">10</td>' in page
    assert "30%" in page and '<td class="num">57</td>' in page

    page = text(client.get("/studio/dasar/statistik/pengantar"))
    q1 = answered["q1"]
    assert q1.prompt_html in page and q1.options[1] in page   # display HTML, unescaped
    # Q1: 5 of 10 right (50%); options chosen 4, 5, 1 times.
    assert "50% (5 / 10)" in page
    assert '<td class="num">4</td>' in page and '<td class="num">5</td>' in page
    rows = table_rows(page.split("<h2>", 3)[3])               # Q1's OPD table
    # Diskominfo: 5 learners (Aptika's Budi among them), right: 90, 40 (Peserta 0, 2)
    assert rows["Dinas Komunikasi dan Informatika"] == ["5", "40%"]
    assert rows["Kecamatan Pamulang"] == ["fewer than 5"]    # 2 learners
    assert rows["BKPSDM"] == ["fewer than 5"]                # 3 learners
    assert rows["Hidden OPDs together"] == ["5", "60%"]       # 100, 80, 50 right
    assert "Not enough answers yet" in page                   # 10 < 20
    assert "style=" not in page and "<script" not in page     # strict CSP


def test_no_learner_names_or_nips_on_the_pages(client, people, answered):
    login(client, people["trainer"].nip)
    pages = text(client.get("/studio/dasar/statistik")) + text(
        client.get("/studio/dasar/statistik/pengantar"))
    for person in answered["learners"]:
        assert person.name not in pages
        assert person.nip not in pages


def test_other_trainer_and_learner_may_not_see_them(app, db, org, people, answered):
    stranger = make_employee("198001012005011009", org["bkpsdm"], "Trainer Lain",
                             roles=["trainer"])
    db.session.commit()
    for nip in (stranger.nip, people["learner"].nip):
        client = app.test_client()
        login(client, nip)
        assert client.get("/studio/dasar/statistik").status_code == 403
        assert client.get("/studio/dasar/statistik/pengantar").status_code == 403


def test_admin_may_see_them(app, db, org, answered):
    admin = make_employee("197001011995031001", org["bkpsdm"], "Admin", roles=["admin"])
    db.session.commit()
    client = app.test_client()
    login(client, admin.nip)
    assert client.get("/studio/dasar/statistik/pengantar").status_code == 200


def test_unknown_course_module_or_module_without_quiz_is_404(client, people, answered):
    login(client, people["trainer"].nip)
    assert client.get("/studio/tidak-ada/statistik").status_code == 404
    assert client.get("/studio/dasar/statistik/tidak-ada").status_code == 404
    assert client.get("/studio/dasar/statistik/penutup").status_code == 404


def test_pages_work_without_any_answers(client, db, people, course):
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    in_english(client, people["trainer"].nip)
    assert "Nobody has taken this quiz yet" in text(client.get("/studio/dasar/statistik"
                                                               "/pengantar"))
    assert "This course has no quizzes" not in text(client.get("/studio/dasar/statistik"))
