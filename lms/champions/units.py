"""The units a champion serves: their champion grants as a Scope (org.scope's), so every
query of the champion's pages is narrowed by the same SQL condition as HR's."""

from lms.models import Employee
from lms.org.scope import Scope
from lms.people.roles import CHAMPION


def champion_scope(user: Employee | None) -> Scope | None:
    """The units `user` serves as a champion (and everything under them), or None."""
    if user is None:
        return None
    units = sorted((g.opd for g in user.grants if g.role == CHAMPION and g.opd is not None),
                   key=lambda o: o.path)
    if not units:
        return None
    # A unit inside another granted unit adds nothing.
    kept = [u for u in units if not any(u is not o and u.path.startswith(o.path)
                                        for o in units)]
    return Scope(kept, city_wide=False)
