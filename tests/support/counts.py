"""Report counts kept in step must equal a full recount."""

from sqlalchemy import select

from lms.mandatory import counts
from lms.models import CourseStat


def stat_rows(db):
    return sorted((s.opd_id, s.course_id, s.employment_type, s.due_date, s.assigned,
                   s.started, s.completed)
                  for s in db.session.scalars(select(CourseStat))
                  if s.assigned or s.started or s.completed)


def assert_counts_match_recount(db):
    kept = stat_rows(db)
    counts.rebuild(db.session)
    assert kept == stat_rows(db)
