"""`flask --app app lms issue-certificates`: certificates for completions that have none."""

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.certificates import backfill
from lms.core.database import write_intent
from lms.core.extensions import db

BATCH = 25  # the year lock is held per batch: ~1 s, not the 10 s of 200


@click.command("issue-certificates")
@click.option("--batch", default=BATCH, show_default=True,
              help="Certificates per transaction.")
@with_appcontext
def issue_certificates(batch):
    """Issue a certificate for every completed course that has none (completions from
    before certificates existed, the demo's), oldest completion first, so numbers follow
    completion order within a year. Commits every BATCH certificates: stopped halfway, it
    loses nothing done and a second run carries on. Safe to run twice, or on two hosts
    at once."""
    batch = max(1, batch)
    issued = 0
    with write_intent():
        # The count only sizes the bar; the loop asks again each batch.
        total = backfill.pending(db.session)
        db.session.commit()
        with click.progressbar(length=total, label=_("Issuing certificates")) as bar:
            while True:
                try:
                    looked, made = backfill.issue_next(db.session, batch)
                    db.session.commit()
                except BaseException:
                    db.session.rollback()
                    raise
                if not looked:
                    break
                issued += made
                bar.update(looked)
    click.echo(_("%(count)d certificate(s) issued.", count=issued))


COMMANDS = (issue_certificates,)
