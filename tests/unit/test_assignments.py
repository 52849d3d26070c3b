"""Assignments reach the right people; report counts stay equal to a full recount."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from lms.core.clock import JAKARTA
from lms.learning import jp, progress
from lms.mandatory import assignments, counts
from lms.models import CourseStat, Employee, JpYear, Requirement
from tests.support.counts import assert_counts_match_recount
from tests.support.factories import make_employee

DUE = date(2026, 12, 31)


def required(db, course):
    return {db.session.get(Employee, r.employee_id).nip: r.due_date for r in
            db.session.scalars(select(Requirement).where(Requirement.course_id == course.id))}


def test_assignment_to_a_subtree(db, org, people, course):
    assignments.create(db.session, course=course, due_date=DUE, opd=org["kec"],
                       by=people["hr_city"])
    assert set(required(db, course)) == {people["learner"].nip, people["hr_kec"].nip}
    assert_counts_match_recount(db)


def test_assignment_to_everyone_and_by_employment_type(db, org, people, course):
    make_employee("198001012005012001", org["kel2"], employment_type="pppk")
    assignments.create(db.session, course=course, due_date=DUE, by=None,
                       employment_type="pppk")
    assert set(required(db, course)) == {"198001012005012001"}
    assignments.create(db.session, course=course, due_date=DUE + timedelta(days=30), by=None)
    due = required(db, course)
    assert len(due) == 6
    assert due["198001012005012001"] == DUE  # the earliest deadline wins
    assert due[people["learner"].nip] == DUE + timedelta(days=30)


def test_named_list(db, org, people, course):
    assignments.create(db.session, course=course, due_date=DUE, by=None,
                       employee_ids=[people["other"].id, people["trainer"].id])
    assert set(required(db, course)) == {people["other"].nip, people["trainer"].nip}


def _join(db, employee):
    """A new employee, as the import adds one: assignments that reach them apply at once."""
    db.session.add(employee)
    db.session.flush()
    with assignments.changing(db.session, employee):
        pass


def test_new_employee_inherits_assignment(db, org, people, course):
    assignments.create(db.session, course=course, due_date=DUE, opd=org["kec"], by=None)
    newcomer = Employee(nip="199505052020121001", name="Baru", opd_id=org["kel2"].id)
    _join(db, newcomer)
    outsider = Employee(nip="199505052020121002", name="Luar", opd_id=org["aptika"].id)
    _join(db, outsider)
    # The assignment was made before they joined: at least GRACE_DAYS from joining.
    joined = newcomer.created_at.astimezone(JAKARTA).date()
    assert required(db, course)["199505052020121001"] == max(
        DUE, joined + timedelta(days=assignments.GRACE_DAYS))
    assert "199505052020121002" not in required(db, course)
    assert_counts_match_recount(db)


def test_new_staff_get_a_grace_period_every_reader_agrees_on(db, org, people, course,
                                                             frozen):
    """Decided in docs/decisions.md: an assignment made before someone joined is due for
    them no earlier than 30 days after the (Jakarta) day they joined. The date is the
    requirement's, so the dashboard, HR's lists, the counts and the reminders agree."""
    from lms.core import clock
    from lms.hr import lists
    from lms.hr.filters import Filters
    from lms.nudges import reminders
    from lms.org.scope import hr_scope
    frozen.move_to(datetime(2026, 3, 1, 9, tzinfo=JAKARTA))
    people["learner"].created_at = datetime(2026, 1, 5, tzinfo=UTC)  # long on the staff
    past, far = date(2026, 2, 1), date(2026, 9, 30)
    assignments.create(db.session, course=course, due_date=past, opd=org["kec"], by=None)
    db.session.commit()
    frozen.move_to(datetime(2026, 4, 10, 23, 30, tzinfo=JAKARTA))  # 16:30 UTC, same day
    newcomer = Employee(nip="199505052020121001", name="Baru", opd_id=org["kel2"].id)
    _join(db, newcomer)
    db.session.commit()
    graced = date(2026, 4, 10) + timedelta(days=assignments.GRACE_DAYS)
    due = required(db, course)
    assert due[people["learner"].nip] == past  # joined before it: no grace
    assert due[newcomer.nip] == graced == date(2026, 5, 10)
    # Rebuilding the course from scratch gives the same dates as the per-person sync.
    assignments.rebuild_course(db.session, course.id)
    assert required(db, course) == due
    assert_counts_match_recount(db)
    [row] = progress.learner_courses(db.session, newcomer.id, [course])
    assert (row.due_date, row.status) == (graced, progress.NOT_STARTED)
    scope = hr_scope(db.session, people["hr_city"])
    rows, _ = lists.detail_page(db.session, Filters(year=2026, today=clock.today(),
                                                    scope=scope))
    assert {r.nip: r.due_date for r in rows}[newcomer.nip] == graced  # HR's list
    soon = {d.nip: d.due_date for d in reminders.pending(db.session, graced, (0,), 7)}
    assert soon[newcomer.nip] == graced
    # An assignment made after they joined keeps its own date, even one already past.
    frozen.move_to(datetime(2026, 4, 20, 9, tzinfo=JAKARTA))
    later = assignments.create(db.session, course=course, due_date=date(2026, 4, 1),
                               opd=org["kec"], by=None)
    assert required(db, course)[newcomer.nip] == date(2026, 4, 1)
    assignments.revoke(db.session, later)
    # A deadline later than the grace stays as it is.
    assignments.create(db.session, course=course, due_date=far, opd=org["kec"], by=None)
    assert required(db, course)[newcomer.nip] == graced  # the earliest still wins


def test_moving_an_employee_moves_requirements_and_counts(db, org, people, course):
    assignments.create(db.session, course=course, due_date=DUE, opd=org["kec"], by=None)
    learner = people["learner"]
    progress.enroll(db.session, learner.id, course)
    with assignments.changing(db.session, learner):
        learner.opd_id = org["aptika"].id  # mutasi out of the kecamatan
    assert learner.nip not in required(db, course)
    assert_counts_match_recount(db)
    with assignments.changing(db.session, learner):
        learner.opd_id = org["kel2"].id  # and back into it
    assert required(db, course)[learner.nip] == DUE
    assert_counts_match_recount(db)
    with assignments.changing(db.session, learner):
        learner.active = False
    assert learner.nip not in required(db, course)
    assert_counts_match_recount(db)


def test_revoking_removes_requirements(db, org, people, course):
    a = assignments.create(db.session, course=course, due_date=DUE, by=None)
    assignments.revoke(db.session, a)
    assert required(db, course) == {}
    assert_counts_match_recount(db)


def test_learning_keeps_counts_in_step(db, org, people, course):
    assignments.create(db.session, course=course, due_date=DUE, opd=org["kec"], by=None)
    first, second = course.current_modules
    for who in ("learner", "other", "hr_kec"):
        progress.complete_module(db.session, people[who].id, first)
    progress.complete_module(db.session, people["learner"].id, second)
    assert_counts_match_recount(db)
    totals = {(s.opd_id, s.due_date): (s.assigned, s.started, s.completed)
              for s in db.session.scalars(select(CourseStat))}
    assert totals[(org["kel1"].id, DUE)] == (1, 1, 1)
    assert totals[(org["kec"].id, DUE)] == (1, 1, 0)
    assert totals[(org["aptika"].id, counts.NOT_MANDATORY)] == (0, 1, 0)


def test_completion_credits_jp_in_jakarta_year(db, org, people, course):
    learner = people["learner"]
    # 31 Dec 2025 20:00 UTC is already 1 Jan 2026 in Jakarta.
    at = datetime(2025, 12, 31, 20, 0, tzinfo=UTC)
    for module in course.current_modules:
        progress.complete_module(db.session, learner.id, module, at=at)
    assert jp.total(db.session, learner.id, 2026) == 2
    assert jp.total(db.session, learner.id, 2025) == 0


def test_external_training_counts_and_can_be_removed(db, org, people):
    learner = people["learner"]
    record = jp.record_external(db.session, learner, title="Bimtek SIPD", organiser="BPSDM",
                                start_date=date(2026, 3, 1), end_date=date(2026, 3, 3),
                                jp=12, by=people["hr_city"])
    jp.record_external(db.session, learner, title="Diklat", organiser="LAN",
                       start_date=date(2025, 5, 1), end_date=date(2025, 5, 2), jp=8,
                       by=people["hr_city"])
    assert jp.total(db.session, learner.id, 2026) == 12
    assert jp.total(db.session, learner.id, 2025) == 8
    jp.delete_external(db.session, record)
    assert db.session.get(JpYear, (learner.id, 2026)).jp == 0
