"""`flask --app app lms check-courses | sync-courses | export-course`: the courses/
folder and the database."""

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select

from lms.content import revisions
from lms.content.source import errors
from lms.content.sync import LEVELS, OUTCOME_NAMES, OUTCOMES, sync
from lms.content.validate import load
from lms.core import audit
from lms.core.cli import stop_if
from lms.core.database import write_intent
from lms.core.extensions import db
from lms.evaluation import questionnaire
from lms.models import Course


def _courses_dir(folder: str | None) -> Path:
    return Path(folder or current_app.config["COURSES_DIR"])


@click.command("check-courses")
@click.argument("folder", required=False, type=click.Path(file_okay=False))
@with_appcontext
def check_courses(folder):
    """Check every course in FOLDER (default: COURSES_DIR) and print each problem as
    path:line: message. Exits 1 when there is any problem; warnings (a course crediting
    more JP than its minutes support) are printed and change nothing."""
    courses, found = load(_courses_dir(folder))
    form, form_problems = questionnaire.check(_courses_dir(folder))  # _evaluasi/
    found = found + form_problems
    for problem in found:
        click.echo(str(problem))
    problems = errors(found)
    if problems:
        click.echo(_("%(count)d problem(s) found.", count=len(problems)), err=True)
        sys.exit(1)
    modules = sum(len(c.modules) for c in courses)
    questions = sum(len(m.questions) for c in courses for m in c.modules)
    click.echo(_("%(courses)d course(s), %(modules)d module(s), %(questions)d question(s): "
                 "no problems.", courses=len(courses), modules=modules, questions=questions))
    aids = sum(c.job_aid is not None for c in courses)
    if aids:
        click.echo(_("%(count)d job aid(s) (RINGKAS.md).", count=aids))
    if form is not None:
        click.echo(_("Participant evaluation: %(count)d statement(s).",
                     count=len(form.items)))
    if len(found) > len(problems):
        click.echo(_("%(count)d warning(s).", count=len(found) - len(problems)))


@click.command("sync-courses")
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
            evaluation, form_problems = questionnaire.sync_files(db.session,
                                                                 _courses_dir(folder))
            stop_if([str(problem) for problem in report.problems + form_problems])
            audit.record(db.session, "course_sync", target=str(_courses_dir(folder)),
                         details={k: dict(v) for k, v in report.counts.items()})
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
    for warning in report.warnings:
        click.echo(str(warning))
    labels = OUTCOME_NAMES
    names = {"course": _("Courses"), "module": _("Modules"), "question": _("Questions")}
    for kind in LEVELS:
        counts = report.counts[kind]
        shown = [o for o in OUTCOMES if o != "kept" or counts[o]]
        click.echo(f"{names[kind]}: " + ", ".join(f"{counts[o]} {labels[o]}" for o in shown))
    aids = report.counts["job_aid"]
    if aids:
        click.echo(_("Job aids (RINGKAS.md): %(counts)s", counts=", ".join(
            f"{aids[o]} {labels[o]}" for o in OUTCOMES if o != "kept" and aids[o])))
    if evaluation != "none":
        click.echo(_("Participant evaluation: %(outcome)s", outcome=OUTCOME_NAMES[evaluation]))
    if verbose:
        for change in report.changes:
            click.echo(f"  {change}")


@click.command("export-course")
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


COMMANDS = (check_courses, sync_courses, export_course)
