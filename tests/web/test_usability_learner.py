"""Issue 16, learners: the result in answers and a score, ticks and crosses with "the
right answer" in the review, and a kind word beside overdue courses."""

import re
from datetime import date, datetime

from lms.core.clock import JAKARTA
from lms.mandatory import assignments
from tests.web.test_learning import answer_form, post, start_quiz


def test_result_says_how_many_were_right_and_marks_the_review(course, as_learner, db):
    url = start_quiz(as_learner)
    form = answer_form(db, url)
    wrong_tf = next(k for k, v in form.items() if v == ["1"] or v == ["0"])  # any option q
    form[wrong_tf] = ["2"] if form[wrong_tf] != ["2"] else ["0"]
    post(as_learner, url, form)
    page = as_learner.get(url + "/hasil").get_data(as_text=True)
    assert re.search(r'<p class="score">3 dari 4 benar \(nilai 75\)</p>', page)
    assert page.count("jawaban Anda tepat") == 3 and page.count("jawaban Anda belum tepat") == 1
    assert page.count('aria-hidden="true">✗</span>') >= 1  # the wrong choice, crossed
    assert "jawaban yang tepat" in page
    # The marks never say "benar" (right) beside an option: a true-or-false option reads
    # "Salah" (false), and "Salah ... benar" would confuse.
    review = page[page.index("Jawaban Anda</h2>"):]
    marks = re.findall(r'class="(?:tag|mark)[^"]*">([^<]*)<', review)
    assert set(marks) >= {"pilihan Anda", "jawaban yang tepat"}
    assert not [m for m in marks if "benar" in m.lower()]


def test_a_first_time_learner_with_overdue_courses_is_told_what_to_do(client, db, org,
                                                                      people, course, frozen):
    from tests.support.http import login
    frozen.move_to(datetime(2026, 6, 1, 9, tzinfo=JAKARTA))
    as_learner = client
    people["learner"].created_at = datetime(2026, 1, 5, tzinfo=JAKARTA)  # not new staff
    assignments.create(db.session, course=course, due_date=date(2026, 5, 1), opd=org["kec"],
                       by=None)
    db.session.commit()
    login(client, people["learner"].nip)
    page = as_learner.get("/").get_data(as_text=True)
    assert "Terlambat" in page
    assert ('<p class="kind-word">Selamat datang di Melek! 1 kursus wajib di bawah sudah lewat '
            'batas waktunya. Tidak apa-apa: mulailah dari yang di atas.') in page
    post(as_learner, "/kursus/dasar/mulai", page="/")
    page = as_learner.get("/").get_data(as_text=True)
    assert "Selamat datang di Melek!" not in page
    assert "1 kursus wajib sudah lewat batas waktunya. Belum terlambat" in page


def test_new_staff_see_the_grace_period_not_an_overdue_badge(client, db, org, course,
                                                             frozen):
    from tests.support.factories import make_employee
    from tests.support.http import login
    frozen.move_to(datetime(2026, 3, 1, 9, tzinfo=JAKARTA))
    assignments.create(db.session, course=course, due_date=date(2026, 2, 1), opd=org["kec"],
                       by=None)
    db.session.commit()
    frozen.move_to(datetime(2026, 4, 10, 9, tzinfo=JAKARTA))
    newcomer = make_employee("199707072022011001", org["kel2"], "Rina Baru")
    with assignments.changing(db.session, newcomer):
        pass
    db.session.commit()
    login(client, newcomer.nip)
    page = client.get("/").get_data(as_text=True)
    assert "Terlambat" not in page and "kind-word" not in page
    assert "10 Mei 2026" in page  # joined 10 April, plus 30 days
