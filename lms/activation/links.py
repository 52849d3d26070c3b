"""Set-password links for many people at once: who is chosen (an OPD and the units under
it, people without a password yet, or a list of NIPs), who is skipped and why, and the
claim that makes a send happen once.

Never twice by accident: a person sent a link within ACCESS_LINK_RESEND_HOURS is skipped
unless the sender asks again; the row is claimed (committed) right before the mail server
is asked, under a lock on the person, so a double press or two runs at once send one
link; a message the server may have taken (the connection broke) stays claimed."""

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from lms.core import clock
from lms.core.database import lock_key
from lms.models import AccessLink, Employee, Opd
from lms.models.nudges import FAILED, SENDING, SENT

CHUNK = 500  # ids per IN (…) list


@dataclass(frozen=True)
class Recipient:
    """What a message needs, read before any transaction ends (no lazy loads later)."""
    id: int
    nip: str
    name: str
    email: str
    locale: str


@dataclass
class Selection:
    to_send: list[Recipient] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)  # NIPs sent a link lately
    no_email: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # NIPs asked for, not usable
    has_password: list[str] = field(default_factory=list)  # asked for, left out by choice
    not_allowed: int = 0  # people the user may not act on (roles.may_manage)


def parse_nips(text: str) -> list[str]:
    """NIPs typed or pasted: one per line, or separated by commas or spaces."""
    seen, out = set(), []
    for part in text.replace(",", " ").split():
        if part not in seen:
            seen.add(part)
            out.append(part)
    return out


def choose(session: Session, *, opd: Opd | None, without_password: bool,
           nips: list[str], hours: int, again: bool, allowed) -> Selection:
    """Active employees chosen by NIP (when any are given) or by OPD (the whole city
    without one), optionally only those without a password; split into who gets a link
    now and who does not, and why. `allowed(employee)`: roles.may_manage for the user."""
    query = select(Employee).join(Opd, Opd.id == Employee.opd_id).where(Employee.active)
    if nips:
        query = query.where(Employee.nip.in_(nips))
    elif opd is not None:
        query = query.where(Opd.path.startswith(opd.path))
    if without_password and not nips:
        query = query.where(Employee.password_hash.is_(None))
    people = list(session.scalars(query.options(contains_eager(Employee.opd))
                                  .order_by(Employee.name, Employee.id)))
    result = Selection()
    found = {e.nip for e in people}
    result.not_found = [n for n in nips if n not in found]
    if without_password and nips:
        # Asked for by NIP but holding a password: said apart, not "not found".
        result.has_password = [e.nip for e in people if e.password_hash is not None]
        people = [e for e in people if e.password_hash is None]
    since = clock.now() - timedelta(hours=hours)
    recent = set() if again else _recent(session, [e.id for e in people], since)
    for e in people:
        if not allowed(e):
            result.not_allowed += 1
        elif not (e.email or "").strip():
            result.no_email.append(e.nip)
        elif e.id in recent:
            result.recent.append(e.nip)
        else:
            result.to_send.append(Recipient(e.id, e.nip, e.name, e.email.strip(),
                                            e.locale or "id"))
    return result


def _recent(session: Session, ids: list[int], since) -> set[int]:
    out = set()
    for start in range(0, len(ids), CHUNK):
        out |= set(session.scalars(select(AccessLink.employee_id).where(
            AccessLink.employee_id.in_(ids[start:start + CHUNK]), AccessLink.at >= since,
            AccessLink.state.in_((SENDING, SENT)))))
    return out


def claim(session: Session, person: Recipient, hours: int, again: bool,
          by: Employee | None) -> AccessLink | None:
    """Take this person's link for this send, in the caller's write transaction (which
    commits before the mail server is asked); None when another send has just taken it
    (or, unless `again`, sent one lately)."""
    lock_key(session, "access_link", person.nip)
    since = clock.now() - timedelta(seconds=60) if again \
        else clock.now() - timedelta(hours=hours)
    taken = session.scalar(select(AccessLink.id).where(
        AccessLink.employee_id == person.id, AccessLink.at >= since,
        AccessLink.state.in_((SENDING, SENT))).limit(1))
    if taken is not None:
        return None
    link = AccessLink(employee_id=person.id, state=SENDING, by_id=by.id if by else None)
    session.add(link)
    session.flush()
    return link


def record(session: Session, link_id: int, state: str, error: str | None = None) -> None:
    link = session.get(AccessLink, link_id)
    link.state, link.error = state, (error or "")[:300] or None
    session.flush()


__all__ = ["FAILED", "SENDING", "SENT", "Recipient", "Selection", "choose", "claim",
           "parse_nips", "record"]
