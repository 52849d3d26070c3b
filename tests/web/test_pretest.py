"""Pre-test over HTTP: offered before module 1, taken once or skipped, kept out of quiz
attempts, best scores, completion and the item analysis; the post-test's parallel form;
test-out and its JP; learning gain for trainers and HR with small groups hidden."""

import pytest
from sqlalchemy import func, select

from lms.models import (
    AttemptAnswer,
    Enrollment,
    JpYear,
    ModuleProgress,
    PretestAttempt,
    QuizAttempt,
)
from lms.pretest import parallel
from lms.studio import ownership
from tests.support.factories import make_employee
from tests.support.http import login, table_rows
from tests.support.pretest import make_course, post, take_final, take_pretest


@pytest.fixture
def course(db, tmp_path):
    return make_course(db, tmp_path)


@pytest.fixture
def learner(client, people, course):
    assert login(client, people["learner"].nip).status_code == 302
    return client


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_starting_the_course_offers_the_pretest_before_module_1(learner):
    response = post(learner, "/kursus/uji-pre/mulai")
    assert response.headers["Location"] == "/pre-test/uji-pre"
    page = learner.get("/pre-test/uji-pre").get_data(as_text=True)
    assert "/pre-test/uji-pre/mulai" in page and "/pre-test/uji-pre/lewati" in page


def test_the_pretest_is_drawn_from_the_final_quiz_and_kept_apart(learner, db, people, course):
    attempt = take_pretest(learner, db, people["learner"], right=1)
    final = course.current_modules[-1]
    assert len(attempt.drawn) == 3
    assert {d["q"] for d in attempt.drawn} <= {q.id for q in final.current_questions}
    assert attempt.score == 33 and len(attempt.answers) == 3
    # No quiz attempt, answer for the item analysis, best score or completion.
    assert count(db, QuizAttempt) == 0 and count(db, AttemptAnswer) == 0
    assert count(db, ModuleProgress) == 0
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.score is None and enrollment.modules_done == 0
    # The result page tells right from wrong but never the key or the explanations.
    page = learner.get("/pre-test/uji-pre/hasil").get_data(as_text=True)
    assert "rahasia-kunci" not in page and "33" in page


def test_the_pretest_is_taken_once(learner, db, people):
    take_pretest(learner, db, people["learner"], right=3)
    assert post(learner, "/pre-test/uji-pre/mulai").headers["Location"] == \
        "/pre-test/uji-pre/soal"
    assert learner.get("/pre-test/uji-pre/soal").headers["Location"] == \
        "/pre-test/uji-pre/hasil"
    assert learner.get("/pre-test/uji-pre").headers["Location"] == "/pre-test/uji-pre/hasil"
    assert count(db, PretestAttempt) == 1
    # It keeps the unit the learner worked in, which the gain figures group by: a move
    # later does not carry the result to the new unit.
    attempt = db.session.scalars(select(PretestAttempt)).one()
    assert attempt.opd_id == people["learner"].opd_id


def test_skipping_never_blocks_and_is_not_offered_again(learner, db):
    post(learner, "/kursus/uji-pre/mulai")
    response = post(learner, "/pre-test/uji-pre/lewati")
    assert response.headers["Location"] == "/kursus/uji-pre/bacaan"
    assert db.session.scalars(select(PretestAttempt)).one().skipped
    assert learner.get("/pre-test/uji-pre").headers["Location"] == "/kursus/uji-pre"
    assert post(learner, "/pre-test/uji-pre/mulai").headers["Location"] == "/kursus/uji-pre"
    assert count(db, PretestAttempt) == 1
    # The modules open as usual.
    assert learner.get("/kursus/uji-pre/bacaan").status_code == 200


def test_not_offered_once_the_learner_has_begun(learner, db):
    post(learner, "/kursus/uji-pre/bacaan/selesai")
    assert learner.get("/pre-test/uji-pre").headers["Location"] == "/kursus/uji-pre"
    assert post(learner, "/pre-test/uji-pre/mulai").headers["Location"] == "/kursus/uji-pre"
    assert count(db, PretestAttempt) == 0


def test_the_first_final_quiz_attempt_avoids_the_pretest_items(learner, db, people):
    pre = take_pretest(learner, db, people["learner"], right=0)
    post(learner, "/kursus/uji-pre/bacaan/selesai")
    final = take_final(learner, db, people["learner"], right=0)
    assert not {d["q"] for d in final.drawn} & {d["q"] for d in pre.drawn}
    page = learner.get("/kursus/uji-pre").get_data(as_text=True)
    assert "Kenaikan: +0 poin" in page


def test_test_out_completes_the_course_with_jp_for_the_minutes_done(learner, db, people,
                                                                    course):
    take_pretest(learner, db, people["learner"], right=2)  # 67, test_out 60
    response = post(learner, "/pre-test/uji-pre/tes-keluar")
    assert response.headers["Location"] == "/kursus/uji-pre/kuis-akhir"
    done = db.session.scalar(select(func.count()).select_from(ModuleProgress).where(
        ModuleProgress.completed_at.is_not(None)))
    assert done == 2
    take_final(learner, db, people["learner"], right=3)
    assert db.session.scalars(select(PretestAttempt)).one().post_score == 100
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.completed_at is not None
    assert enrollment.jp_awarded == 0  # 10 minutes done of 60: floor(10 / 45)
    assert db.session.scalar(select(func.sum(JpYear.jp))) in (None, 0)


