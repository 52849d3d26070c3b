"""Heads of OPDs and units (keteladanan): who heads a node now, since when, and before.

A change ends the current row and adds one; rows are never deleted, so the history is the
table. The caller re-derives the requirements of the people a change returns (a head may
be due earlier: lms.mandatory.assignments), in the same transaction.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import Session, aliased

from lms.models import Employee, Enrollment, LeaderSettings, Opd, OpdHead

# What staff call the head of a node of each kind ("Kepala Kecamatan Anda ...").
TITLES = {"kota": _l("mayor"), "sekretariat": _l("head of the sekretariat"),
          "inspektorat": _l("head of the inspektorat"), "dinas": _l("head of the dinas"),
          "badan": _l("head of the badan"), "kecamatan": _l("head of the kecamatan"),
          "kelurahan": _l("head of the kelurahan"), "unit": _l("head of the unit")}


class HeadProblem(ValueError):
    """The head asked for cannot be recorded; the message says why."""


def current(session: Session, node: Opd) -> OpdHead | None:
    return session.scalars(select(OpdHead).where(OpdHead.opd_id == node.id,
                                                 OpdHead.ended_on.is_(None))).first()


def history(session: Session, node: Opd) -> list[OpdHead]:
    """Every head the node has had, the current one first."""
    return list(session.scalars(
        select(OpdHead).where(OpdHead.opd_id == node.id)
        .order_by(OpdHead.ended_on.is_not(None), OpdHead.started_on.desc(),
                  OpdHead.id.desc())))


def candidate(session: Session, node: Opd, nip: str) -> Employee:
    """The active employee with this NIP placed in the node or a unit under it."""
    person = session.scalars(
        select(Employee).join(Opd, Opd.id == Employee.opd_id)
        .where(Employee.nip == "".join(nip.split()), Employee.active,
               Opd.path.like(node.path + "%"))).first()
    if person is None:
        raise HeadProblem(_l("NIP %(nip)s is not an active employee of %(unit)s or a unit "
                             "under it.", nip=nip.strip(), unit=node.name))
    return person


def appoint(session: Session, node: Opd, person: Employee, *, today: date, source: str,
            by: Employee | None) -> list[int]:
    """Make `person` the node's head from today, ending the current head's row. Returns
    the employees whose headship changed (none when they already head it)."""
    now = current(session, node)
    if now is not None and now.employee_id == person.id:
        return []
    changed = end(session, node, today=today)
    session.add(OpdHead(opd_id=node.id, employee_id=person.id, started_on=today,
                        source=source, recorded_by_id=by.id if by else None))
    session.flush()
    return changed + [person.id]


def end(session: Session, node: Opd, *, today: date) -> list[int]:
    """End the node's current head (if any) today; returns who it was."""
    now = current(session, node)
    if now is None:
        return []
    now.ended_on = today
    session.flush()  # before another row may become current (one current head per node)
    return [now.employee_id]


def show_head_completion(session: Session) -> bool:
    settings = session.get(LeaderSettings, 1)
    return settings is None or settings.show_head_completion


def set_show_head_completion(session: Session, value: bool, by: Employee) -> bool:
    """Store the city setting; True when it changed."""
    settings = session.get(LeaderSettings, 1)
    if settings is None:
        settings = LeaderSettings(id=1, show_head_completion=True)
        session.add(settings)
    changed = settings.show_head_completion != value
    settings.show_head_completion, settings.updated_by_id = value, by.id
    session.flush()
    return changed


def own_head_done_sql(course_id, employee_id):
    """SQL, a scalar: the kind of the node whose head is the employee's own (the nearest
    node on their path, their own unit first, with a current head other than themselves:
    a lurah's own head is the camat) when that head has
    completed the course `course_id` (a column), else NULL. NULL too when the city
    setting is off. One correlated subquery, so the course page keeps its query count."""
    mine, node = aliased(Opd), aliased(Opd)
    nearest = (select(node.kind, OpdHead.employee_id)
               .select_from(Employee)
               .join(mine, mine.id == Employee.opd_id)
               .join(node, mine.path.like(node.path + "%"))
               .join(OpdHead, and_(OpdHead.opd_id == node.id, OpdHead.ended_on.is_(None),
                                   OpdHead.employee_id != employee_id))
               .where(Employee.id == employee_id)
               .order_by(node.depth.desc()).limit(1).subquery())
    # Correlated explicitly: `course_id` belongs to the page's query two levels up, which
    # auto-correlation (the enclosing SELECT only) would miss, adding `course` to this FROM
    # and asking whether the head completed any course at all.
    done = exists(select(Enrollment.id).where(
        Enrollment.employee_id == nearest.c.employee_id, Enrollment.course_id == course_id,
        Enrollment.completed_at.is_not(None)).correlate_except(Enrollment))
    switched_off = exists(select(LeaderSettings.id).where(
        LeaderSettings.id == 1, LeaderSettings.show_head_completion.is_(False)))
    return (select(nearest.c.kind).where(done, ~switched_off)
            .scalar_subquery())


def current_heads(session: Session, condition) -> list[tuple[Opd, Employee]]:
    """(node, head) for every node matching `condition` (on Opd) with a current head, in
    tree order."""
    return list(session.execute(
        select(Opd, Employee).join(OpdHead, and_(OpdHead.opd_id == Opd.id,
                                                 OpdHead.ended_on.is_(None)))
        .join(Employee, Employee.id == OpdHead.employee_id)
        .where(condition).order_by(Opd.path)))
