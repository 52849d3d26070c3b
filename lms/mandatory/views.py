"""HR assigns mandatory courses, inside their own scope only."""

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import audit, or_404, require_button, signed_in
from lms.learning.catalogue import published_course, published_courses
from lms.mandatory import assignments, bp
from lms.mandatory.forms import AssignmentForm
from lms.models import Assignment
from lms.models.people import EMPLOYMENT_TYPE_LABELS
from lms.org import tree


def _form() -> AssignmentForm:
    form = AssignmentForm()
    form.course.choices = [(c.slug, c.title) for c in published_courses(db.session)]
    top = 0 if g.scope.city_wide else g.scope.roots[0].depth
    form.opd.choices = [(o.code, tree.option_label(o, top))
                        for o in tree.in_order(db.session, within=g.scope.condition())]
    form.employment_type.choices = list(EMPLOYMENT_TYPE_LABELS.items())
    return form


@bp.route("/penugasan", methods=["GET", "POST"])
def assignment_list():
    form = _form()
    if form.validate_on_submit():
        course = or_404(published_course(db.session, form.course.data))
        try:
            created = assignments.create_for(
                db.session, g.scope, course=course,
                target=form.target.data, due_date=form.due_date.data, by=signed_in(),
                opd_code=form.opd.data or "", employment_type=form.employment_type.data or "",
                nips=form.nips.data or "", heads_first_days=form.heads_first_days.data or 0)
        except assignments.TargetProblem as problem:
            db.session.rollback()
            getattr(form, problem.field).errors = [str(m) for m in problem.messages]
        else:
            audit("assignment_created", created.course.slug, assignment=created.id,
                  due=str(created.due_date), heads_first_days=created.heads_first_days)
            db.session.commit()
            flash(_("Assignment saved: %(count)d employees must complete it.",
                    count=assignments.reached_count(db.session, created)), "success")
            return redirect(url_for(".assignment_list"))
    live = assignments.live_in(db.session, g.scope)
    reached = {a.id: assignments.reached_count(db.session, a) for a in live}
    return render_template("mandatory/assignments.html", form=form, items=live,
                           reached=reached, revoke_form=EmptyForm())


@bp.route("/penugasan/<id:assignment_id>/cabut", methods=["POST"])
def revoke_assignment(assignment_id):
    assignment = or_404(db.session.get(Assignment, assignment_id))
    if assignment.revoked_at or not assignments.visible_to(g.scope, assignment):
        abort(404)
    require_button()
    assignments.revoke(db.session, assignment)
    audit("assignment_revoked", assignment.course.slug, assignment=assignment.id)
    db.session.commit()
    flash(_("Assignment revoked."), "info")
    return redirect(url_for(".assignment_list"))
