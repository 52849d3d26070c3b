"""HR assigns mandatory courses, inside their own scope only."""

import re

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from lms import assignments, audit
from lms.auth.forms import EmptyForm
from lms.extensions import db
from lms.learn.catalogue import published_courses
from lms.models import Assignment, Employee, Opd
from lms.models.people import EMPLOYMENT_TYPES
from lms.reports import bp
from lms.reports.forms import AssignmentForm

TYPE_LABELS = {"pns": "PNS", "pppk": "PPPK", "non_asn": "Non-ASN"}


def _visible(assignment: Assignment) -> bool:
    if assignment.opd is None:
        return g.scope.city_wide
    return g.scope.contains(assignment.opd)


def _scope_nodes() -> list[Opd]:
    return list(db.session.scalars(select(Opd).where(g.scope.condition())
                                   .order_by(Opd.path)))


def _form() -> AssignmentForm:
    form = AssignmentForm()
    form.course.choices = [(c.slug, c.title) for c in published_courses()]
    form.opd.choices = [(o.code, "\u2003" * (o.depth - g.scope.roots[0].depth
                                             if not g.scope.city_wide else o.depth) + o.name)
                        for o in _scope_nodes()]
    form.employment_type.choices = [(t, TYPE_LABELS[t]) for t in EMPLOYMENT_TYPES]
    return form


@bp.route("/penugasan", methods=["GET", "POST"])
def assignment_list():
    form = _form()
    if form.validate_on_submit():
        created = _create(form)
        if created is not None:
            audit.record(db.session, "assignment_created", actor=current_user._get_current_object(),
                         target=created.course.slug,
                         details={"assignment": created.id, "due": str(created.due_date)},
                         address=request.remote_addr or "")
            db.session.commit()
            flash(_("Assignment saved: %(count)d employees must complete it.",
                    count=assignments.reached_count(db.session, created)), "success")
            return redirect(url_for(".assignment_list"))
    live = [a for a in db.session.scalars(
        select(Assignment).where(Assignment.revoked_at.is_(None))
        .order_by(Assignment.due_date, Assignment.id)) if _visible(a)]
    reached = {a.id: assignments.reached_count(db.session, a) for a in live}
    return render_template("reports/assignments.html", form=form, items=live,
                           reached=reached, type_labels=TYPE_LABELS, revoke_form=EmptyForm())


def _create(form: AssignmentForm) -> Assignment | None:
    from lms.learn.catalogue import course_or_404
    course = course_or_404(form.course.data)
    by = current_user._get_current_object()
    common = {"course": course, "due_date": form.due_date.data, "by": by}
    root = None if g.scope.city_wide else g.scope.roots[0]
    if form.target.data == "opd":
        opd = db.session.scalars(select(Opd).where(Opd.code == form.opd.data)).first()
        if opd is None or not g.scope.contains(opd):
            form.opd.errors = [_("Choose an OPD or unit.")]
            return None
        city = g.scope.city_wide and opd.parent_id is None
        return assignments.create(db.session, opd=None if city else opd, **common)
    if form.target.data == "type":
        if form.employment_type.data not in EMPLOYMENT_TYPES:
            form.employment_type.errors = [_("Choose an employment type.")]
            return None
        return assignments.create(db.session, opd=root, employment_type=form.employment_type.data,
                                  **common)
    ids, problems = _employees_from(form.nips.data or "")
    if problems or not ids:
        form.nips.errors = problems or [_("Write at least one NIP.")]
        return None
    return assignments.create(db.session, opd=root, employee_ids=ids, **common)


def _employees_from(text: str) -> tuple[list[int], list[str]]:
    wanted = {}
    for n, line in enumerate(text.splitlines(), start=1):
        nip = re.sub(r"\s+", "", line)
        if nip:
            wanted.setdefault(nip, n)
    found = {e.nip: e for e in db.session.scalars(
        select(Employee).join(Opd).where(Employee.nip.in_(list(wanted)), Employee.active,
                                         g.scope.condition()))}
    problems = [_("Line %(line)d: NIP %(nip)s is not an active employee you may see.",
                  line=n, nip=nip) for nip, n in wanted.items() if nip not in found]
    return [e.id for e in found.values()], problems


@bp.route("/penugasan/<id:assignment_id>/cabut", methods=["POST"])
def revoke_assignment(assignment_id):
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.revoked_at or not _visible(assignment):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    assignments.revoke(db.session, assignment)
    audit.record(db.session, "assignment_revoked", actor=current_user._get_current_object(),
                 target=assignment.course.slug, details={"assignment": assignment.id},
                 address=request.remote_addr or "")
    db.session.commit()
    flash(_("Assignment revoked."), "info")
    return redirect(url_for(".assignment_list"))
