"""Granting and revoking roles, and who may act on whose account. Everyone is a learner;
trainer, HR (an OPD subtree or the whole city), admin and champion (Duta Digital: one
unit, never the whole city) are grants. Nobody changes their own roles, and nobody acts on
an account more privileged than their own."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import Employee, Opd, RoleGrant
from lms.models.people import ROLES
from lms.org.scope import Scope

CHAMPION = "champion"  # opd_id: the unit served, never NULL
ROLE_LABELS = {"trainer": _l("Trainer"), "hr": _l("HR"), "admin": _l("Admin"),
               CHAMPION: _l("Duta Digital")}


class RoleError(ValueError):
    pass


def may_manage(actor: Employee, target: Employee, scope: Scope | None,
               role_holders: set[int] | None = None) -> bool:
    """Whether `actor` may act on `target`'s account (make a password link, change or
    deactivate them through an import). An admin may act on anyone. HR (`scope`, the
    actor's `scope.hr_scope`) only on people inside that scope who hold no role at all:
    a link or an email address set by HR must never open an admin's, another HR
    officer's or a trainer's account. `role_holders`, the ids of everyone holding a
    role, saves a query per person when checking many at once.

    A champion is a learner who sees one unit's statuses: HR whose scope holds that unit
    sees all of it already, so such a champion counts as a plain learner for them; a
    champion of a unit outside the scope does not (their account would open it)."""
    if role_holders is None:
        role_holders = {target.id} if any(
            not (g.role == CHAMPION and scope is not None and g.opd is not None
                 and scope.contains(g.opd)) for g in target.grants) else set()
    return may_manage_by_place(actor, target.id, target.opd.path, scope, role_holders)


def may_manage_by_place(actor: Employee, target_id: int, target_path: str,
                        scope: Scope | None, role_holders: set[int]) -> bool:
    """may_manage for a person known by id and OPD path (an import's plain rows)."""
    if actor.has_role("admin"):
        return True
    if scope is None:
        return False
    return target_id not in role_holders and scope.contains_path(target_path)


def role_holder_ids(session: Session, scope: Scope | None = None) -> set[int]:
    """Everyone holding a role, but for champions whose every unit lies inside `scope`
    (see may_manage)."""
    grants = select(RoleGrant.employee_id).distinct()
    if scope is None:
        return set(session.scalars(grants))
    inside = (select(Opd.id).where(scope.condition())).scalar_subquery()
    return set(session.scalars(grants.where(
        (RoleGrant.role != CHAMPION) | RoleGrant.opd_id.not_in(inside))))


def grant(session: Session, employee: Employee, role: str, opd: Opd | None,
          by: Employee) -> RoleGrant:
    if employee.id == by.id:
        raise RoleError(_l("Nobody can change their own roles: ask another admin."))
    if role not in ROLES:
        raise RoleError(_l("Unknown role."))
    if role == CHAMPION and opd is None:
        raise RoleError(_l("A Duta Digital serves one unit: choose it."))
    scope = opd.id if role in ("hr", CHAMPION) and opd is not None else None
    found = session.scalars(select(RoleGrant).where(
        RoleGrant.employee_id == employee.id, RoleGrant.role == role,
        RoleGrant.opd_id.is_(scope) if scope is None else RoleGrant.opd_id == scope)).first()
    if found:
        return found
    role_grant = RoleGrant(employee_id=employee.id, role=role, opd_id=scope)
    session.add(role_grant)
    session.flush()
    return role_grant


def revoke(session: Session, role_grant: RoleGrant, by: Employee) -> None:
    if role_grant.employee_id == by.id:
        raise RoleError(_l("Nobody can change their own roles: ask another admin."))
    session.delete(role_grant)
    session.flush()
