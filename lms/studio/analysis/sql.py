"""SQL pieces both statistics pages build on: whose attempts count and which OPD a
learner belongs to."""

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from lms.models import Opd, QuizAttempt


def first_attempts(session: Session, module_ids: list[int]):
    """Each learner's first submitted attempt per module, as a common table expression.
    PostgreSQL is told to compute it once (MATERIALIZED): planners cannot estimate how
    many rows `row_number() = 1` keeps, and PostgreSQL, guessing one, would otherwise
    rerun the window for every answer row it joins."""
    nth = func.row_number().over(
        partition_by=(QuizAttempt.employee_id, QuizAttempt.module_id),
        order_by=(QuizAttempt.submitted_at, QuizAttempt.id))
    ranked = (select(QuizAttempt.id, QuizAttempt.employee_id, QuizAttempt.module_id,
                     QuizAttempt.score, QuizAttempt.passed, nth.label("nth"))
              .where(QuizAttempt.module_id.in_(module_ids),
                     QuizAttempt.submitted_at.is_not(None))
              .subquery("ranked_attempt"))
    first = (select(ranked.c.id, ranked.c.employee_id, ranked.c.module_id, ranked.c.score,
                    ranked.c.passed)
             .where(ranked.c.nth == 1))
    if session.get_bind().dialect.name == "postgresql":
        return first.cte("first_attempt").prefix_with("MATERIALIZED")
    return first.subquery("first_attempt")


def top_opds():
    """(unit id, id and name of its top-level OPD) for every unit of the tree."""
    top = aliased(Opd)
    level = case((Opd.depth == 0, 0), else_=1)
    return (select(Opd.id.label("opd_id"), top.id.label("top_id"), top.name.label("top_name"))
            .join(top, and_(Opd.path.like(top.path + "%"), top.depth == level))
            .subquery("top_opd"))


def as_int(value):
    """1 for true, 0 for false: booleans summed alike on SQLite and PostgreSQL."""
    return case((value, 1), else_=0)
