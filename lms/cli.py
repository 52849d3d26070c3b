"""`flask --app app lms ...`: the commands trainers and operators run."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import func, select

from lms import audit
from lms.content import revisions
from lms.content.sync import KINDS, OUTCOME_NAMES, OUTCOMES, sync
from lms.content.validate import load
from lms.database import write_intent, writing
from lms.extensions import db
from lms.models import Course, Employee


@click.group(help="Melek: course content, demo data and maintenance.")
def lms():
    pass


def _stop_if(problems: list[str]) -> None:
    """Print each problem and exit 1, with the transaction rolled back: nothing changes."""
    if not problems:
        return
    db.session.rollback()
    for problem in problems:
        click.echo(problem)
    click.echo(_("Nothing was changed: %(count)d problem(s) found.", count=len(problems)),
               err=True)
    sys.exit(1)


def _courses_dir(folder: str | None) -> Path:
    return Path(folder or current_app.config["COURSES_DIR"])


@lms.command("check-courses")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@with_appcontext
def check_courses(folder):
    """Check every course in FOLDER (default: COURSES_DIR) and print each problem as
    path:line: message. Exits 1 when there is any problem."""
    courses, problems = load(_courses_dir(folder))
    for problem in problems:
        click.echo(str(problem))
    if problems:
        click.echo(_("%(count)d problem(s) found.", count=len(problems)), err=True)
        sys.exit(1)
    modules = sum(len(c.modules) for c in courses)
    questions = sum(len(m.questions) for c in courses for m in c.modules)
    click.echo(_("%(courses)d course(s), %(modules)d module(s), %(questions)d question(s): "
                 "no problems.", courses=len(courses), modules=modules, questions=questions))


@lms.command("sync-courses")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--verbose", "-v", is_flag=True, help="List every change.")
@click.option("--prefer-files", "prefer_files", multiple=True, metavar="SLUG",
              help="On a conflict with browser edits, apply the files for this course "
                   "anyway (the browser's version stays in the revision history).")
@with_appcontext
def sync_courses(folder, verbose, prefer_files):
    """Check FOLDER (default: COURSES_DIR) and apply it to the database in one
    transaction: nothing changes when any course has a problem. Safe to run again.
    A course edited in the browser keeps that version while its files are unchanged;
    when both changed, the sync stops and names the course."""
    with write_intent():
        try:
            report = sync(_courses_dir(folder), db.session,
                          current_app.config.get("APPLICATION_ROOT", "/"),
                          frozenset(prefer_files))
            _stop_if([str(problem) for problem in report.problems])
            audit.record(db.session, "course_sync", target=str(_courses_dir(folder)),
                         details={k: dict(v) for k, v in report.counts.items()})
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    labels = OUTCOME_NAMES
    names = {"course": _("Courses"), "module": _("Modules"), "question": _("Questions")}
    for kind in KINDS:
        counts = report.counts[kind]
        shown = [o for o in OUTCOMES if o != "kept" or counts[o]]
        click.echo(f"{names[kind]}: " + ", ".join(f"{counts[o]} {labels[o]}" for o in shown))
    if verbose:
        for change in report.changes:
            click.echo(f"  {change}")


@lms.command("export-course")
@click.argument("slug")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@click.option("--force", is_flag=True,
              help="Write even over files changed since the last sync (they are lost).")
@with_appcontext
def export_course(slug, folder, force):
    """Write the published version of course SLUG (as edited in the studio) into
    FOLDER/SLUG (default: COURSES_DIR), replacing that course's files, so browser work
    can be committed to git. The next sync-courses then finds files and browser in step."""
    course = db.session.scalars(select(Course).where(Course.slug == slug)).first()
    if course is None or not course.revision:
        click.echo(_("No published course '%(slug)s'.", slug=slug), err=True)
        sys.exit(1)
    if not force and revisions.unsynced_files(course, _courses_dir(folder)):
        click.echo(_("The files of %(slug)s changed since the last sync: exporting would "
                     "overwrite them. Sync or merge them first, or pass --force.",
                     slug=slug), err=True)
        sys.exit(1)
    with write_intent():
        written = revisions.export_to_folder(db.session, course, _courses_dir(folder))
        audit.record(db.session, "course_exported", target=slug,
                     details={"revision": course.revision, "folder": str(written)})
        db.session.commit()
    click.echo(_("Revision %(rev)d of %(slug)s written to %(folder)s.", rev=course.revision,
                 slug=slug, folder=written))


@lms.command("demo")
@click.option("--employees", default=300, show_default=True, help="How many employees.")
@click.option("--seed", default=2026, show_default=True, help="Random seed.")
@with_appcontext
def demo(employees, seed):
    """Fill an empty database with a Tangsel-like organisation, employees and progress.
    Refuses to run in production or on a database that already has employees."""
    from lms.demo import seed_demo
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


@lms.command("accounts")
@with_appcontext
def accounts():
    """Print the demo accounts."""
    from lms.demo import PASSWORD, account_lines
    click.echo(_("Demo accounts (password: %(password)s):", password=PASSWORD))
    for nip, role in account_lines():
        click.echo(f"  {nip}  {role}")


@lms.command("import-opd")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--apply", "apply_", is_flag=True, help="Apply the changes (default: dry run).")
@with_appcontext
def import_opd(file, apply_):
    """Import the organisation tree from a CSV file with the columns kode, nama, jenis,
    kode_induk. Without --apply only reports what would change. Exits 1 on any bad row;
    then nothing changes."""
    from lms.core.cells import NotUtf8, utf8_text
    from lms.org import import_csv
    try:
        text = utf8_text(Path(file).read_bytes())
    except NotUtf8 as exc:
        click.echo(f"{file}:{exc.line}: {exc.message}", err=True)
        sys.exit(1)
    with write_intent():
        result = import_csv(db.session, text, apply=apply_)
        _stop_if([f"{file}:{line}: {message}" for line, message in result.problems])
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


@lms.command("import-employees")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
@click.option("--deactivate-missing", is_flag=True,
              help="Deactivate active employees who are not in the file.")
@with_appcontext
def import_employees(file, dry_run, deactivate_missing):
    """Import employees from the HR system's CSV or XLSX export (columns nip, nama, email,
    jabatan, opd_kode, jenis_pegawai, aktif, in any order). Every bad row is printed as
    FILE:line: reason and nothing changes (exit 1); otherwise all rows apply together."""
    from lms import roster, roster_file
    try:
        table = roster_file.read_table(Path(file).read_bytes(), file)
    except roster_file.ImportFileError as exc:
        click.echo(f"{file}:{exc.line}: {exc}")
        sys.exit(1)
    # Checked and planned without write intent: the write lock is taken below, only for
    # the writing (on SQLite, learners' writes wait while it is held).
    result, rows = roster.plan(db.session, table, deactivate_missing)
    _stop_if([f"{file}:{line}: {message}" for line, message in result.problems])
    for nip, old, new in result.moved:
        click.echo(_("move %(nip)s: %(old)s → %(new)s", nip=nip, old=old, new=new))
    for nip, fields in result.updated:
        click.echo(_("change %(code)s: %(fields)s", code=nip, fields=", ".join(fields)))
    for nip in result.deactivated:
        click.echo(_("deactivate %(nip)s", nip=nip))
    click.echo(_("%(created)d to create, %(updated)d to update (%(moved)d moved), "
                 "%(deactivated)d to deactivate, %(unchanged)d unchanged.",
                 created=len(result.created), updated=len(result.updated),
                 moved=len(result.moved), deactivated=len(result.deactivated),
                 unchanged=result.unchanged))
    if dry_run or not result.changes:
        db.session.rollback()
        click.echo(_("Dry run: nothing was changed.") if dry_run
                   else _("Nothing to change."))
        return
    with writing(db.session), \
            click.progressbar(length=len(rows), label=_("Importing")) as bar:
        roster.apply(db.session, rows, result, on_progress=bar.update)
        audit.record(db.session, "import_employees", target=file,
                     details=roster.summary(result))
        db.session.commit()
    click.echo(_("Applied."))
