"""Account pages shared by admins and HR (each blueprint checks who may come here):
the employee import and one-time password links."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import mail, passwords, roster
from ..auth.forms import EmptyForm
from ..database import writing
from ..extensions import db
from ..models import Employee
from ..web import audit as _audit
from .forms import EmployeeImportForm


def employee_import_page():
    form = EmployeeImportForm()
    result = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            table = roster.read_table(upload.read(), upload.filename or "")
        except roster.ImportFileError as exc:
            form.file.errors = [str(exc)]
        else:
            result, rows = roster.plan(db.session, table, form.deactivate_missing.data)
            if request.form.get("action") == "apply" and not result.problems:
                with writing(db.session):  # the lock only now, for the writing
                    roster.apply(db.session, rows, result,
                                 by=current_user._get_current_object())
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


def password_link_page(person: Employee, back: str):
    """A one-time link for `person` to set their password: emailed when SMTP is set up
    and they have an address, otherwise shown once to whoever asked."""
    if not person.active:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    token = passwords.make_token(current_app.config["SECRET_KEY"], person)
    link = url_for("auth.set_password", token=token, _external=True)
    emailed = mail.enabled() and bool(person.email)
    if emailed:
        mail.send(person.email, _("Melek: set your password"),
                  _("Hello %(name)s,\n\nOpen this link to set your Melek password. It works "
                    "once, for %(hours)d hours:\n\n%(link)s\n\nIf you did not expect this "
                    "message, tell the staff officer at your OPD.", name=person.name,
                    hours=passwords.LINK_HOURS, link=link))
    _audit("password_link", person.nip, emailed=emailed)
    db.session.commit()
    return render_template("admin/password_link.html", person=person, back=back,
                           link=None if emailed else link, hours=passwords.LINK_HOURS)
