"""Who may schedule, run, see and fill a classroom session.

Two rights schedule: a trainer for the courses they own or co-own (studio.ownership; an
admin for any), with an audience they choose (the city or an OPD subtree), and a
digital champion (a `champion` RoleGrant on a unit) for any published course, with an
audience inside their unit. Whoever scheduled may edit and cancel while they still hold
the right; the facilitator runs attendance; HR adds people of their own scope."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.learning.catalogue import published_courses
from lms.models import ClassSession, Course, Employee, Opd
from lms.org import tree
from lms.org.scope import Scope
from lms.studio import ownership

TRAINER, CHAMPION = "trainer", "champion"


def champion_units(person: Employee) -> list[Opd]:
    return sorted((g.opd for g in person.grants if g.role == CHAMPION and g.opd is not None),
                  key=lambda o: o.path)


def as_trainer(session: Session, person: Employee, course: Course) -> bool:
    if person.has_role("admin"):
        return True
    return person.has_role("trainer") and ownership.may_edit(session, person, course)


def may_schedule_any(person: Employee) -> bool:
    return (person.has_role("admin") or person.has_role("trainer")
            or bool(champion_units(person)))


@dataclass(frozen=True)
class Audience:
    """A choice of who may sign up: `opd` None is the whole city."""
    opd: Opd | None
    right: str  # the right that allows it: TRAINER or CHAMPION

    @property
    def key(self) -> str:
        return self.opd.code if self.opd else ""


def audiences(session: Session, person: Employee, course: Course) -> list[Audience]:
    """The audiences `person` may schedule `course` for, city first then tree order;
    empty when they may not schedule it at all."""
    if as_trainer(session, person, course):
        return [Audience(None, TRAINER)] + [Audience(o, TRAINER) for o in tree.in_order(session)]
    units = champion_units(person)
    if not units:
        return []
    within = Scope(units, city_wide=False).condition()
    return [Audience(o, CHAMPION) for o in tree.in_order(session, within)]


def audience_for(session: Session, person: Employee, course: Course,
                 key: str) -> Audience | None:
    return next((a for a in audiences(session, person, course) if a.key == key), None)


def schedulable_courses(session: Session, person: Employee) -> list[Course]:
    """Published courses `person` may schedule a session of."""
    courses = published_courses(session)
    if person.has_role("admin") or champion_units(person):
        return courses
    if not person.has_role("trainer"):
        return []
    owned = {c.id for c in ownership.editable_courses(session, person)}
    return [c for c in courses if c.id in owned]


def in_audience(cs: ClassSession, opd_path: str) -> bool:
    return cs.audience is None or opd_path.startswith(cs.audience.path)


def may_edit(session: Session, person: Employee, cs: ClassSession) -> bool:
    """Edit and cancel: admins, and whoever scheduled it while they still may schedule it
    for that audience (a champion whose grant ended no longer manages the unit's
    sessions)."""
    if person.has_role("admin"):
        return True
    if cs.scheduled_by_id != person.id:
        return False
    key = cs.audience.code if cs.audience else ""
    return audience_for(session, person, cs.course, key) is not None


def may_run(session: Session, person: Employee, cs: ClassSession) -> bool:
    """Attendance, the code on the projector, the printed list: the facilitator too."""
    return cs.facilitator_id == person.id or may_edit(session, person, cs)


def overlaps(scope: Scope | None, cs: ClassSession) -> bool:
    """HR may fill a session whose audience reaches into their scope."""
    if scope is None:
        return False
    if cs.audience is None or scope.city_wide:
        return True
    return scope.contains(cs.audience) or any(r.path.startswith(cs.audience.path)
                                               for r in scope.roots)


def may_see(session: Session, person: Employee, cs: ClassSession, scope: Scope | None,
            has_seat: bool) -> bool:
    return (has_seat or in_audience(cs, person.opd.path) or overlaps(scope, cs)
            or may_run(session, person, cs))


def employee_by_nip(session: Session, nip: str) -> Employee | None:
    return session.scalars(select(Employee).where(Employee.nip == nip.strip(),
                                                  Employee.active)).first()
