"""Accounts: roles and unlocking (admins), the employee import (admins and city-wide HR)
and one-time password links (admins for anyone, HR for plain learners in its scope)."""

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from sqlalchemy import delete, select

from lms.auth import throttle
from lms.core import bounds, mail
from lms.core.database import writing
from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import allows_upload, external_url, or_404, reads_first, require_button, signed_in
from lms.core.web import audit as _audit
from lms.models import Employee, Opd, PendingImport, RoleGrant
from lms.org import tree
from lms.org.scope import employee_in
from lms.people import bp, passwords, pending, roles, roster, roster_file
from lms.people.forms import IMPORT_MAX_BYTES, EmployeeImportForm, GrantForm

UPLOAD_LIMIT = IMPORT_MAX_BYTES + 1024 * 1024  # the file and the form around it


@bp.route("/admin/pegawai/impor", methods=["GET", "POST"])
@allows_upload(UPLOAD_LIMIT)
@reads_first
def admin_import():
    return _import_page("people.admin_import")


@bp.route("/laporan/impor-pegawai", methods=["GET", "POST"])
@allows_upload(UPLOAD_LIMIT)
@reads_first
def hr_import():
    """City-wide HR imports employees like an admin; an OPD's HR may not."""
    if not g.scope.city_wide:
        abort(403)
    return _import_page("people.hr_import")


@bp.route("/laporan/pegawai/<nip>/tautan-sandi", methods=["POST"])
def hr_password_link(nip):
    """HR makes a set-password link for a plain learner in their scope (roles.may_manage:
    someone holding a role is in scope, so visible, but refused with 403)."""
    person = or_404(employee_in(db.session, g.scope, nip))
    return _password_link_page(person, back=url_for("hr.employee", nip=nip), scope=g.scope)


@bp.route("/admin/peran", methods=["GET", "POST"], endpoint="roles")
def roles_page():
    """Find an employee by NIP, see their roles, grant or revoke one."""
    nip = (request.values.get("nip") or "").replace(" ", "")
    person = db.session.scalars(select(Employee).where(Employee.nip == nip)).first() \
        if nip else None
    form = GrantForm()
    form.opd.choices = [("", _("The whole city"))] + [
        (o.code, tree.option_label(o)) for o in tree.in_order(db.session)]
    if person is not None and form.validate_on_submit():
        try:
            scope = tree.by_code(db.session, form.opd.data)
            roles.grant(db.session, person, form.role.data, scope,
                        by=signed_in())
            _audit("role_granted", person.nip, role=form.role.data,
                   opd=scope.code if scope and form.role.data in ("hr", roles.CHAMPION)
                   else None)
        except roles.RoleError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Role granted."), "success")
        return redirect(url_for(".roles", nip=person.nip))
    holders = list(db.session.scalars(
        select(RoleGrant).join(Employee, Employee.id == RoleGrant.employee_id)
        .order_by(RoleGrant.role, Employee.name)))
    failures = throttle.failures(db.session, person.nip) if person else 0
    return render_template("people/roles.html", nip=nip, person=person, form=form,
                           holders=holders, revoke_form=EmptyForm(), failures=failures,
                           role_labels=roles.ROLE_LABELS)


@bp.route("/admin/peran/<nip>/tautan-sandi", methods=["POST"])
def admin_password_link(nip):
    person = or_404(db.session.scalars(select(Employee).where(Employee.nip == nip)).first())
    return _password_link_page(person, back=url_for(".roles", nip=nip))


@bp.route("/admin/peran/<nip>/buka-kunci", methods=["POST"])
def unlock(nip):
    """Forget an account's failed logins, so its owner can try again at once."""
    require_button()
    throttle.clear(db.session, nip)
    _audit("login_unlocked", nip)
    db.session.commit()
    flash(_("Login unlocked."), "success")
    return redirect(url_for(".roles", nip=nip))


@bp.route("/admin/peran/<id:grant_id>/cabut", methods=["GET", "POST"])
def revoke_role(grant_id):
    """A confirmation page (GET), then the revoke (POST): no JavaScript needed."""
    role_grant = or_404(db.session.get(RoleGrant, grant_id))
    nip = role_grant.employee.nip
    if request.method == "GET":
        return render_template("people/confirm_revoke.html", grant=role_grant,
                               form=EmptyForm(), back=url_for(".roles", nip=nip),
                               role_label=roles.ROLE_LABELS[role_grant.role])
    require_button()
    try:
        what = {"role": role_grant.role, "opd": role_grant.opd.code if role_grant.opd else None}
        roles.revoke(db.session, role_grant, by=signed_in())
        _audit("role_revoked", nip, **what)
    except roles.RoleError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Role revoked."), "info")
    return redirect(url_for(".roles", nip=nip))


