"""The shipped catalogue in courses/: valid, honest keys, and finishable end to end."""

from pathlib import Path

import pytest
from sqlalchemy import select

from lms.content.sync import sync
from lms.content.validate import load
from lms.learning import progress, quiz
from lms.models import Course, Enrollment
from tests.support.factories import make_employee, make_opd

COURSES = Path(__file__).parents[2] / "courses"
SOURCES, PROBLEMS = load(COURSES)


def test_catalogue_has_no_problems():
    # Not even a warning: the shipped courses credit no more JP than their minutes support.
    assert [str(p) for p in PROBLEMS] == []


def test_catalogue_size():
    assert len(SOURCES) >= 13
    assert sum(len(c.modules) for c in SOURCES) >= 65


@pytest.mark.parametrize("course", SOURCES, ids=lambda c: c.slug)
def test_jp_matches_length_and_course_ends_with_a_drawn_final_quiz(app, course):
    minutes = sum(m.minutes for m in course.modules)
    assert minutes >= app.config["JP_MINUTES"], (course.slug, minutes)
    assert course.jp == minutes // app.config["JP_MINUTES"], (course.slug, minutes)
    final = course.modules[-1]
    assert final.quiz.draw and final.quiz.draw < len(final.questions), course.slug
    for module in course.modules[:-1]:
        assert 5 <= module.minutes <= 10, module.rel
        assert 4 <= len(module.questions) <= 6, module.rel


@pytest.mark.parametrize("course", SOURCES, ids=lambda c: c.slug)
def test_every_question_has_exactly_the_answers_it_claims(course):
    for module in course.modules:
        for q in module.questions:
            where = f"{module.rel}:{q.line}"
            assert q.explanation_md.strip(), where
            if q.kind == "text":
                assert q.accepted and all(a.strip() for a in q.accepted), where
                assert not q.options, where
            elif q.kind in ("single", "truefalse"):
                assert len(q.correct) == 1, where
                assert len(q.options) >= 2, where
            else:
                assert q.kind == "multiple", where
                assert q.correct and (len(q.correct) > 1 or q.multiple_flag), where
                assert len(q.correct) < len(q.options), where  # something to leave out
            assert all(0 <= i < len(q.options) for i in q.correct), where


def test_a_new_learner_can_finish_every_course(db):
    report = sync(COURSES, db.session)
    assert report.ok
    learner = make_employee("198609262015051001", make_opd("X", "X"))
    courses = list(db.session.scalars(select(Course)))
    for course in courses:
        progress.enroll(db.session, learner.id, course)
        for module in course.current_modules:
            if not module.has_quiz:
                progress.complete_module(db.session, learner.id, module)
                continue
            attempt = quiz.start(db.session, learner.id, module)
            form = {}
            for d in attempt.drawn:
                q = db.session.get(quiz.Question, d["q"])
                form[f"q{q.id}"] = ([q.answer[0]] if q.kind == "text"  # as the page shows
                                    else [str(d["o"].index(i)) for i in q.answer])
            graded = quiz.grade(db.session, attempt, quiz.read_answers(db.session, attempt,
                                                                       form))
            assert graded.passed, (course.slug, module.key)
    done = {e.course_id: e for e in db.session.scalars(select(Enrollment))}
    assert all(done[c.id].completed_at and done[c.id].jp_awarded == c.jp for c in courses)
