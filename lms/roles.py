"""Granting and revoking roles. Everyone is a learner; trainer, HR (an OPD subtree or the
whole city) and admin are grants. Nobody changes their own roles."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Employee, Opd, RoleGrant
from .models.people import ROLES


class RoleError(ValueError):
    pass


def grant(session: Session, employee: Employee, role: str, opd: Opd | None,
          by: Employee) -> RoleGrant:
    if employee.id == by.id:
        raise RoleError(_l("Nobody can change their own roles: ask another admin."))
    if role not in ROLES:
        raise RoleError(_l("Unknown role."))
    scope = opd.id if role == "hr" and opd is not None else None
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
