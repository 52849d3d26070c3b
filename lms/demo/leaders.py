"""Demo heads (issue 15): every OPD and some kelurahan get a head from their own staff,
recorded a while ago; most have completed the first mandatory course, fewer the second,
so the course page's notice, HR's leaders page and its city comparison show real figures.
Kecamatan Pamulang's head has completed both: the demo learner (a kelurahan without a
head of its own, under it) sees the notice."""

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.core import clock
from lms.demo.quiz_history import QuizHistory
from lms.learning import progress
from lms.models import Course, Employee, Enrollment, Opd
from lms.org import heads

HEADED_KELURAHAN = 0.4  # share of kelurahan with a recorded lurah
SHOWCASE = "KEC-PML"  # its head has completed everything mandatory
DEMO_LEARNER_UNIT = "KEC-PML.04"  # no head of its own: the learner's head is the camat's


def add(session: Session, nodes: dict[str, Opd], people: list[Employee],
        mandatory: list[Course], rng: random.Random, history: QuizHistory) -> None:
    """Before the assignments are made, so the heads' due dates are derived with them,
    and before `history` is saved: a head who completes a course they had not begun
    takes its quizzes through it, like every demo learner."""
    started = clock.today() - timedelta(days=200)
    staff: dict[int, list[Employee]] = {}
    for person in people:
        staff.setdefault(person.opd_id, []).append(person)
    for code, node in sorted(nodes.items()):
        headed = node.depth == 1 or (node.kind == "kelurahan" and code != DEMO_LEARNER_UNIT
                                     and rng.random() < HEADED_KELURAHAN)
        candidates = [p for p in staff.get(node.id, []) if not p.grants]
        if code == SHOWCASE:  # someone with no course begun, so all of it can be done
            candidates = [p for p in candidates if not _begun(session, p, mandatory)]
        if not headed or not candidates:
            continue
        head = rng.choice(candidates)
        heads.appoint(session, node, head, today=started, source="import", by=None)
        for i, course in enumerate(mandatory):
            if code == SHOWCASE or rng.random() < (0.65 if i == 0 else 0.4):
                _complete(session, head, course, rng, history)


def _begun(session: Session, person: Employee, courses: list[Course]) -> bool:
    return session.scalar(select(Enrollment.id).where(
        Enrollment.employee_id == person.id,
        Enrollment.course_id.in_([c.id for c in courses]))) is not None


def _complete(session: Session, person: Employee, course: Course, rng: random.Random,
              history: QuizHistory) -> None:
    if _begun(session, person, [course]):  # their own story stands (done, or stopped)
        return
    at = clock.now() - timedelta(days=rng.randint(3, 40))
    for step, module in enumerate(course.current_modules):
        when = at + timedelta(hours=step)
        if module.has_quiz:
            score = history.passed(person.id, module, when)
            progress.record_score(session, person.id, module, score, True, at=when)
        else:
            progress.complete_module(session, person.id, module, at=when)
