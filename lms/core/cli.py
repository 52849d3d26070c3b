"""What every feature's commands share."""

import sys

import click
from flask_babel import gettext as _

from lms.core.extensions import db


def stop_if(problems: list[str]) -> None:
    """Print each problem and exit 1, with the transaction rolled back: nothing changes."""
    if not problems:
        return
    db.session.rollback()
    for problem in problems:
        click.echo(problem)
    click.echo(_("Nothing was changed: %(count)d problem(s) found.", count=len(problems)),
               err=True)
    sys.exit(1)
