"""`flask --app app lms demo | accounts`: demo data for a local site."""

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

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
    with write_intent():
        with click.progressbar(length=employees, label=_("Creating employees")) as bar:
            seed_demo(db.session, employees, seed, on_progress=bar.update)
        db.session.commit()
    click.echo(_("Demo data ready. See the accounts with: flask --app app lms accounts"))


@click.command("accounts")
@with_appcontext
def accounts():
    """Print the demo accounts."""
    click.echo(_("Demo accounts (password: %(password)s):", password=PASSWORD))
    for nip, role in account_lines():
        click.echo(f"  {nip}  {role}")


COMMANDS = (demo, accounts)
