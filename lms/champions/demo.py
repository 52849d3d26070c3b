"""Demo pendampingan (lms/demo/seed.py calls `add` once progress is seeded), so the
champion's pages, HR's list and the helped colleagues' JP show real figures.

The demo turns the JP setting on (the product's default is off) so that the ledger and
the transcript show what it does. Its own RNG: the rest of the demo is unchanged."""

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.champions import assisted, settings
from lms.core import clock
from lms.models import Course, Employee, Opd
from lms.people.roles import CHAMPION

TOPICS = ["Membuka kursus dari ponsel", "Mengatur ulang kata sandi",
          "Membaca disposisi di Sisumaker", "Mengunggah sertifikat ke MyASN"]


def add(session: Session, champion: Employee, rng: random.Random) -> None:
    unit = next(g.opd for g in champion.grants if g.role == CHAMPION)
    colleagues = list(session.scalars(
        select(Employee).join(Opd, Opd.id == Employee.opd_id)
        .where(Opd.path.like(unit.path + "%"), Employee.active, Employee.id != champion.id)
        .order_by(Employee.name, Employee.id)))
    if not colleagues:
        return
    settings.stored(session).jp_enabled = True
    session.flush()
    courses = list(session.scalars(select(Course).where(Course.retired_at.is_(None))
                                   .order_by(Course.position, Course.title)))
    today = clock.today()
    for i, days in enumerate((26, 15, 8, 2)):
        helped = rng.sample(colleagues, min(len(colleagues), rng.randint(1, 3)))
        course = courses[i % len(courses)] if courses and i % 2 == 0 else None
        assisted.record(session, champion, unit, held_on=today - timedelta(days=days),
                        minutes=rng.choice([45, 60, 90, 120]), topic=TOPICS[i],
                        course=course, helped=helped, token=f"demo-pendampingan-{i}")