def _import_page(back_endpoint: str):
    """Check a file (kept, so Apply needs no second upload), then apply the checked file
    if what it would do is still what the check showed."""
    form = EmployeeImportForm()
    importer = signed_in()
    result = listed = kept = None
    if request.method == "POST" and request.form.get("action") == "apply_checked":
        require_button()
        kept = pending.take(db.session, importer, bounds.int_arg(request.form, "pending", 0,
                                                                  0, 2**31 - 1))
        if kept is None:
            db.session.rollback()
            flash(_("The checked file is no longer kept. Choose it and check it again."),
                  "error")
            return redirect(url_for(back_endpoint))
        upload_name, data, deactivate = kept.filename, kept.data, kept.deactivate_missing
        kept_digest, kept_pk = kept.plan_digest, kept.id
    elif form.validate_on_submit():
        upload_name, data = form.file.data.filename or "", form.file.data.read()
        deactivate = form.deactivate_missing.data
    else:
        return _import_template(form, back_endpoint)
    try:
        table = roster_file.read_table(data, upload_name)
    except roster_file.ImportFileError as exc:
        form.file.errors = [str(exc)]
        return _import_template(form, back_endpoint)
    result, rows = roster.plan(db.session, table, deactivate, by=importer)
    applying = request.form.get("action") in ("apply", "apply_checked")
    if kept is not None and pending.digest(result) != kept_digest:
        flash(_("Something changed since the check (the file was checked against other "
                "data). Look at the new check below, then apply again."), "error")
        applying = False
    if applying and not result.problems:
        with writing(db.session):  # the lock only now, for the writing
            roster.apply_and_audit(db.session, rows, result, source=upload_name,
                                   by=importer, address=request.remote_addr or "")
            if kept is not None:
                db.session.execute(delete(PendingImport).where(PendingImport.id == kept_pk))
            db.session.commit()
        flash(str(roster.describe_done(result)), "success")
        return redirect(url_for(back_endpoint))
    listed = kept_id = None
    if not result.problems:
        listed = pending.listing(db.session, result, rows)
        with writing(db.session):
            kept_id = pending.keep(db.session, importer, upload_name, data, deactivate,
                                   result).id
            db.session.commit()
    else:
        db.session.rollback()
    return _import_template(form, back_endpoint, result=result, listed=listed,
                            kept_id=kept_id, file_name=upload_name)


def _import_template(form, back_endpoint: str, **shown):
    hr_page = back_endpoint == "people.hr_import"
    waiting = pending.without_password(db.session, g.scope if hr_page else None)
    return render_template("people/import_employees.html", form=form, waiting=waiting,
                           link_endpoint="people.hr_password_link" if hr_page
                           else "people.admin_password_link",
                           template_endpoint=back_endpoint + "_template",
                           link_form=EmptyForm(), **shown)


@bp.route("/admin/pegawai/impor/contoh.xlsx", endpoint="admin_import_template")
@bp.route("/laporan/impor-pegawai/contoh.xlsx", endpoint="hr_import_template")
def import_template():
    if request.endpoint == "people.hr_import_template" and not g.scope.city_wide:
        abort(403)
    first = db.session.scalars(select(Opd.code).order_by(Opd.path).limit(1)).first()
    return Response(pending.template_file(first), mimetype=XLSX, headers={
        "Content-Disposition": 'attachment; filename="melek-contoh-impor-pegawai.xlsx"'})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _password_link_page(person: Employee, back: str, scope=None):
    """A one-time link for `person` to set their password: emailed when SMTP is set up
    and they have an address, otherwise shown once to whoever asked. `scope`: the HR
    scope of whoever asked (None for an admin page)."""
    if not person.active:
        abort(404)
    if not roles.may_manage(signed_in(), person, scope):
        abort(403)
    require_button()
    if not passwords.password_counts(person, passwords.admins_only(current_app.config)):
        flash(_("%(name)s signs in with the Pemkot account: on this server Melek passwords "
                "are only for admins, so a link would open nothing.", name=person.name),
              "error")
        return redirect(back)
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
    return render_template("people/password_link.html", person=person, back=back,
                           link=link if mail_failed or not by_mail else None,
                           mail_failed=mail_failed, email=email,
                           hours=passwords.LINK_HOURS)
