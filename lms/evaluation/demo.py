"""Demo answers: the confidence question of the courses that ask one (before at the
start, after at completion, a little higher on the whole) and the questionnaire for most
completions. Its own Random, so the rest of the demo stays as it was."""

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.core import clock
from lms.evaluation import answers, confidence, questionnaire
from lms.models import Confidence, Course, Employee, Enrollment

COMMENTS = ("Contoh suratnya mirip dengan pekerjaan di kantor kami.",
            "Tolong tambahkan video singkat cara disposisi dari HP.",
            "Kuis akhirnya agak sulit, tapi penjelasannya membantu.",
            "Bagus, bisa dibaca pelan-pelan di sela pekerjaan.",
            "Modul keamanan akun perlu contoh dari aplikasi Pemkot.")


def add(session: Session, people: list[Employee], courses: list[Course],
        rng: random.Random) -> None:
    ids = [p.id for p in people]
    form = questionnaire.current(session)
    opd_of = {p.id: p.opd_id for p in people}
    for course in courses:
        rows = session.execute(select(Enrollment.employee_id, Enrollment.started_at,
                                      Enrollment.completed_at)
                               .where(Enrollment.course_id == course.id,
                                      Enrollment.employee_id.in_(ids))
                               .order_by(Enrollment.employee_id)).all()
        for employee_id, started, completed in rows:
            if course.confidence:
                _confidence(session, course, employee_id, opd_of[employee_id], started,
                            completed, rng)
            if form is not None and completed is not None and rng.random() < 0.7:
                scores = {i["key"]: rng.choices((1, 2, 3, 4, 5), (1, 2, 5, 10, 7))[0]
                          for i in form.items
                          if i["kind"] == questionnaire.SCALE and rng.random() < 0.95}
                comment = rng.choice(COMMENTS) if rng.random() < 0.25 else ""
                answers.submit(session, employee_id, course, form, scores, comment)
    confidence.recount(session)
    session.flush()


def _confidence(session, course, employee_id, opd_id, started, completed, rng) -> None:
    before = rng.choices((1, 2, 3, 4, 5), (2, 4, 5, 3, 1))[0]
    row = Confidence(employee_id=employee_id, course_id=course.id, opd_id=opd_id,
                     before_value=before, before_at=started)
    if completed is not None and rng.random() < 0.85:
        row.after_value = min(5, max(1, before + rng.choices((-1, 0, 1, 2), (1, 4, 5, 2))[0]))
        row.after_at = completed + timedelta(minutes=2)
        row.after_month = clock.jakarta(row.after_at).strftime("%Y-%m")
    session.add(row)
