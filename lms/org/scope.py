"""Which part of the organisation a user may see. Every HR query goes through here."""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lms.models import Employee, Opd


@dataclass
class Scope:
    roots: list[Opd]  # the subtrees the user may see; the top nodes when city-wide
    city_wide: bool

    def contains(self, opd: Opd) -> bool:
        return self.contains_path(opd.path)

    def contains_path(self, path: str) -> bool:
        return any(path.startswith(root.path) for root in self.roots)

    def condition(self, path_column=Opd.path):
        """SQL condition: the node with this path lies inside the scope."""
        return or_(*(path_column.like(root.path + "%") for root in self.roots))


def hr_scope(session: Session, user: Employee | None) -> Scope | None:
    """The HR scope of `user`, or None when they hold no HR role (or are None)."""
    if user is None:
        return None
    grants = [g for g in user.grants if g.role == "hr"]
    if not grants:
        return None
    if any(g.opd_id is None for g in grants):
        tops = list(session.scalars(select(Opd).where(Opd.parent_id.is_(None))
                                    .order_by(Opd.code)))
        return Scope(tops, city_wide=True)
    roots = sorted((g.opd for g in grants), key=lambda o: o.path)
    # A grant inside another grant's subtree adds nothing.
    kept = [r for r in roots if not any(r is not o and r.path.startswith(o.path)
                                        for o in roots)]
    return Scope(kept, city_wide=False)


def employee_in(session: Session, scope: Scope, nip: str) -> Employee | None:
    """The employee with this NIP when they work inside `scope`, else None."""
    return session.scalars(select(Employee).join(Opd, Employee.opd_id == Opd.id)
                           .where(Employee.nip == nip, scope.condition())).first()
