"""Demo heads (issue 15): every OPD and some kelurahan get a head from their own staff,
recorded a while ago; most have completed the first mandatory course, fewer the second,
so the course page's notice, HR's leaders page and its city comparison show real figures.
Kecamatan Pamulang's head has completed both: the demo learner (a kelurahan without a
head of its own, under it) sees the notice."""

import random
from datetime import timedelta

from sqlalchemy.orm import Session

from lms.core import clock
from lms.learning import progress
from lms.models import Course, Employee, Opd
from lms.org import heads

HEADED_KELURAHAN = 0.4  # share of kelurahan with a recorded lurah
SHOWCASE = "KEC-PML"  # its head has completed everything mandatory
DEMO_LEARNER_UNIT = "KEC-PML.04"  # no head of its own: the learner's head is the camat's


def add(session: Session, nodes: dict[str, Opd], people: list[Employee],
        mandatory: list[Course], rng: random.Random) -> None:
    """Before the assignments are made, so the heads' due dates are derived with them."""
    started = clock.today() - timedelta(days=200)
    staff: dict[int, list[Employee]] = {}
    for person in people:
        staff.setdefault(person.opd_id, []).append(person)
    for code, node in sorted(nodes.items()):
        headed = node.depth == 1 or (node.kind == "kelurahan" and code != DEMO_LEARNER_UNIT
                                     and rng.random() < HEADED_KELURAHAN)
        candidates = [p for p in staff.get(node.id, []) if not p.grants]
        if not headed or not candidates:
            continue
        head = rng.choice(candidates)
        heads.appoint(session, node, head, today=started, source="import", by=None)
        for i, course in enumerate(mandatory):
            if code == SHOWCASE or rng.random() < (0.65 if i == 0 else 0.4):
                _complete(session, head, course, rng)


def _complete(session: Session, person: Employee, course: Course, rng: random.Random):
    at = clock.now() - timedelta(days=rng.randint(3, 40))
    for step, module in enumerate(course.current_modules):
        when = at + timedelta(hours=step)
        if module.has_quiz:
            progress.record_score(session, person.id, module, 90, True, at=when)
        else:
            progress.complete_module(session, person.id, module, at=when)