def test_without_test_out_the_full_jp_is_credited(learner, db, people):
    take_pretest(learner, db, people["learner"], right=3)
    post(learner, "/kursus/uji-pre/bacaan/selesai")
    response = post(learner, "/kursus/uji-pre/bagian/kuis")
    attempt = db.session.get(QuizAttempt, int(response.headers["Location"].rsplit("/", 1)[1]))
    from lms.models import Question
    q = db.session.get(Question, attempt.drawn[0]["q"])
    post(learner, f"/kuis/{attempt.id}", {f"q{q.id}": str(attempt.drawn[0]["o"].index(0))})
    take_final(learner, db, people["learner"], right=3)
    assert db.session.scalars(select(Enrollment)).one().jp_awarded == 1


def test_test_out_is_refused_below_the_score(learner, db, people):
    take_pretest(learner, db, people["learner"], right=1)  # 33 < 60
    page = learner.get("/pre-test/uji-pre/hasil").get_data(as_text=True)
    assert "/pre-test/uji-pre/tes-keluar" not in page
    assert post(learner, "/pre-test/uji-pre/tes-keluar").status_code == 409
    assert count(db, ModuleProgress) == 0


# --- learning gain ---------------------------------------------------------------------

def _learners(db, org, course, where, pre_post):
    """Learners in `where` with a pre-test and a first final-quiz attempt, written as the
    pages would leave them."""
    final = course.current_modules[-1]
    for i, (pre, post_score) in enumerate(pre_post):
        nip = f"19900101201501{where.id:02d}{i:02d}"
        person = make_employee(nip, where)
        db.session.add(PretestAttempt(employee_id=person.id, course_id=course.id,
                                      opd_id=person.opd_id, module_id=final.id, drawn=[], score=pre,
                                      submitted_at=course.updated_at))
        db.session.flush()
        for score in (post_score, 100):  # graded in turn: the retake never counts
            attempt = QuizAttempt(employee_id=person.id, module_id=final.id, drawn=[],
                                  score=score, passed=score >= 70,
                                  submitted_at=course.updated_at)
            db.session.add(attempt)
            db.session.flush()
            parallel.record_post(db.session, attempt)
    db.session.commit()


def test_trainers_see_gain_by_opd_with_small_groups_hidden(client, db, org, people, course):
    _learners(db, org, course, org["kel1"], [(40, 80), (60, 90), (20, 60), (80, 100),
                                             (50, 70)])
    _learners(db, org, course, org["aptika"], [(10, 90), (20, 30)])
    ownership.add_owner(db.session, course, people["trainer"])
    db.session.commit()
    login(client, people["trainer"].nip)
    page = client.get("/studio/uji-pre/capaian").get_data(as_text=True)
    rows = table_rows(page)
    # Whole course: 7 learners, pre 280 (40.0), post 520 (74.3), g = 240 / 420 = 0.57
    assert rows["Uji Pre-test"] == ["7", "40,0", "74,3", "+34,3", "0,57"]
    # Kecamatan (5) is shown; Diskominfo (2) is hidden, and so is the next smallest
    # (Kecamatan), else the total minus Kecamatan would give Diskominfo away.
    assert rows["Dinas Komunikasi dan Informatika"] == ["kurang dari 5"]
    assert rows["Kecamatan Pamulang"] == ["disembunyikan untuk melindungi kelompok kecil"]
    assert rows["OPD yang disembunyikan (digabung)"] == ["7", "40,0", "74,3", "+34,3", "0,57"]
    assert "/studio/uji-pre/capaian" in client.get("/studio/uji-pre/statistik").get_data(
        as_text=True)


def test_hr_sees_gain_inside_its_scope(client, db, org, people, course):
    _learners(db, org, course, org["kel1"], [(40, 80), (60, 90), (20, 60), (80, 100),
                                             (50, 70)])
    _learners(db, org, course, org["kel2"], [(0, 100)] * 5)
    _learners(db, org, course, org["aptika"], [(10, 90)] * 6)
    login(client, people["hr_kec"].nip)
    page = client.get("/laporan/kursus/uji-pre/capaian").get_data(as_text=True)
    rows = table_rows(page)
    # Kecamatan Pamulang only: Aptika (outside the scope) is not counted.
    assert rows["Kecamatan Pamulang"][0] == "10"
    assert rows["Kelurahan Benda Baru"] == ["5", "50,0", "80,0", "+30,0", "0,60"]
    assert rows["Kelurahan Pondok Benda"] == ["5", "0,0", "100,0", "+100,0", "1,00"]
    assert client.get("/laporan/kursus/uji-pre/capaian?opd=DISKOMINFO").status_code == 404
    assert client.get("/laporan/kursus/uji-pre").status_code == 200
    assert "/laporan/kursus/uji-pre/capaian" in client.get(
        "/laporan/kursus/uji-pre").get_data(as_text=True)


def test_gain_pages_are_for_trainers_and_hr_only(client, people, course):
    login(client, people["learner"].nip)
    assert client.get("/studio/uji-pre/capaian").status_code == 403
    assert client.get("/laporan/kursus/uji-pre/capaian").status_code == 403


def test_a_course_with_both_asks_confidence_then_offers_the_pretest(client, db, people):
    """The shipped keamanan-akun asks its confidence question and has a pre-test: the
    question comes first, then the offer, then module 1."""
    from pathlib import Path

    from lms.content.sync import sync

    assert sync(Path(__file__).parents[2] / "courses", db.session).ok
    db.session.commit()
    assert login(client, people["learner"].nip).status_code == 302
    started = post(client, "/kursus/keamanan-akun/mulai")
    question = started.headers["Location"]
    assert question.startswith("/evaluasi/keamanan-akun"), question
    answered = post(client, question, {"nilai": "2"}, page=question)
    assert answered.headers["Location"] == "/pre-test/keamanan-akun"
