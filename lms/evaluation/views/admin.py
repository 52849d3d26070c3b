"""Admins: the questionnaire's download and upload (the files/browser round trip, the
same checks as check-courses) and whether it is required before the certificate."""

from flask import flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

from lms.core import clock
from lms.core.extensions import db
from lms.core.web import allows_upload, audit, logs_on_get, or_404, signed_in
from lms.evaluation import bp, questionnaire
from lms.evaluation.forms import SettingsForm, UploadForm


def _page(upload=None, problems=(), status=200):
    current = questionnaire.current(db.session)
    row = questionnaire.read_settings(db.session)
    settings_form = SettingsForm(data={"required": row.required})
    return render_template("evaluation/admin.html", current=current, settings=row,
                           settings_form=settings_form, upload_form=upload or UploadForm(),
                           problems=[str(p) for p in problems], area="admin"), status


@bp.route("/admin/evaluasi")
def admin():
    return _page()


@bp.route("/admin/evaluasi/kuesioner-<int:form_id>.zip")
@logs_on_get
def download(form_id):
    current = or_404(questionnaire.current(db.session))
    if current.id != form_id:
        return redirect(url_for(".download", form_id=current.id))
    audit("evaluation_exported", "kuesioner", version=current.id)
    db.session.commit()
    response = make_response(questionnaire.to_zip(current))
    response.mimetype = "application/zip"
    response.headers["Content-Disposition"] = \
        f'attachment; filename="kuesioner-{current.id}.zip"'
    return response


@bp.route("/admin/evaluasi/unggah", methods=["POST"])
@allows_upload(questionnaire.MAX_BYTES * 4 + 65536)
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        db.session.rollback()
        return _page(form, [e for errors in form.errors.values() for e in errors], 400)
    data = form.upload.data
    found = questionnaire.read_upload(data.read(), data.filename or questionnaire.FILE)
    if found.problems:
        return _page(form, found.problems, 400)
    q, problems = questionnaire.parse(found.text, questionnaire.FILE)
    if problems:
        return _page(form, problems, 400)
    current = questionnaire.current(db.session)
    published = current.source_hash if current else ""
    incoming = questionnaire.digest(q.text)
    stale = published and found.base != published and incoming != published
    if stale and not form.overwrite.data:
        if incoming == found.base:  # not edited, and the current version is newer
            flash(_("The file is unchanged since it was downloaded, and the questionnaire "
                    "changed since: the current version stays."), "info")
            return redirect(url_for(".admin"))
        db.session.rollback()
        return _page(form, [_("someone changed the questionnaire since this file was "
                              "downloaded: download the current version and make your "
                              "changes there, or tick the box to replace it")], 409)
    made = questionnaire.store(db.session, q, "browser", signed_in())
    if made is None:
        flash(_("The file is the current version: nothing changed."), "info")
        return redirect(url_for(".admin"))
    audit("evaluation_imported", "kuesioner", version=made.id)
    db.session.commit()
    flash(_("Questionnaire version %(n)d is now in use.", n=made.id), "success")
    return redirect(url_for(".admin"))


@bp.route("/admin/evaluasi/pengaturan", methods=["POST"])
def settings():
    form = SettingsForm()
    if not form.validate_on_submit():
        return _page(problems=[e for errors in form.errors.values() for e in errors],
                     status=400)
    row = questionnaire.settings(db.session)
    if bool(form.required.data) != row.required:
        row.required = bool(form.required.data)
        row.required_since = clock.now() if row.required else None
        audit("evaluation_settings_changed", "kuesioner", required=row.required)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for(".admin"))
