"""A course as a zip in the courses/ folder format: export, and import (validated, then
applied like sync-courses, conflicts refused)."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.content import revisions
from lms.content.tree import MAX_TREE_BYTES, marker, read_upload, to_zip, tree_hash
from lms.core.extensions import db
from lms.core.web import allows_upload, audit, logs_on_get, signed_in
from lms.studio import bp, course_for_editing, creation, drafts, publish
from lms.studio.forms import ImportForm
from lms.studio.views.courses import url_base

# A zip's own limit is checked unpacked (content/tree.py); the request may carry it all.
ZIP_REQUEST_BYTES = MAX_TREE_BYTES + 1024 * 1024


@bp.route("/<slug>/ekspor.zip")
@logs_on_get
def export(slug):
    """The published course, or with ?draf=1 the draft. The published zip's comment
    records its revision, so importing it later can tell what changed on which side."""
    course = course_for_editing(slug)
    draft = drafts.get(db.session, course) if request.args.get("draf") else None
    if draft is not None:
        data, name = to_zip(drafts.tree(draft), slug), f"{slug}-draf.zip"
    elif not course.revision:
        abort(404)  # nothing published yet: the draft is the only version
    else:
        tree = revisions.published_tree(db.session, course)
        data = to_zip(tree, slug, marker(slug, course.revision, tree_hash(tree)))
        name = f"{slug}-r{course.revision}.zip"
    audit("course_exported", slug, revision=course.revision, draft=draft is not None)
    db.session.commit()
    response = make_response(data)
    response.mimetype = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _read(form: ImportForm):
    upload = form.archive.data
    return read_upload(upload.read(), upload.filename or "kursus.zip")


def _refused(course, title: str, problems: list, status: int = 400):
    db.session.rollback()
    return render_template("studio/import_result.html", course=course, title=title,
                           problems=[str(p) for p in problems]), status


@bp.route("/<slug>/impor", methods=["POST"])
@allows_upload(ZIP_REQUEST_BYTES)
def import_into(slug):
    course = course_for_editing(slug)
    form = ImportForm()
    if not form.validate_on_submit():
        return _refused(course, _("Import refused"),
                        [e for errors in form.errors.values() for e in errors])
    upload = _read(form)
    if upload.slug and upload.slug != slug:
        upload.problems.append(_("the zip holds the course folder '%(found)s', not "
                                 "'%(slug)s'", found=upload.slug, slug=slug))
    if upload.problems:
        return _refused(course, _("Import refused"), upload.problems)
    if upload.marker_slug and upload.marker_slug != slug:
        upload.base_tree_hash = ""  # exported from another course: no common history
    outcome = publish.import_tree(db.session, course, upload.tree, upload.base_tree_hash,
                                  author=signed_in(),
                                  message=form.message.data, overwrite=form.overwrite.data,
                                  url_base=url_base())
    if not outcome.ok:
        return _refused(course, _("Import refused"),
                        [outcome.conflict] if outcome.conflict else outcome.problems, 409
                        if outcome.conflict else 400)
    audit("course_imported", slug, revision=course.revision,
          changes=len(outcome.report.changes))
    db.session.commit()
    flash(_("Imported and published as revision %(n)d.", n=course.revision)
          if outcome.revision else _("The zip is the same as the published course: "
                                     "nothing changed."), "success")
    return redirect(url_for("studio.course", slug=slug))


@bp.route("/impor", methods=["POST"])
@allows_upload(ZIP_REQUEST_BYTES)
def import_new():
    form = ImportForm()
    if not form.validate_on_submit():
        return _refused(None, _("Import refused"),
                        [e for errors in form.errors.values() for e in errors])
    upload = _read(form)
    if not upload.slug:
        upload.problems.append(_("put the course's files in one folder named like the "
                                 "course (e.g. sisumaker-lanjut/README.md)"))
    if upload.problems:
        return _refused(None, _("Import refused"), upload.problems)
    me = signed_in()
    try:
        course = creation.create(db.session, upload.slug, upload.slug, me, template=False)
    except creation.CourseError as exc:
        return _refused(None, _("Import refused"), [
            str(exc), _("To update an existing course, import on that course's page.")])
    outcome = publish.apply(db.session, course, upload.tree, source="import", author=me,
                            message=form.message.data, url_base=url_base())
    if not outcome.ok:
        return _refused(None, _("Import refused"), outcome.problems)
    audit("course_imported", course.slug, revision=course.revision, created=True)
    db.session.commit()
    flash(_("Course imported and published as revision %(n)d.", n=course.revision),
          "success")
    return redirect(url_for("studio.course", slug=course.slug))
