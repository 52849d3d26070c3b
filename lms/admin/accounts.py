"""Account pages shared by admins and HR (each blueprint checks who may come here):
the employee import and one-time password links."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms import mail, passwords, roles, roster, roster_file
from lms.auth.forms import EmptyForm
from lms.database import writing
from lms.extensions import db
from lms.models import Employee
from lms.web import audit as _audit
from lms.web import external_url
from lms.admin.forms import EmployeeImportForm


def employee_import_page():
    form = EmployeeImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            table = roster_file.read_table(upload.read(), upload.filename or "")
        except roster_file.ImportFileError as exc:
            form.file.errors = [str(exc)]
        else:
            importer = current_user._get_current_object()
            result, rows = roster.plan(db.session, table, form.deactivate_missing.data,
                                       by=importer)
            if request.form.get("action") == "apply" and not result.problems:
                with writing(db.session):  # the lock only now, for the writing
                    roster.apply(db.session, rows, result, by=importer)
                    _audit("import_employees", upload.filename or "",
                           **roster.summary(result))
                    db.session.commit()
                flash(_("%(created)d to create, %(updated)d to update (%(moved)d moved), "
                        "%(deactivated)d to deactivate, %(unchanged)d unchanged.",
                        created=len(result.created), updated=len(result.updated),
                        moved=len(result.moved), deactivated=len(result.deactivated),
                        unchanged=result.unchanged) + " " + _("Applied."), "success")
                return redirect(url_for(".import_employees"))
            db.session.rollback()
    return render_template("admin/import_employees.html", form=form, result=result)


def password_link_page(person: Employee, back: str, scope=None):
    """A one-time link for `person` to set their password: emailed when SMTP is set up
    and they have an address, otherwise shown once to whoever asked. `scope`: the HR
    scope of whoever asked (None for an admin page)."""
    if not person.active:
        abort(404)
    if not roles.may_manage(current_user._get_current_object(), person, scope):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    token = passwords.make_token(current_app.config["SECRET_KEY"], person)
    link = external_url("auth.set_password", token=token)
    nip, email = person.nip, person.email
    by_mail = mail.enabled() and bool(email)
    # Everything the message needs is read now: after the commit, a lazy load (even the
    # locale of whoever asked) would open a transaction that lasts through the send.
    subject = _("Melek: set your password")
    body = _("Hello %(name)s,\n\nOpen this link to set your Melek password. It works once, "
             "for %(hours)d hours:\n\n%(link)s\n\nIf you did not expect this message, tell "
             "the staff officer at your OPD.", name=person.name, hours=passwords.LINK_HOURS,
             link=link)
    _audit("password_link", nip, emailed=by_mail)
    db.session.commit()
    # Only now, with the transaction over, talk to the mail server: while it answers,
    # nothing here holds the database (on SQLite, the one write lock).
    mail_failed = False
    if by_mail:
        try:
            mail.send(email, subject, body)
        except mail.MailError as exc:
            # The link is made and valid: hand it over on screen instead, and say so.
            current_app.logger.warning("password link mail to %s failed: %s", email, exc)
            mail_failed = True
            _audit("password_link_mail_failed", nip, error=str(exc)[:200])
            db.session.commit()
    return render_template("admin/password_link.html", person=person, back=back,
                           link=link if mail_failed or not by_mail else None,
                           mail_failed=mail_failed, email=email,
                           hours=passwords.LINK_HOURS)
