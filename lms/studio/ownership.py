"""Who may edit which course: its owners (and co-owners), and admins. Admins assign
owners; an owner cannot give a course away."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import Course, CourseOwner, Employee


def may_edit(session: Session, person: Employee, course: Course) -> bool:
    if person.has_role("admin"):
        return True
    return session.get(CourseOwner, (course.id, person.id)) is not None


def editable_courses(session: Session, person: Employee) -> list[Course]:
    query = select(Course).where(Course.retired_at.is_(None))
    if not person.has_role("admin"):
        query = query.join(CourseOwner, CourseOwner.course_id == Course.id).where(
            CourseOwner.employee_id == person.id)
    return list(session.scalars(query.order_by(Course.position, Course.title)))


def owners(session: Session, course: Course) -> list[Employee]:
    return list(session.scalars(
        select(Employee).join(CourseOwner, CourseOwner.employee_id == Employee.id)
        .where(CourseOwner.course_id == course.id).order_by(Employee.name)))


def add_owner(session: Session, course: Course, person: Employee) -> bool:
    """True when `person` was not an owner yet."""
    if session.get(CourseOwner, (course.id, person.id)) is not None:
        return False
    session.add(CourseOwner(course_id=course.id, employee_id=person.id))
    session.flush()
    return True


def remove_owner(session: Session, course: Course, person: Employee) -> bool:
    found = session.get(CourseOwner, (course.id, person.id))
    if found is None:
        return False
    session.delete(found)
    session.flush()
    return True
