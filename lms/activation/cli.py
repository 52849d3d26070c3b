"""`flask --app app lms send-access-links` and `print-activation-letters`: first access
for many people from the command line (the page does the same, a press at a time)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.activation import codes, letters, links, sending
from lms.core import audit, clock, mail
from lms.core.cli import stop_if
from lms.core.database import writing
from lms.core.extensions import db
from lms.core.web import external_url
from lms.org import tree


def _opd(code: str | None):
    if not code:
        return None
    found = tree.by_code(db.session, code)
    stop_if([] if found else [_("No OPD with code %(code)s.", code=code)])
    return found


@click.command("send-access-links")
@click.option("--opd", "opd_code", help="OPD code (with the units under it).")
@click.option("--without-password", is_flag=True, help="Only people with no password yet.")
@click.option("--nips", "nips_file", type=click.Path(exists=True, dir_okay=False),
              help="A file of NIPs, one per line (then --opd is not used).")
@click.option("--again", is_flag=True,
              help="Also people sent a link within ACCESS_LINK_RESEND_HOURS.")
@click.option("--dry-run", is_flag=True, help="Only count who would get a link.")
@with_appcontext
def send_access_links(opd_code, without_password, nips_file, again, dry_run):
    """Email a set-password link to every chosen active employee who has an address.
    Safe to run again: people sent one lately are skipped (--again sends anyway)."""
    stop_if([] if mail.enabled() or dry_run else [_("MAIL_SERVER is not set: no email "
                                                    "can be sent.")])
    nips = links.parse_nips(Path(nips_file).read_text()) if nips_file else []
    hours = current_app.config["ACCESS_LINK_RESEND_HOURS"]
    selection = links.choose(db.session, opd=_opd(opd_code),
                             without_password=without_password, nips=nips, hours=hours,
                             again=again, allowed=lambda e: True)
    db.session.rollback()
    click.echo(_("%(send)d to send; skipped: %(recent)d sent lately, %(none)d without "
                 "email, %(missing)d NIPs not found.", send=len(selection.to_send),
                 recent=len(selection.recent), none=len(selection.no_email),
                 missing=len(selection.not_found)))
    for nip in selection.not_found:
        click.echo(_("not found: %(nip)s", nip=nip))
    for nip in selection.has_password:
        click.echo(_("left out, has a password: %(nip)s", nip=nip))
    if dry_run or not selection.to_send:
        return
    with click.progressbar(length=len(selection.to_send), label=_("Sending")) as bar:
        report = sending.send(selection.to_send, hours=hours, again=again, by_id=None,
                              on_progress=bar.update)
    for nip, error in report.failed:
        click.echo(_("not sent %(nip)s: %(error)s", nip=nip, error=error))
    click.echo(_("Sent %(sent)d, not sent %(failed)d, perhaps sent %(unsure)d.",
                 sent=len(report.sent), failed=len(report.failed),
                 unsure=len(report.unsure)))
    if report.stopped:
        raise SystemExit(1)


@click.command("print-activation-letters")
@click.option("--opd", "opd_code", required=True, help="OPD code (with the units under it).")
@click.option("--output", "-o", type=click.Path(dir_okay=False), required=True)
@click.option("--with-password", is_flag=True, help="Also people who have a password.")
@click.option("--again", is_flag=True,
              help="Also people whose letter still works (their old letter stops working).")
@with_appcontext
def print_activation_letters(opd_code, output, with_password, again):
    """A PDF of activation letters for an OPD's people, one per page."""
    opd = _opd(opd_code)
    people, skipped = codes.people_for_letters(db.session, opd, with_password=with_password,
                                               again=again, allowed=lambda e: True)
    if not people:
        db.session.rollback()
        click.echo(_("Nobody to print a letter for (%(n)d hold a letter that still works).",
                     n=skipped))
        return
    opd_name = opd.name
    with writing(db.session):
        made = codes.make_letters(db.session, current_app.config["SECRET_KEY"], people,
                                  current_app.config["ACTIVATION_DAYS"], by=None)
        audit.record(db.session, "activation_letters", target=opd_code,
                     details={"people": len(made), "skipped": skipped})
        db.session.commit()
    Path(output).write_bytes(letters.pdf(
        made, lambda nip: external_url("auth.activate", nip=nip), opd_name, clock.now()))
    click.echo(_("%(n)d letters written to %(file)s.", n=len(made), file=output))


COMMANDS = (send_access_links, print_activation_letters)
