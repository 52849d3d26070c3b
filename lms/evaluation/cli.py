"""`flask --app app lms export-evaluation`: the questionnaire as edited in the browser,
written back to courses/_evaluasi/kuesioner.md so it can be committed to git."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.core import audit
from lms.core.database import write_intent
from lms.core.extensions import db
from lms.evaluation import questionnaire


@click.command("export-evaluation")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@with_appcontext
def export_evaluation(folder):
    """Write the current questionnaire into FOLDER/_evaluasi/kuesioner.md (default:
    COURSES_DIR), so files and browser are in step again."""
    with write_intent():
        written = questionnaire.export_to_folder(
            db.session, Path(folder or current_app.config["COURSES_DIR"]))
        if written is None:
            db.session.rollback()
            click.echo(_("No questionnaire is stored yet."), err=True)
            sys.exit(1)
        audit.record(db.session, "evaluation_exported", target=str(written))
        db.session.commit()
    click.echo(_("Questionnaire written to %(path)s.", path=written))


COMMANDS = (export_evaluation,)
