"""`flask --app app lms import-opd`: the OPD tree from a CSV file."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.core import audit
from lms.core.cells import NotUtf8, utf8_text
from lms.core.cli import stop_if
from lms.core.database import write_intent
from lms.core.extensions import db
from lms.org.tree import import_csv


@click.command("import-opd")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--apply", "apply_", is_flag=True, help="Apply the changes (default: dry run).")
@with_appcontext
def import_opd(file, apply_):
    """Import the organisation tree from a CSV file with the columns kode, nama, jenis,
    kode_induk. Without --apply only reports what would change. Exits 1 on any bad row;
    then nothing changes."""
    try:
        text = utf8_text(Path(file).read_bytes())
    except NotUtf8 as exc:
        click.echo(f"{file}:{exc.line}: {exc.message}", err=True)
        sys.exit(1)
    with write_intent():
        result = import_csv(db.session, text, apply=apply_)
        stop_if([f"{file}:{line}: {message}" for line, message in result.problems])
        for code in result.created:
            click.echo(_("add %(code)s", code=code))
        for code, fields in result.updated:
            click.echo(_("change %(code)s: %(fields)s", code=code, fields=", ".join(fields)))
        click.echo(_("%(created)d to add, %(updated)d to change, %(unchanged)d unchanged.",
                     created=len(result.created), updated=len(result.updated),
                     unchanged=result.unchanged))
        if apply_:
            audit.record(db.session, "import_opd", target=file,
                         details={"created": len(result.created),
                                  "updated": len(result.updated),
                                  "unchanged": result.unchanged})
            db.session.commit()
            click.echo(_("Applied."))
        else:
            db.session.rollback()
            click.echo(_("Dry run: nothing was changed. Add --apply to apply."))


COMMANDS = (import_opd,)
