"""Who may make whom a champion of which unit, and who may take it back.

Admins: anyone, any unit. An OPD's HR: a unit inside their scope, for a person inside it
whom they may act on (people.roles.may_manage: someone holding no role, or only champion
grants inside the scope). HR may therefore not make an HR officer, a trainer or an admin
a champion: that changes a more privileged account, which only an admin does."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import Employee, Opd, RoleGrant
from lms.org import tree
from lms.org.scope import Scope
from lms.people import roles
from lms.people.roles import CHAMPION


def may_grant(actor: Employee, target: Employee, unit: Opd | None,
              scope: Scope | None) -> bool:
    """Whether `actor` (HR scope `scope`) may make `target` a champion of `unit` (None:
    of some unit, for showing the form)."""
    if not target.active or target.id == actor.id:
        return False
    if actor.has_role("admin"):
        return True
    if scope is None or (unit is not None and not scope.contains(unit)):
        return False
    return roles.may_manage(actor, target, scope)


def may_revoke(actor: Employee, grant: RoleGrant, scope: Scope | None) -> bool:
    if grant.role != CHAMPION or grant.employee_id == actor.id:
        return False
    if actor.has_role("admin"):
        return True
    return scope is not None and scope.contains(grant.opd) and roles.may_manage(
        actor, grant.employee, scope)


def grants_of(session: Session, person: Employee) -> list[RoleGrant]:
    return list(session.scalars(select(RoleGrant).join(Opd, Opd.id == RoleGrant.opd_id).where(
        RoleGrant.employee_id == person.id, RoleGrant.role == CHAMPION).order_by(Opd.path)))


def unit_choices(session: Session, scope: Scope | None) -> list[tuple[str, str]]:
    """The units a champion may be given, in tree order: the scope's, or every one."""
    units = tree.in_order(session, scope.condition() if scope is not None else None)
    top = min(r.depth for r in scope.roots) if scope is not None else 0
    return [(o.code, tree.option_label(o, top)) for o in units]


@dataclass
class Box:
    """The champion part of HR's employee page."""
    grants: list[RoleGrant]
    revocable: set[int]  # grant ids this viewer may revoke
    may_grant: bool
    units: list[tuple[str, str]]


def box(session: Session, actor: Employee, person: Employee, scope: Scope | None) -> Box:
    grants = grants_of(session, person)
    allowed = may_grant(actor, person, None, scope)
    return Box(grants, {g.id for g in grants if may_revoke(actor, g, scope)}, allowed,
               unit_choices(session, scope) if allowed else [])
