"""`flask --app app lms send-reminders`, `send-digests` and `send-notices`: meant for a
systemd timer or cron (docs/operations.md), safe to start on several hosts at once: a
lease in the database lets one run at a time, and every message is claimed before it is
sent."""

import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.core import clock, jobs, mail
from lms.core.database import writing
from lms.core.extensions import db
from lms.models.nudges import FAILED, SENDING, SENT
from lms.nudges import certificate_notices, class_notices, digests, messages, reminders

BATCH = 200  # reminders whose next module is looked up at once
RENEW = timedelta(minutes=1)  # how often a run renews its lease (it lasts ten)


class _Outbox:
    """The run's SMTP connection, and what each message's outcome means for its row."""

    def __init__(self):
        self._connection = mail.Connection()
        self.broken: str | None = None  # the server cannot be reached: stop the run

    def send(self, message) -> tuple[str, str | None]:
        """(state, error) for the message's row."""
        try:
            self._connection.send(message)
        except mail.MailUnsure as exc:
            return SENDING, str(exc)  # it may have arrived: never sent again
        except mail.MailUnreachable as exc:
            self.broken = str(exc)
            return FAILED, str(exc)
        except mail.MailRefused as exc:
            return FAILED, str(exc)
        return SENT, None

    def close(self):
        self._connection.close()


class _Lease:
    """The job's lease, renewed at most once a minute while the run goes on."""

    def __init__(self, name: str, me: str | None):
        self.name, self.me, self._renewed = name, me, clock.now()

    def held(self) -> bool:
        if self.me is None:
            return True  # a dry run takes no lease
        if clock.now() - self._renewed < RENEW:
            return True
        self._renewed = clock.now()
        return jobs.take(db.session, self.name, self.me) is not None

    def release(self):
        if self.me:
            jobs.release(db.session, self.name, self.me)


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
    lease = _Lease("send-reminders", _start("send-reminders", dry_run))
    due = reminders.pending(db.session, clock.today(), cfg["REMINDER_DAYS_BEFORE"],
                            cfg["REMINDER_OVERDUE_EVERY"])
    db.session.rollback()
    outbox, lines = _Outbox(), []
    totals = {"sent": 0, "no_email": 0, "failed": 0, "unsure": 0}
    try:
        with click.progressbar(length=len(due), label=_("Reminders"),
                               file=sys.stderr) as bar:
            for start in range(0, len(due), BATCH):
                batch = due[start:start + BATCH]
                reminders.add_next_modules(db.session, batch)
                db.session.rollback()
                for d in batch:
                    if outbox.broken or not lease.held():
                        break
                    kind = _deliver(d, messages.reminder, reminders, outbox, dry_run)
                    if kind:
                        totals[kind] += 1
                        lines.append(_line(d, kind, dry_run))
                    bar.update(1)
    finally:
        outbox.close()
        lease.release()
    _report(outbox, lines, totals, _summary(totals, dry_run))


def _report(outbox: _Outbox, lines: list[str], totals: dict, summary: str) -> None:
    """Each message's line, the summary; exit 1 when anything failed or is not
    confirmed, so the timer shows it."""
    for line in lines:
        click.echo(line)
    click.echo(summary)
    if outbox.broken or totals["failed"] or totals["unsure"]:
        sys.exit(1)


def _deliver(item, build, kind, outbox: _Outbox, dry_run: bool) -> str | None:
    """Claim, send and record one message (each step its own short commit): `build`
    makes it from `item`, `kind` is its module (reminders, class_notices: claim and
    record). Its outcome for the summary, None when another run had it."""
    if dry_run:
        return "sent" if item.email else "no_email"
    try:
        message, error = (build(item) if item.email else None), None
    except Exception as exc:  # e.g. a header no mail can carry: recorded, the run goes on
        message, error = None, f"{exc.__class__.__name__}: {exc}"
    with writing(db.session):
        taken = kind.claim(db.session, item)
        db.session.commit()
    if not taken:
        return None
    if not item.email:
        return "no_email"
    state, error = outbox.send(message) if message is not None else (FAILED, error)
    with writing(db.session):
        kind.record(db.session, item, state, error)
        db.session.commit()
    return "sent" if state == SENT else "failed" if state == FAILED else "unsure"


def _line(d: reminders.Due, kind: str, dry_run: bool) -> str:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        what = messages.step_label(d.step)
        where = d.email or _("no email address: listed for HR")
        verb = _verb(kind, dry_run)
    return f"{verb}\t{d.nip}\t{d.name}\t{d.title}\t{what}\t{where}"


def _verb(kind: str, dry_run: bool) -> str:
    return {"sent": _("would send") if dry_run else _("sent"), "failed": _("FAILED"),
            "unsure": _("NOT CONFIRMED"), "no_email": _("no email")}[kind]


