"""Training hours (JP): credited by completed courses and by training recorded by HR,
totalled per calendar year in Asia/Jakarta."""

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms.core import numbers
from lms.core.clock import year_of
from lms.core.upsert import insert_ignore
from lms.models import Employee, ExternalTraining, JpYear


def credit(session: Session, employee_id: int, year: int, jp: int) -> None:
    if not jp:
        return
    insert_ignore(session, JpYear.__table__, {"employee_id": employee_id, "year": year},
                  ["employee_id", "year"])
    session.execute(update(JpYear).where(JpYear.employee_id == employee_id,
                                         JpYear.year == year)
                    .values(jp=JpYear.jp + jp).execution_options(synchronize_session=False))


def total(session: Session, employee_id: int, year: int) -> int:
    return session.scalar(select(JpYear.jp).where(JpYear.employee_id == employee_id,
                                                  JpYear.year == year)) or 0


def percent_of_target(total: int, target: int) -> int:
    """How far towards the yearly target, for a progress bar: at most 100 (no target: 100)."""
    return min(100, numbers.percent(total, target) if target else 100)


def record_external(session: Session, employee: Employee, *, title: str, organiser: str,
                    start_date: date, end_date: date, jp: int, by: Employee,
                    proof: tuple[str, str, bytes] | None = None) -> ExternalTraining:
    """Training done elsewhere; its JP count in the year it ended."""
    record = ExternalTraining(employee_id=employee.id, title=title, organiser=organiser,
                              start_date=start_date, end_date=end_date, jp=jp,
                              recorded_by_id=by.id)
    if proof:
        record.proof_name, record.proof_mime, record.proof = proof
    session.add(record)
    credit(session, employee.id, year_of(end_date), jp)
    session.flush()
    return record


def delete_external(session: Session, record: ExternalTraining) -> None:
    credit(session, record.employee_id, year_of(record.end_date), -record.jp)
    session.delete(record)
    session.flush()
