"""`flask --app app lms demo | accounts`: demo data for a local site."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.certificates import backfill, issue, signing
from lms.core import clock
from lms.core.database import write_intent
from lms.core.extensions import db
from lms.demo.seed import PASSWORD, account_lines, seed_demo
from lms.models import Employee


@click.command("demo")
@click.option("--employees", default=300, show_default=True, help="How many employees.")
@click.option("--seed", default=2026, show_default=True, help="Random seed.")
@with_appcontext
def demo(employees, seed):
    """Fill an empty database with a Tangsel-like organisation, employees and progress.
    Refuses to run in production or on a database that already has employees."""
    if current_app.config["LMS_ENV"] == "production":
        click.echo(_("Refusing to create demo data when LMS_ENV=production."), err=True)
        sys.exit(1)
    if db.session.scalar(select(func.count(Employee.id))):
        click.echo(_("The database already has employees; demo data not added."))
        return
    config = current_app.config
    key = config.get("CERTIFICATE_SIGNING_P12") or ""
    # The seeded completions' certificates are made unsigned: signing hundreds would add
    # a second or more per hundred to every demo set-up, for papers nobody checks.
    config["CERTIFICATE_SIGNING_P12"] = ""
    try:
        with write_intent():
            # Issued after the seeding, oldest completion first, so numbers follow dates.
            db.session.info[issue.DEFERRED] = True
            try:
                with click.progressbar(length=employees,
                                       label=_("Creating employees")) as bar:
                    seed_demo(db.session, employees, seed, on_progress=bar.update,
                              reminder_steps=(config["REMINDER_DAYS_BEFORE"],
                                              config["REMINDER_OVERDUE_EVERY"]))
            finally:
                db.session.info.pop(issue.DEFERRED)
            db.session.commit()
            with click.progressbar(length=backfill.pending(db.session),
                                   label=_("Issuing certificates")) as bar:
                while (done := backfill.issue_next(db.session, 200))[0]:
                    db.session.commit()
                    bar.update(done[0])
    finally:
        config["CERTIFICATE_SIGNING_P12"] = key
    if key and not Path(key).exists():
        # A self-signed key, so certificates earned by clicking through the demo are
        # signed as in production (with a key nobody trusts).
        signing.make_demo_key(Path(key), clock.now())
        Path(key).chmod(0o600)
        click.echo(_("Demo signing key written to %(path)s (self-signed, for the demo "
                     "only).", path=key))
    click.echo(_("Demo data ready. See the accounts with: flask --app app lms accounts"))


@click.command("accounts")
@with_appcontext
def accounts():
    """Print the demo accounts."""
    click.echo(_("Demo accounts (password: %(password)s):", password=PASSWORD))
    for nip, role in account_lines():
        click.echo(f"  {nip}  {role}")


COMMANDS = (demo, accounts)