def _summary(totals: dict, dry_run: bool, digest: bool = False, notices: bool = False) -> str:
    if notices and dry_run:
        return _("Dry run: %(sent)d notice(s) would be emailed; %(no_email)d person(s) have "
                 "no email address. Nothing was sent or recorded.", **totals)
    if notices:
        return _("%(sent)d notice(s) sent, %(failed)d failed, %(unsure)d not confirmed; "
                 "%(no_email)d person(s) have no email address.", **totals)
    if digest and dry_run:
        return _("Dry run: %(sent)d digest(s) would be emailed; %(no_email)d officer(s) "
                 "have no email address. Nothing was sent or recorded.", **totals)
    if digest:
        return _("%(sent)d digest(s) sent, %(failed)d failed, %(unsure)d not confirmed; "
                 "%(no_email)d officer(s) have no email address.", **totals)
    if dry_run:
        return _("Dry run: %(sent)d would be emailed, %(no_email)d listed for HR "
                 "(no email address). Nothing was sent or recorded.", **totals)
    return _("%(sent)d sent, %(failed)d failed, %(unsure)d not confirmed, %(no_email)d "
             "listed for HR (no email address).", **totals)


@click.command("send-digests")
@click.option("--dry-run", is_flag=True, help="Only list what would be sent.")
@with_appcontext
def send_digests(dry_run):
    """Email each HR officer the weekly digest of their scope (once per ISO week):
    completion per mandatory course, the change since the last digest, who is overdue."""
    lease = _Lease("send-digests", _start("send-digests", dry_run))
    week = digests.week_of(clock.today())
    todo = digests.pending(db.session, week)
    outbox, lines = _Outbox(), []
    totals = {"sent": 0, "no_email": 0, "failed": 0, "unsure": 0}
    try:
        with click.progressbar(todo, label=_("Digests"), file=sys.stderr) as bar:
            for item in bar:
                if outbox.broken or not lease.held():
                    break
                person = item.employee
                email, name, nip, person_id = person.email, person.name, person.nip, person.id
                report = digests.report(db.session, item.scope, city=messages.city_name(),
                                        previous=item.previous)
                message = messages.digest(person, report, item.as_head) if email else None
                kind = "sent" if email else "no_email"
                if dry_run:
                    db.session.rollback()
                else:
                    with writing(db.session):
                        taken = digests.claim(db.session, person, week, report.figures)
                        db.session.commit()
                    if not taken and email:
                        continue  # another run has it
                    if taken:
                        state, error = outbox.send(message)
                        kind = {SENT: "sent", FAILED: "failed"}.get(state, "unsure")
                        with writing(db.session):
                            digests.record(db.session, person_id, week, state, error)
                            db.session.commit()
                totals[kind] += 1
                lines.append(f"{_verb(kind, dry_run)}\t{nip}\t{name}\t{report.scope_name}"
                             f"\t{email or _('no email address')}")
    finally:
        outbox.close()
        lease.release()
    _report(outbox, lines, totals, _summary(totals, dry_run, digest=True))


NOTICES = ((class_notices, messages.class_notice),  # what is told, how it is worded
           (certificate_notices, messages.certificate_replaced))
LABELS = {"cancelled": _l("class cancelled"), "moved": _l("class moved"),
          "replaced": _l("certificate replaced")}  # a notice's kind, in the output


@click.command("send-notices")
@click.option("--dry-run", is_flag=True, help="Only list what would be sent.")
@with_appcontext
def send_notices(dry_run):
    """Email the notices that cannot wait for the morning: everyone signed up for a
    classroom session still ahead that was cancelled or moved, and each holder of a
    certificate just replaced by a corrected one; each once. Meant to run every few
    minutes."""
    lease = _Lease("send-notices", _start("send-notices", dry_run))
    now = clock.now()
    todo = [(kind, build, n) for kind, build in NOTICES
            for n in kind.pending(db.session, now)]
    db.session.rollback()
    outbox, lines = _Outbox(), []
    totals = {"sent": 0, "no_email": 0, "failed": 0, "unsure": 0}
    try:
        with click.progressbar(todo, label=_("Notices"), file=sys.stderr) as bar:
            for kind, build, n in bar:
                if outbox.broken or not lease.held():
                    break
                done = _deliver(n, build, kind, outbox, dry_run)
                if done:
                    totals[done] += 1
                    lines.append(f"{_verb(done, dry_run)}\t{n.nip}\t{n.name}\t{n.title}"
                                 f"\t{LABELS[n.kind]}\t{n.email or _('no email address')}")
    finally:
        outbox.close()
        lease.release()
    _report(outbox, lines, totals, _summary(totals, dry_run, notices=True))


COMMANDS = (send_reminders, send_digests, send_notices)
