"""Mandatory courses: who an assignment reaches, and the requirement rows derived from it.

Requirements are derived data: rebuilt set-based for a course when its assignments change,
and per employee when an employee joins, moves or changes employment type, so a new
employee who falls under an assignment gets it without anyone acting.
"""

from contextlib import contextmanager
from datetime import date

from sqlalchemy import and_, delete, exists, func, insert, or_, select, true
from sqlalchemy.orm import Session, aliased

from lms import stats
from lms.core import clock
from lms.models import Assignment, AssignmentMember, Course, Employee, Opd, Requirement


def _reaches(assignment=Assignment, employee=Employee, employee_opd=Opd):
    """SQL: this assignment reaches this employee."""
    target = aliased(Opd)
    in_subtree = or_(assignment.opd_id.is_(None), exists(
        select(target.id).where(target.id == assignment.opd_id,
                                employee_opd.path.like(target.path + "%"))))
    right_type = or_(assignment.employment_type.is_(None),
                     assignment.employment_type == employee.employment_type)
    listed = exists(select(AssignmentMember.employee_id).where(
        AssignmentMember.assignment_id == assignment.id,
        AssignmentMember.employee_id == employee.id))
    return and_(assignment.revoked_at.is_(None), employee.active,
                or_(and_(~assignment.named, in_subtree, right_type),
                    and_(assignment.named, listed)))


def create(session: Session, *, course: Course, due_date: date, by: Employee | None,
           opd: Opd | None = None, employment_type: str | None = None,
           employee_ids: list[int] | None = None) -> Assignment:
    assignment = Assignment(course_id=course.id, due_date=due_date, opd_id=opd.id if opd else None,
                            employment_type=employment_type, named=employee_ids is not None,
                            created_by_id=by.id if by else None)
    session.add(assignment)
    session.flush()
    for employee_id in sorted(set(employee_ids or [])):
        session.add(AssignmentMember(assignment_id=assignment.id, employee_id=employee_id))
    rebuild_course(session, course.id)
    return assignment


def revoke(session: Session, assignment: Assignment) -> None:
    assignment.revoked_at = clock.now()
    rebuild_course(session, assignment.course_id)


def rebuild_course(session: Session, course_id: int) -> None:
    """Recompute every requirement for one course from its live assignments."""
    session.flush()
    session.execute(delete(Requirement).where(Requirement.course_id == course_id))
    session.execute(insert(Requirement).from_select(
        ["employee_id", "course_id", "due_date", "opd_id"],
        _reached(Assignment.course_id == course_id)))
    stats.rebuild(session, [course_id])


def rebuild_employees(session: Session, employees) -> None:
    """Recompute the requirements of the employees whose id matches `employees` (a
    function of an id column -> condition) from every live assignment, in two
    statements: an import re-derives the people it created, moved or (de)activated."""
    session.flush()
    session.execute(delete(Requirement).where(employees(Requirement.employee_id)))
    session.execute(insert(Requirement).from_select(
        ["employee_id", "course_id", "due_date", "opd_id"], _reached(employees(Employee.id))))


def _reached(condition):
    """SQL: (employee, course, earliest due date, OPD) for every live assignment's reach."""
    return (select(Employee.id, Assignment.course_id, func.min(Assignment.due_date),
                   Employee.opd_id)
            .select_from(Assignment)
            .join(Employee, true())
            .join(Opd, Opd.id == Employee.opd_id)
            .where(condition, _reaches())
            .group_by(Employee.id, Assignment.course_id, Employee.opd_id))


@contextmanager
def changing(session: Session, employee: Employee):
    """Wrap a change to an employee's OPD, employment type or active flag (a transfer,
    an import): their requirements follow the assignments that now reach them, and the
    report counts move with them."""
    session.flush()
    with stats.tracking(session, employee.id):
        yield
        session.flush()
        _sync_requirements(session, employee)


def _sync_requirements(session: Session, employee: Employee) -> None:
    wanted = dict(session.execute(
        select(Assignment.course_id, func.min(Assignment.due_date))
        .select_from(Assignment).join(Employee, Employee.id == employee.id)
        .join(Opd, Opd.id == Employee.opd_id)
        .where(_reaches()).group_by(Assignment.course_id)).all())
    for row in session.scalars(select(Requirement).where(
            Requirement.employee_id == employee.id)):
        if row.course_id not in wanted:
            session.delete(row)
        else:
            row.due_date, row.opd_id = wanted.pop(row.course_id), employee.opd_id
    for course_id, due in wanted.items():
        session.add(Requirement(employee_id=employee.id, course_id=course_id, due_date=due,
                                opd_id=employee.opd_id))
    session.flush()


def add_employee(session: Session, employee: Employee) -> Employee:
    """Add a new employee; assignments that reach them apply at once."""
    session.add(employee)
    session.flush()
    with changing(session, employee):
        pass
    return employee


def reached_count(session: Session, assignment: Assignment) -> int:
    return session.scalar(
        select(func.count(Employee.id)).select_from(Assignment)
        .join(Employee, true()).join(Opd, Opd.id == Employee.opd_id)
        .where(Assignment.id == assignment.id, _reaches()))
