"""The yearly JP transcript ("Rekap JP"): every Melek completion and every training HR
recorded, for one Jakarta year. Each download is a snapshot with its own code, so the QR
proves the figures as printed; the same content downloaded again reuses its snapshot."""

import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.certificates import codes
from lms.core import clock
from lms.core.clock import JAKARTA
from lms.core.database import lock_key
from lms.learning.history import assisted_of
from lms.models import Course, Employee, Enrollment, ExternalTraining, Transcript

MELEK, ELSEWHERE, ASSISTED = "melek", "luar", "duta"
# The transcript is an Indonesian document whatever the page's language (as its PDF).
ASSISTED_TITLE = "Pendampingan Duta Digital"


def lines(session: Session, employee_id: int, year: int, organiser: str) -> list[list]:
    """[title, organiser, end date ISO, jp, source], by end date: what the year's JP
    total is made of (courses count in the year they were completed, training done
    elsewhere in the year it ended, pendampingan that earned JP on its day)."""
    start, end = (datetime(y, 1, 1, tzinfo=JAKARTA) for y in (year, year + 1))
    done = session.execute(
        select(Course.title, Enrollment.completed_at, Enrollment.jp_awarded)
        .join(Course, Course.id == Enrollment.course_id)
        .where(Enrollment.employee_id == employee_id, Enrollment.completed_at >= start,
               Enrollment.completed_at < end, Enrollment.jp_awarded > 0))
    rows = [[title, organiser, clock.jakarta(at).date().isoformat(), jp, MELEK]
            for title, at, jp in done]
    rows += [[t.title, t.organiser, t.end_date.isoformat(), t.jp, ELSEWHERE]
             for t in session.scalars(select(ExternalTraining).where(
                 ExternalTraining.employee_id == employee_id,
                 ExternalTraining.end_date >= start.date(),
                 ExternalTraining.end_date < end.date()))]
    rows += [[f"{ASSISTED_TITLE}: {a.subject}", f"Duta Digital, {a.unit}",
              a.held_on.isoformat(), a.jp, ASSISTED]
             for a in assisted_of(session, employee_id, year) if a.jp > 0]
    return sorted(rows, key=lambda r: (r[2], r[0]))


def snapshot(session: Session, person: Employee, year: int, target: int,
             organiser: str) -> Transcript:
    """The transcript of `person`'s `year` as it stands now (flushes when new)."""
    listed = lines(session, person.id, year, organiser)
    total = sum(line[3] for line in listed)
    content = json.dumps([person.name, person.nip, year, target, organiser, listed])
    digest = hashlib.sha256(content.encode()).hexdigest()
    lock_key(session, "transcript", str(person.id))  # two tabs make one snapshot
    found = session.scalars(select(Transcript).where(
        Transcript.employee_id == person.id, Transcript.year == year,
        Transcript.digest == digest)).first()
    if found is not None:
        return found
    record = Transcript(code=codes.new_code(), employee_id=person.id, year=year,
                        digest=digest, name=person.name, nip=person.nip, total_jp=total,
                        target_jp=target, lines=listed, organiser=organiser,
                        made_at=clock.now())
    session.add(record)
    session.flush()
    return record
