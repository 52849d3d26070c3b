from datetime import UTC, datetime

from sqlalchemy import select

from lms.core import clock
from lms.learning import progress
from lms.models import Enrollment


def test_course_completes_when_all_current_modules_are_done(db, course, people):
    learner = people["learner"]
    first, second = course.current_modules
    at = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)
    progress.complete_module(db.session, learner.id, first, at=at)
    enrollment = db.session.scalars(select(Enrollment)).one()
    assert enrollment.completed_at is None
    [row] = progress.learner_courses(db.session, learner.id, [course])
    assert (row.done, row.total, row.percent, row.status) == (1, 2, 50, "in_progress")
    assert row.next_module.key == "penutup"
    progress.complete_module(db.session, learner.id, second, at=at)
    db.session.commit()
    assert enrollment.completed_at == at and enrollment.jp_awarded == 2
    [row] = progress.learner_courses(db.session, learner.id, [course])
    assert (row.percent, row.status, row.next_module) == (100, "completed", None)


def test_completing_twice_keeps_the_first_date(db, course, people):
    learner = people["learner"]
    module = course.current_modules[1]
    first = progress.complete_module(db.session, learner.id, module).completed_at
    again = progress.complete_module(db.session, learner.id, module).completed_at
    assert first == again


def test_retired_module_no_longer_blocks_completion(db, course, people):
    learner = people["learner"]
    first, second = course.current_modules
    progress.complete_module(db.session, learner.id, first)
    second.retired_at = clock.now()
    db.session.flush()
    assert progress.module_counts(db.session, learner.id, [course.id])[course.id] == (1, 1)


def test_enroll_is_idempotent(db, course, people):
    a = progress.enroll(db.session, people["learner"].id, course)
    b = progress.enroll(db.session, people["learner"].id, course)
    assert a.id == b.id


def test_progress_is_per_learner(db, course, people):
    progress.complete_module(db.session, people["learner"].id, course.current_modules[0])
    [row] = progress.learner_courses(db.session, people["other"].id, [course])
    assert (row.enrollment, row.done, row.status) == (None, 0, "not_started")
