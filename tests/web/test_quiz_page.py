"""The quiz page reads its attempt on the connection, from the cached content
(learning.quiz_page): it still shows the drawn questions in their order under the current
titles, follows a module retired or a question moved since the draw, and sends a
submitted attempt to its result."""

import re

from lms.core import clock
from lms.models import Module, Question, QuizAttempt
from tests.support.http import csrf_token, logged_in, right_form, start_attempt


def _shown(page: str) -> list[str]:
    return re.findall(r'<fieldset class="card question"[^>]*>.*?name="(q\d+)"', page, re.S)


def _start(app, people, course):
    learner = logged_in(app, people["learner"].nip)
    learner.post("/kursus/dasar/mulai", data={"csrf_token": csrf_token(learner, "/")})
    return learner, start_attempt(learner)


def _drawn(db, url) -> list[str]:
    attempt = db.session.get(QuizAttempt, int(url.rsplit("/", 1)[1]))
    return [f"q{d['q']}" for d in attempt.drawn]


def test_the_drawn_questions_in_order_under_current_titles(app, db, people, course):
    learner, url = _start(app, people, course)
    page = learner.get(url).get_data(as_text=True)
    assert _shown(page) == _drawn(db, url) and len(_shown(page)) >= 2
    assert "Kuis: Pengantar" in page and "Dasar Uji" in page
    module = db.session.scalars(db.select(Module).filter_by(course_id=course.id,
                                                            key="pengantar")).one()
    module.title = "Pengantar yang baru"
    db.session.commit()
    assert "Kuis: Pengantar yang baru" in learner.get(url).get_data(as_text=True)


def test_a_module_retired_since_the_draw_still_shows(app, db, people, course):
    learner, url = _start(app, people, course)
    module = db.session.scalars(db.select(Module).filter_by(course_id=course.id,
                                                            key="pengantar")).one()
    module.retired_at = clock.now()
    db.session.commit()
    page = learner.get(url)
    assert page.status_code == 200
    assert _shown(page.get_data(as_text=True)) == _drawn(db, url)


def test_a_question_moved_since_the_draw_still_shows(app, db, people, course):
    learner, url = _start(app, people, course)
    [first, *_] = _drawn(db, url)
    other = db.session.scalars(db.select(Module).filter_by(course_id=course.id,
                                                           key="penutup")).one()
    db.session.get(Question, int(first[1:])).module_id = other.id
    db.session.commit()
    page = learner.get(url).get_data(as_text=True)
    assert _shown(page) == _drawn(db, url)


def test_a_submitted_attempt_goes_to_its_result(app, db, people, course):
    learner, url = _start(app, people, course)
    form = right_form(db, url)
    form["csrf_token"] = csrf_token(learner, url)
    assert learner.post(url, data=form).status_code == 302
    again = learner.get(url)
    assert again.status_code == 302 and again.headers["Location"].endswith(url + "/hasil")


def test_nobody_else_opens_it(app, people, course):
    _learner, url = _start(app, people, course)
    other = logged_in(app, people["other"].nip)
    assert other.get(url).status_code == 404
