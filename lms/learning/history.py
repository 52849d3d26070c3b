"""A person's training history, as the person sees it (my data, the dashboard) and as HR
sees it on the employee's page: one query each, in one place."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.learning import jp
from lms.models import Enrollment, ExternalTraining, JpYear, Transfer


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


def jp_standing(session: Session, employee_id: int, year: int, target: int) -> JpStanding:
    return JpStanding(year, jp.total(session, employee_id, year), target)


def of(session: Session, employee_id: int) -> History:
    def newest(model, column):
        return list(session.scalars(select(model).where(model.employee_id == employee_id)
                                    .order_by(column.desc())))
    return History(enrollments=newest(Enrollment, Enrollment.started_at),
                   external=newest(ExternalTraining, ExternalTraining.end_date),
                   years=newest(JpYear, JpYear.year), transfers=newest(Transfer, Transfer.at))
