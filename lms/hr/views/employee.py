"""One employee seen by HR: courses, JP this year, and training recorded from elsewhere."""

from flask import abort, current_app, flash, g, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from lms.certificates import register as certificates
from lms.champions import granting
from lms.champions.forms import ChampionGrantForm
from lms.core import clock, files
from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import audit, or_404, require_button, signed_in
from lms.hr import bp
from lms.hr.forms import ExternalTrainingForm
from lms.learning import history, jp, progress
from lms.learning.catalogue import published_courses
from lms.models import ExternalTraining, Requirement
from lms.nudges import messages, reminders
from lms.org.scope import employee_in
from lms.people import passwords, roles

PROOF_TYPES = ("application/pdf", "image/png", "image/jpeg")
REVOKE_ENDPOINTS = {"hr": "certificates.hr_revoke", "admin": "certificates.admin_revoke"}


@bp.route("/pegawai/<nip>", methods=["GET", "POST"])
def employee(nip):
    person = or_404(employee_in(db.session, g.scope, nip))
    form = ExternalTrainingForm()
    if form.validate_on_submit():
        proof = _proof(form)
        if proof is not False:
            jp.record_external(db.session, person, title=form.title.data.strip(),
                               organiser=form.organiser.data.strip(),
                               start_date=form.start_date.data, end_date=form.end_date.data,
                               jp=form.jp.data, by=signed_in(),
                               proof=proof)
            audit("training_recorded", nip, title=form.title.data.strip(), jp=form.jp.data)
            db.session.commit()
            flash(_("Training recorded."), "success")
            return redirect(url_for(".employee", nip=nip))
    due = dict(db.session.execute(select(Requirement.course_id, Requirement.due_date).where(
        Requirement.employee_id == person.id)).all())
    rows = progress.learner_courses(db.session, person.id, published_courses(db.session))
    courses = [r for r in rows if r.enrollment is not None or r.course.id in due]
    standing = history.jp_standing(db.session, person.id, clock.today().year,
                                   current_app.config["JP_TARGET_PER_YEAR"])
    return render_template("hr/employee.html", person=person, form=form, jp=standing,
                           courses=courses, due=due, history=history.of(db.session, person.id),
                           delete_form=EmptyForm(),
                           certificates=certificates.held_by(db.session, person.id),
                           revoke_endpoint=REVOKE_ENDPOINTS.get(
                               certificates.revoker(g.scope, signed_in())),
                           may_make_link=roles.may_manage(signed_in(), person, g.scope),
                           password_counts=passwords.password_counts(
                               person, passwords.admins_only(current_app.config)),
                           champion=_champion_box(person),
                           reminders=reminders.of_employee(db.session, person.id),
                           step_label=messages.step_label,
                           message_states=messages.STATE_LABELS)


def _champion_box(person):
    """The person's Duta Digital grants, and the form to grant one where allowed."""
    found = granting.box(db.session, signed_in(), person, g.scope)
    form = ChampionGrantForm()
    form.unit.choices = found.units
    form.unit.data = person.opd.code
    return found, form


def _proof(form: ExternalTrainingForm):
    """(name, mime, bytes) of a checked upload, None without one, False when refused."""
    upload = form.proof.data
    if not upload:
        return None
    data = upload.read()
    mime = files.sniff(data)
    if mime not in PROOF_TYPES:
        form.proof.errors = [_("The file is not a real PDF, JPG or PNG.")]
        return False
    return f"bukti-pelatihan.{files.EXTENSIONS[mime]}", mime, data


def _record_or_404(record_id: int) -> ExternalTraining:
    record = db.session.get(ExternalTraining, record_id)
    if record is None or not g.scope.contains(record.employee.opd):
        abort(404)
    return record


@bp.route("/pelatihan/<id:record_id>/bukti")
def proof(record_id):
    record = _record_or_404(record_id)
    if record.proof is None:
        abort(404)
    response = make_response(record.proof)
    response.mimetype = record.proof_mime
    response.headers["Content-Disposition"] = f'attachment; filename="{record.proof_name}"'
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@bp.route("/pelatihan/<id:record_id>/hapus", methods=["POST"])
def delete_training(record_id):
    record = _record_or_404(record_id)
    require_button()
    nip = record.employee.nip
    audit("training_removed", nip, title=record.title, jp=record.jp)
    jp.delete_external(db.session, record)
    db.session.commit()
    flash(_("Training record removed."), "info")
    return redirect(url_for(".employee", nip=nip))
