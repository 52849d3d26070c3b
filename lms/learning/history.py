"""A person's training history, as the person sees it (my data, the dashboard) and as HR
sees it on the employee's page: one query each, in one place."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.learning import jp
from lms.models import (
    AssistedColleague,
    AssistedSession,
    Course,
    Employee,
    Enrollment,
    ExternalTraining,
    JpYear,
    Opd,
    Transfer,
)


@dataclass
class JpStanding:
    year: int
    total: int
    target: int

    @property
    def percent(self) -> int:
        return jp.percent_of_target(self.total, self.target)


@dataclass
class History:
    enrollments: list[Enrollment]  # newest first
    external: list[ExternalTraining]  # training recorded by HR, newest first
    years: list[JpYear]  # JP per year, newest first
    transfers: list[Transfer]  # moves between OPDs, newest first
    assisted: list["Assisted"]  # pendampingan by a Duta Digital, newest first


@dataclass
class Assisted:
    """One pendampingan the person was helped in, and the JP it credited them."""
    held_on: date
    minutes: int
    subject: str  # the course's title, the topic, or both
    unit: str
    champion: str
    jp: int


def assisted_of(session: Session, employee_id: int, year: int | None = None) -> list[Assisted]:
    """The pendampingan that helped this person (in `year`, a Jakarta year, if given)."""
    champion = Employee.__table__.alias("champion")
    query = (select(AssistedSession.held_on, AssistedSession.minutes, AssistedSession.topic,
                    Course.title, Opd.name, champion.c.name, AssistedColleague.jp_awarded)
             .join(AssistedSession, AssistedSession.id == AssistedColleague.session_id)
             .join(Opd, Opd.id == AssistedSession.unit_id)
             .join(champion, champion.c.id == AssistedSession.champion_id)
             .outerjoin(Course, Course.id == AssistedSession.course_id)
             .where(AssistedColleague.employee_id == employee_id)
             .order_by(AssistedSession.held_on.desc(), AssistedSession.id.desc()))
    if year is not None:
        query = query.where(AssistedSession.held_on.between(date(year, 1, 1),
                                                            date(year, 12, 31)))
    return [Assisted(held_on, minutes, ": ".join(p for p in (title, topic) if p), unit,
                     name, awarded)
            for held_on, minutes, topic, title, unit, name, awarded in session.execute(query)]


def jp_standing(session: Session, employee_id: int, year: int, target: int) -> JpStanding:
    return JpStanding(year, jp.total(session, employee_id, year), target)


def of(session: Session, employee_id: int) -> History:
    def newest(model, column):
        return list(session.scalars(select(model).where(model.employee_id == employee_id)
                                    .order_by(column.desc())))
    return History(enrollments=newest(Enrollment, Enrollment.started_at),
                   external=newest(ExternalTraining, ExternalTraining.end_date),
                   years=newest(JpYear, JpYear.year), transfers=newest(Transfer, Transfer.at),
                   assisted=assisted_of(session, employee_id))
