"""Sending the chosen links: for each person, claim (commit), ask the mail server with
no transaction open, record the outcome (commit). The one place in this package that
commits more than once, like the reminder runs: a mail server that takes a second per
message must never hold the database, and a run stopped half way has recorded exactly
what it sent. The page and the `send-access-links` command both use it."""

from dataclasses import dataclass, field

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.activation import links
from lms.core import audit, mail
from lms.core.database import writing
from lms.core.extensions import db
from lms.core.web import external_url
from lms.models import Employee
from lms.people import passwords


@dataclass
class Report:
    sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    unsure: list[str] = field(default_factory=list)  # the server may have taken it
    taken: list[str] = field(default_factory=list)  # another send took them just now
    stopped: str | None = None  # the mail server could not be reached: the rest wait


def _message(person: links.Recipient, token: str):
    with force_locale(person.locale):
        link = external_url("auth.set_password", token=token)
        subject = _("Melek: set your password")
        body = _("Hello %(name)s,\n\nOpen this link to set your Melek password. It works "
                 "once, for %(hours)d hours:\n\n%(link)s\n\nIf you did not expect this "
                 "message, tell the staff officer at your OPD.", name=person.name,
                 hours=passwords.LINK_HOURS, link=link)
    return mail.message(person.email, subject, body)


def send(people: list[links.Recipient], *, hours: int, again: bool, by_id: int | None,
         address: str = "", on_progress=lambda n: None) -> Report:
    """Send each person a set-password link (mail must be enabled); see the module."""
    report = Report()
    connection = mail.Connection()
    secret = current_app.config["SECRET_KEY"]
    try:
        for person in people:
            with writing(db.session):
                by = db.session.get(Employee, by_id) if by_id else None
                link = links.claim(db.session, person, hours, again, by)
                employee = db.session.get(Employee, person.id)
                token = passwords.make_token(secret, employee) if link else None
                link_id = link.id if link else None
                db.session.commit()
            if link_id is None:
                report.taken.append(person.nip)
                on_progress(1)
                continue
            state, error = links.SENT, None
            try:
                connection.send(_message(person, token))
            except mail.MailUnsure as exc:
                state, error = links.SENDING, str(exc)
                report.unsure.append(person.nip)
            except mail.MailRefused as exc:
                state, error = links.FAILED, str(exc)
                report.failed.append((person.nip, str(exc)[:200]))
                if isinstance(exc, mail.MailUnreachable):
                    report.stopped = str(exc)
            else:
                report.sent.append(person.nip)
            with writing(db.session):
                links.record(db.session, link_id, state, error)
                db.session.commit()
            on_progress(1)
            if report.stopped:
                break
    finally:
        connection.close()
        with writing(db.session):
            by = db.session.get(Employee, by_id) if by_id else None
            audit.record(db.session, "access_links_sent", actor=by, address=address,
                         details={"sent": len(report.sent), "failed": len(report.failed),
                                  "unsure": len(report.unsure)})
            db.session.commit()
    return report
