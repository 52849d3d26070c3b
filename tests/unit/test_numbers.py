"""One home for percentages (rounded half up), the quiz pass rule and course statuses:
Python and SQL give the same answers over the same data."""

import itertools
from datetime import date, datetime, time, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import and_, literal, select, union_all

from lms.core import numbers
from lms.core.clock import JAKARTA
from lms.hr import lists
from lms.hr.queries import Counts
from lms.learning import progress, quiz
from lms.mandatory import assignments
from lms.models import Employee, Enrollment, Requirement
from lms.studio.analysis.figures import Group
from lms.studio.analysis.results import ModuleFunnel, QuizSummary
from tests.support import eighths
from tests.support.factories import make_employee


def half_up(part: int, whole: int) -> int:
    """The rule, spelled out with exact fractions."""
    exact = Fraction(100 * part, whole)
    return int(exact) + (exact - int(exact) >= Fraction(1, 2))


def test_percent_rounds_half_up():
    assert numbers.percent(1, 8) == 13  # 12.5; Python's round() says 12
    assert numbers.percent(5, 8) == 63  # 62.5; round() says 62
    assert numbers.percent(1, 3) == 33 and numbers.percent(2, 3) == 67
    assert numbers.percent(0, 0) is None and numbers.percent(0, 5) == 0
    for whole in range(1, 41):
        for part in range(whole + 1):
            assert numbers.percent(part, whole) == half_up(part, whole), (part, whole)


def test_percent_sql_matches_python(db):
    n = union_all(*(select(literal(i).label("i")) for i in range(41))).subquery()
    parts, wholes = n.alias("parts"), n.alias("wholes")
    got = db.session.execute(select(parts.c.i, wholes.c.i,
                                    numbers.percent_sql(parts.c.i, wholes.c.i))
                             .where(parts.c.i <= wholes.c.i)).all()
    assert len(got) == 41 * 42 // 2
    for p, w, value in got:
        assert value == (numbers.percent(p, w) if w else None), (p, w)


def test_every_report_percentage_uses_the_rule():
    assert Counts(assigned=8, completed=1).percent == 13
    row = lists.DetailRow(0, "", "", "", "", "", "", 0, "", date(2026, 1, 1), None, None, 1,
                          None, 8, progress.IN_PROGRESS)
    assert row.percent == 13
    assert Group("x", learners=8, hits=1).percent == 13
    assert Group("x", learners=2, hits=1, score_sum=125).mean_score == 63  # 62.5
    assert QuizSummary(None, learners=8, first_passed=1, first_score_sum=500).pass_percent == 13
    assert QuizSummary(None, learners=8, first_score_sum=500).mean_score == 63
    assert ModuleFunnel(1, None, started=8, finished=1).finished_percent == 13
    assert progress.CourseProgress(None, None, 1, 8, None, today=date(2026, 1, 1)
                                   ).percent == 13


def test_pass_rule_compares_the_score_as_shown():
    assert numbers.reaches_mark(5, 8, 63) and not numbers.reaches_mark(5, 8, 64)
    assert numbers.reaches_mark(7, 10, 70) and not numbers.reaches_mark(6, 10, 70)
    assert numbers.needed_right(8, 63) == 5 and numbers.needed_right(8, 64) == 6
    assert numbers.needed_right(10, 70) == 7
    for total in range(1, 30):
        for mark in range(1, 101):
            need = numbers.needed_right(total, mark)
            assert numbers.reaches_mark(need, total, mark)
            assert need == 0 or not numbers.reaches_mark(need - 1, total, mark)


@pytest.mark.parametrize(("right", "mark", "score", "passed"), [
    (5, 63, 63, True),  # 62.5 shows as 63: round() made it 62, and it failed
    (5, 64, 63, False),
    (7, 88, 88, True),  # 87.5 -> 88
    (6, 76, 75, False),
    (6, 75, 75, True),
])
def test_grade_scores_half_up_and_passes_on_the_score_shown(db, people, tmp_path, right,
                                                             mark, score, passed):
    course = eighths.make_course(db, tmp_path)
    module = course.current_modules[0]
    module.pass_mark = mark
    learner = people["learner"]
    attempt = quiz.start(db.session, learner.id, module)
    quiz.grade(db.session, attempt, eighths.responses(attempt, module, right))
    db.session.commit()
    assert (attempt.score, attempt.passed) == (score, passed)


def test_python_and_sql_statuses_agree(db, org, course):
    """Every mix of enrolled / completed and due yesterday / today / tomorrow / never,
    decided by progress.course_status and by the SQL the lists filter and sort on."""
    today = date(2026, 12, 31)
    first, second = course.current_modules
    cases = list(itertools.product((False, True), (False, True),
                                   (today - timedelta(1), today, today + timedelta(1), None)))
    made = []
    for i, (enrolled, completed, due) in enumerate(cases):
        if completed and not enrolled:
            continue
        person = make_employee(f"19900101201501{i:04d}", org["kel1"], f"P{i}")
        if enrolled:
            progress.enroll(db.session, person.id, course)
        if completed:
            at = datetime.combine(today, time(9), JAKARTA)
            for module in (first, second):
                progress.complete_module(db.session, person.id, module, at)
        if due is not None:
            db.session.add(Requirement(employee_id=person.id, course_id=course.id,
                                       due_date=due, opd_id=person.opd_id))
        made.append(person.id)
    db.session.flush()
    query = (select(Employee.id, Enrollment.id, Enrollment.completed_at, Requirement.due_date,
                    lists.status_expr(today))
             .select_from(Employee)
             .outerjoin(Enrollment, and_(Enrollment.employee_id == Employee.id,
                                         Enrollment.course_id == course.id))
             .outerjoin(Requirement, and_(Requirement.employee_id == Employee.id,
                                          Requirement.course_id == course.id))
             .where(Employee.id.in_(made)))
    seen = set()
    for _id, enrolment, completed_at, due, in_sql in db.session.execute(query):
        in_python = progress.course_status(enrolled=enrolment is not None,
                                           completed=completed_at is not None,
                                           due_date=due, today=today)
        assert in_sql == in_python, (enrolment, completed_at, due)
        seen.add(in_python)
    assert seen == {progress.NOT_STARTED, progress.IN_PROGRESS, progress.COMPLETED,
                    progress.OVERDUE}
    # The learner's pages use the same function through CourseProgress.
    rows = progress.learner_courses(db.session, made[1], [course], today=today)
    assert rows[0].status == progress.course_status(
        enrolled=rows[0].enrollment is not None, completed=False,
        due_date=rows[0].due_date, today=today)


def test_learner_courses_knows_today_without_being_told(db, org, people, course, frozen):
    frozen.move_to(datetime(2026, 12, 2, 10, tzinfo=JAKARTA))
    people["learner"].created_at = datetime(2026, 1, 5, tzinfo=JAKARTA)  # no new-staff grace
    assignments.create(db.session, course=course, due_date=date(2026, 12, 1),
                       opd=org["kec"], by=None)
    progress.enroll(db.session, people["learner"].id, course)
    db.session.commit()
    [row] = progress.learner_courses(db.session, people["learner"].id, [course])
    assert row.status == progress.OVERDUE
