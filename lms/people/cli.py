"""`flask --app app lms import-employees`: employees from the HR system's export."""

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.core.cli import stop_if
from lms.core.database import writing
from lms.core.extensions import db
from lms.people import roster, roster_file


@click.command("import-employees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
@click.option("--deactivate-missing", is_flag=True,
              help="Deactivate active employees who are not in the file.")
@with_appcontext
def import_employees(file, dry_run, deactivate_missing):
    """Import employees from the HR system's CSV or XLSX export (columns nip, nama, email,
    jabatan, opd_kode, jenis_pegawai, aktif, in any order). Every bad row is printed as
    FILE:line: reason and nothing changes (exit 1); otherwise all rows apply together."""
    try:
        table = roster_file.read_table(Path(file).read_bytes(), file)
    except roster_file.ImportFileError as exc:
        click.echo(f"{file}:{exc.line}: {exc}")
        sys.exit(1)
    # Checked and planned without write intent: the write lock is taken below, only for
    # the writing (on SQLite, learners' writes wait while it is held).
    result, rows = roster.plan(db.session, table, deactivate_missing)
    stop_if([f"{file}:{line}: {message}" for line, message in result.problems])
    for nip, old, new in result.moved:
        click.echo(_("move %(nip)s: %(old)s → %(new)s", nip=nip, old=old, new=new))
    for nip, fields in result.updated:
        click.echo(_("change %(code)s: %(fields)s", code=nip, fields=", ".join(fields)))
    for nip in result.deactivated:
        click.echo(_("deactivate %(nip)s", nip=nip))
    click.echo(str(roster.describe(result)))
    if dry_run or not result.changes:
        db.session.rollback()
        click.echo(_("Dry run: nothing was changed.") if dry_run
                   else _("Nothing to change."))
        return
    with writing(db.session), \
            click.progressbar(length=len(rows), label=_("Importing")) as bar:
        roster.apply_and_audit(db.session, rows, result, source=file, on_progress=bar.update)
        db.session.commit()
    click.echo(_("Applied."))


COMMANDS = (import_employees,)
