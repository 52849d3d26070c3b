"""`flask --app app lms send-reminders` and `send-digests`: meant for a systemd timer or
cron (docs/operations.md), safe to start on several hosts at once: a lease in the
database lets one run at a time, and every message is claimed before it is sent."""

import sys
from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.core import clock, jobs, mail
from lms.core.database import writing
from lms.core.extensions import db
from lms.nudges import digests, messages, reminders

BATCH = 50  # reminders claimed per transaction


class _Outbox:
    """One SMTP connection, opened at the first message; a failed connection fails the
    rest of the run's messages instead of retrying each."""

    def __init__(self):
        self._context = None
        self._send: Callable | None = None
        self.broken: str | None = None

    def send(self, message) -> str | None:
        """None when the server took it, else its answer."""
        if self.broken:
            return self.broken
        try:
            if self._send is None:
                self._context = mail.connection()
                self._send = self._context.__enter__()
            self._send(message)
        except mail.MailError as exc:
            if self._send is None:
                self.broken = str(exc) or exc.__class__.__name__
            return str(exc) or exc.__class__.__name__
        return None

    def close(self):
        if self._context is not None:
            self._context.__exit__(None, None, None)


def _start(name: str, dry_run: bool) -> str | None:
    """The lease holder's name for this run, None for a dry run; exits when another
    host runs the job or mail is not set up."""
    if dry_run:
        return None
    if not mail.enabled():
        click.echo(_("MAIL_SERVER is not set: nothing can be sent. Use --dry-run to see "
                     "what would be sent."), err=True)
        sys.exit(1)
    me = jobs.holder()
    if jobs.take(db.session, name, me) is None:
        held = jobs.held_by(db.session, name)
        click.echo(_("Another run of %(job)s is in progress (%(holder)s); this one stops.",
                     job=name, holder=held.holder if held else "?"), err=True)
        sys.exit(0)
    return me


@click.command("send-reminders")
@click.option("--dry-run", is_flag=True, help="Only list what would be sent.")
@with_appcontext
def send_reminders(dry_run):
    """Email the deadline reminders due today: REMINDER_DAYS_BEFORE days before a
    mandatory course's due date, on the day, then every REMINDER_OVERDUE_EVERY days while
    it is not completed. Each step goes out once; people without an email address are
    listed for HR (Laporan > Pengingat)."""
    cfg = current_app.config
    me = _start("send-reminders", dry_run)
    due = reminders.pending(db.session, clock.today(), cfg["REMINDER_DAYS_BEFORE"],
                            cfg["REMINDER_OVERDUE_EVERY"])
    db.session.rollback()
    outbox, lines, totals = _Outbox(), [], {"sent": 0, "no_email": 0, "failed": 0}
    try:
        with click.progressbar(length=len(due), label=_("Reminders"),
                               file=sys.stderr) as bar:
            for start in range(0, len(due), BATCH):
                batch = due[start:start + BATCH]
                if me and jobs.take(db.session, "send-reminders", me) is None:
                    break  # the lease lapsed and another host took over
                reminders.add_next_modules(db.session, batch)
                if me:
                    with writing(db.session):
                        batch = reminders.claim(db.session, batch)
                        db.session.commit()
                outcomes, attempted = [], 0
                try:
                    for d in batch:
                        attempted += 1
                        error = outbox.send(messages.reminder(d)) if me and d.email else None
                        if d.email and me:
                            outcomes.append((d, error))
                        kind = ("failed" if error else "sent") if d.email else "no_email"
                        totals[kind] += 1
                        lines.append(_line(d, kind, dry_run))
                finally:
                    # Stopped part way: what was sent is recorded, the one in the mail
                    # server's hands stays "sending", and the claims not yet tried are
                    # given back for the next run.
                    untried = batch[attempted:] if me else []
                    if outcomes or untried:
                        with writing(db.session):
                            reminders.record(db.session, outcomes)
                            reminders.release(db.session, untried)
                            db.session.commit()
                bar.update(len(due[start:start + BATCH]))
    finally:
        outbox.close()
        if me:
            jobs.release(db.session, "send-reminders", me)
    for line in lines:
        click.echo(line)
    click.echo(_summary(totals, dry_run))
    if outbox.broken or totals["failed"]:
        sys.exit(1)


def _line(d: reminders.Due, kind: str, dry_run: bool) -> str:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        what = messages.step_label(d.step)
        where = d.email or _("no email address: listed for HR")
        verb = _verb(kind, dry_run)
    return f"{verb}\t{d.nip}\t{d.name}\t{d.title}\t{what}\t{where}"


def _verb(kind: str, dry_run: bool) -> str:
    return {"sent": _("would send") if dry_run else _("sent"), "failed": _("FAILED"),
            "no_email": _("no email")}[kind]


def _summary(totals: dict, dry_run: bool, digest: bool = False) -> str:
    if digest and dry_run:
        return _("Dry run: %(sent)d digest(s) would be emailed; %(no_email)d officer(s) "
                 "have no email address. Nothing was sent or recorded.", **totals)
    if digest:
        return _("%(sent)d digest(s) sent, %(failed)d failed; %(no_email)d officer(s) have "
                 "no email address.", **totals)
    if dry_run:
        return _("Dry run: %(sent)d would be emailed, %(no_email)d listed for HR "
                 "(no email address). Nothing was sent or recorded.", **totals)
    return _("%(sent)d sent, %(failed)d failed, %(no_email)d listed for HR (no email "
             "address).", **totals)


@click.command("send-digests")
@click.option("--dry-run", is_flag=True, help="Only list what would be sent.")
@with_appcontext
def send_digests(dry_run):
    """Email each HR officer the weekly digest of their scope (once per ISO week):
    completion per mandatory course, the change since the last digest, who is overdue."""
    me = _start("send-digests", dry_run)
    week = digests.week_of(clock.today())
    todo = digests.pending(db.session, week)
    outbox, lines, totals = _Outbox(), [], {"sent": 0, "no_email": 0, "failed": 0}
    try:
        with click.progressbar(todo, label=_("Digests"), file=sys.stderr) as bar:
            for item in bar:
                if me and jobs.take(db.session, "send-digests", me) is None:
                    break
                person = item.employee
                email, name, nip, person_id = person.email, person.name, person.nip, person.id
                report = digests.report(db.session, item.scope, city=messages.city_name(),
                                        previous=item.previous)
                message = messages.digest(person, report) if email else None
                kind = "sent" if email else "no_email"
                if me:
                    with writing(db.session):
                        taken = digests.claim(db.session, person, week, report.figures)
                        db.session.commit()
                    if not taken and email:
                        continue  # another run has it
                    if taken:
                        error = outbox.send(message)
                        kind = "failed" if error else "sent"
                        with writing(db.session):
                            digests.record(db.session, person_id, week, error)
                            db.session.commit()
                else:
                    db.session.rollback()
                totals[kind] += 1
                lines.append(f"{_verb(kind, dry_run)}\t{nip}\t{name}\t{report.scope_name}"
                             f"\t{email or _('no email address')}")
    finally:
        outbox.close()
        if me:
            jobs.release(db.session, "send-digests", me)
    for line in lines:
        click.echo(line)
    click.echo(_summary(totals, dry_run, digest=True))
    if outbox.broken or totals["failed"]:
        sys.exit(1)


COMMANDS = (send_reminders, send_digests)
