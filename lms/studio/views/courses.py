"""Studio pages: the trainer's courses, one course's overview, owners."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms.content import revisions
from lms.content.parse import JOB_AID_FILE
from lms.content.source import errors, warnings
from lms.core.extensions import db
from lms.core.web import audit, signed_in
from lms.models import Employee
from lms.studio import bp, check, course_for_editing, creation, drafts, ownership
from lms.studio.forms import (
    ImportForm,
    NewCourseForm,
    NewModuleForm,
    OwnerForm,
    PublishForm,
    UploadForm,
)
from lms.studio.paths import media_files, module_files


@bp.route("/")
def index():
    listed = ownership.editable_courses(db.session, signed_in())
    with_draft = drafts.owned_drafts(db.session, [c.id for c in listed])
    return render_template("studio/index.html", courses=listed, with_draft=with_draft,
                           form=NewCourseForm(), import_form=ImportForm())


@bp.route("/baru", methods=["POST"])
def new_course():
    form = NewCourseForm()
    if form.validate_on_submit():
        try:
            course = creation.create(db.session, form.slug.data or "", form.title.data,
                                    signed_in())
        except creation.CourseError as exc:
            form.slug.errors = [str(exc)]
        else:
            audit("course_created", course.slug)
            db.session.commit()
            flash(_("Course started. Write it, preview it, then publish it."), "success")
            return redirect(url_for("studio.course", slug=course.slug))
    listed = ownership.editable_courses(db.session, signed_in())
    return render_template("studio/index.html", courses=listed, form=form,
                           import_form=ImportForm(),
                           with_draft=drafts.owned_drafts(db.session, [c.id for c in listed])
                           ), 400


@bp.route("/<slug>")
def course(slug):
    course = course_for_editing(slug)
    state = drafts.state(db.session, course)
    tree = drafts.tree(state.draft) if state.draft else revisions.published_tree(
        db.session, course)
    found = check.problems(tree, course.slug) if tree else []
    return render_template(
        "studio/course.html", course=course, state=state,
        modules=module_files(tree), media=media_files(tree), job_aid=JOB_AID_FILE in tree,
        problems=errors(found), warnings=warnings(found),
        owners=ownership.owners(db.session, course), latest=revisions.latest(db.session, course),
        publish_form=PublishForm(), import_form=ImportForm(), upload_form=UploadForm(),
        module_form=NewModuleForm(), owner_form=OwnerForm())


@bp.route("/<slug>/pemilik", methods=["POST"])
def add_owner(slug):
    if not current_user.has_role("admin"):
        abort(403)
    course = course_for_editing(slug)
    form = OwnerForm()
    person = db.session.scalars(select(Employee).where(
        Employee.nip == (form.nip.data or "").strip())).first() if form.validate() else None
    if person is None:
        flash(_("No employee with that NIP."), "error")
    elif not person.has_role("trainer"):
        flash(_("%(name)s is not a trainer: grant the trainer role first (Admin › Roles).",
                name=person.name), "error")
    elif ownership.add_owner(db.session, course, person):
        audit("course_owner_added", course.slug, nip=person.nip)
        db.session.commit()
        flash(_("%(name)s now co-owns this course.", name=person.name), "success")
    return redirect(url_for("studio.course", slug=slug) + "#pemilik")


@bp.route("/<slug>/pemilik/<id:employee_id>/hapus", methods=["POST"])
def remove_owner(slug, employee_id):
    if not current_user.has_role("admin"):
        abort(403)
    course = course_for_editing(slug)
    person = db.session.get(Employee, employee_id) or abort(404)
    if ownership.remove_owner(db.session, course, person):
        audit("course_owner_removed", course.slug, nip=person.nip)
        db.session.commit()
        flash(_("%(name)s no longer owns this course.", name=person.name), "success")
    return redirect(url_for("studio.course", slug=slug) + "#pemilik")


def url_base() -> str:
    return current_app.config.get("APPLICATION_ROOT", "/")
