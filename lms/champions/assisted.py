"""Pendampingan: a champion records helping colleagues, by NIP; the JP it credits them
(when the city's setting is on, at recording) goes to the JP ledger, and deleting the
record takes exactly that back, so JpYear always equals the sum of its lines."""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from lms.champions import settings
from lms.core import clock
from lms.core.database import lock_key
from lms.learning import jp
from lms.models import AssistedColleague, AssistedSession, Course, Employee, Opd
from lms.org.scope import Scope

MIN_MINUTES, MAX_MINUTES = 15, 480  # a quarter of an hour to a working day
DAYS_BACK = 30  # a session is recorded within a month, while it is remembered
MAX_COLLEAGUES = 50
OWN_DELETE_DAYS = 7  # the champion's own corrections; later, HR's
PER_PAGE = 50


class Refused(ValueError):
    """What is wrong with a record, said to the champion: (line, message) pairs."""

    def __init__(self, problems: list[tuple[int | None, str]]):
        super().__init__(problems)
        self.problems = problems


def earliest_day(today: date) -> date:
    return today - timedelta(days=DAYS_BACK)


def parse_nips(text: str) -> list[tuple[int, str]]:
    """(line number, NIP) per non-empty line, spaces removed, the first of duplicates
    kept: the same colleague listed twice is helped once."""
    seen, found = set(), []
    for number, line in enumerate((text or "").splitlines(), start=1):
        nip = "".join(line.split())
        if nip and nip not in seen:
            seen.add(nip)
            found.append((number, nip))
    return found


def colleagues(session: Session, champion: Employee, unit: Opd,
               lines: list[tuple[int, str]]) -> list[Employee]:
    """The active employees of `unit` these lines name, or Refused naming every line
    that is not one (unknown, inactive and outside the unit answer alike: the champion
    learns nothing of people outside their unit)."""
    if not lines:
        raise Refused([(None, str(_l("Write the NIP of at least one colleague.")))])
    if len(lines) > MAX_COLLEAGUES:
        raise Refused([(None, str(_l("At most %(n)d colleagues per session.",
                                     n=MAX_COLLEAGUES)))])
    found = {e.nip: e for e in session.scalars(
        select(Employee).join(Opd, Opd.id == Employee.opd_id).where(
            Employee.nip.in_([nip for _, nip in lines]), Employee.active,
            Opd.path.like(unit.path + "%")))}
    problems = []
    for number, nip in lines:
        if nip == champion.nip:
            problems.append((number, str(_l("%(nip)s is your own NIP: your own time is "
                                            "not counted.", nip=nip[:40]))))
        elif nip not in found:
            problems.append((number, str(_l("%(nip)s is not an active employee of "
                                            "%(unit)s.", nip=nip[:40], unit=unit.name))))
    if problems:
        raise Refused(problems)
    return [found[nip] for _, nip in lines]


def record(session: Session, champion: Employee, unit: Opd, *, held_on: date,
           minutes: int, topic: str, course: Course | None, helped: list[Employee],
           token: str) -> tuple[AssistedSession, bool]:
    """The session and whether it is new. A second submit of the same form (same
    token) finds the first one's record and changes nothing."""
    row = settings.read(session)
    each = settings.jp_for(row, minutes)
    try:
        with session.begin_nested():
            entry = AssistedSession(champion_id=champion.id, unit_id=unit.id,
                                     held_on=held_on, minutes=minutes, topic=topic,
                                     course_id=course.id if course else None,
                                     counts_jp=each > 0, form_token=token)
            session.add(entry)
    except IntegrityError:
        return _by_token(session, champion, token), False
    year = held_on.year
    for person in sorted(helped, key=lambda e: e.id):  # locks in one order: no deadlock
        awarded = _capped(session, person.id, year, each, row.yearly_cap) if each else 0
        entry.colleagues.append(AssistedColleague(employee_id=person.id,
                                                   jp_awarded=awarded))
        session.flush()
        jp.credit(session, person.id, year, awarded)
    return entry, True


def _by_token(session: Session, champion: Employee, token: str) -> AssistedSession:
    return session.scalars(select(AssistedSession).where(
        AssistedSession.champion_id == champion.id,
        AssistedSession.form_token == token)).one()


def _capped(session: Session, employee_id: int, year: int, each: int,
            cap: int | None) -> int:
    """`each`, less what would take the person's pendampingan JP of `year` over `cap`.
    Under the person's lock, so two champions recording at once cannot both fill it."""
    if cap is None:
        return each
    lock_key(session, "assisted-jp", f"{employee_id}:{year}")
    earned = session.scalar(
        select(func.coalesce(func.sum(AssistedColleague.jp_awarded), 0))
        .join(AssistedSession, AssistedSession.id == AssistedColleague.session_id)
        .where(AssistedColleague.employee_id == employee_id,
               AssistedSession.held_on.between(date(year, 1, 1), date(year, 12, 31))))
    return max(0, min(each, cap - int(earned)))


def delete(session: Session, record: AssistedSession) -> None:
    """The record and the JP it credited, exactly (later sessions capped because of it
    keep what they were given: no record rewrites another)."""
    for helped in record.colleagues:
        jp.credit(session, helped.employee_id, record.held_on.year, -helped.jp_awarded)
    session.delete(record)
    session.flush()


def may_delete_own(record: AssistedSession, champion: Employee) -> bool:
    return (record.champion_id == champion.id
            and clock.now() - record.created_at <= timedelta(days=OWN_DELETE_DAYS))


@dataclass
class Page:
    records: list[AssistedSession]
    more: bool


def _page(session: Session, query, page: int) -> Page:
    found = list(session.scalars(
        query.options(joinedload(AssistedSession.champion), joinedload(AssistedSession.unit),
                      joinedload(AssistedSession.course))
        .order_by(AssistedSession.held_on.desc(), AssistedSession.id.desc())
        .limit(PER_PAGE + 1).offset((page - 1) * PER_PAGE)))
    return Page(found[:PER_PAGE], len(found) > PER_PAGE)


def own(session: Session, champion: Employee, page: int) -> Page:
    return _page(session, select(AssistedSession).where(
        AssistedSession.champion_id == champion.id), page)


def in_scope(session: Session, scope: Scope, page: int) -> Page:
    """Records of units inside an HR scope."""
    units = select(Opd.id).where(scope.condition())
    return _page(session, select(AssistedSession).where(AssistedSession.unit_id.in_(units)),
                 page)


def helped_names(session: Session, ids: list[int]) -> dict[int, list[Employee]]:
    """The colleagues of each listed record, for a page of records (one query)."""
    names: dict[int, list[Employee]] = {i: [] for i in ids}
    for session_id, person in session.execute(
            select(AssistedColleague.session_id, Employee)
            .join(Employee, Employee.id == AssistedColleague.employee_id)
            .where(AssistedColleague.session_id.in_(ids)).order_by(Employee.name)):
        names[session_id].append(person)
    return names
