from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from .. import org, roles, roster, throttle
from ..auth.forms import EmptyForm
from ..extensions import db
from ..models import Employee, Opd, OpdChange, RoleGrant
from . import bp
from .forms import KIND_LABELS, EmployeeImportForm, GrantForm, ImportForm, OpdForm


def _tree() -> list[Opd]:
    return list(db.session.scalars(select(Opd).order_by(Opd.path)))


def _form(obj=None) -> OpdForm:
    form = OpdForm(obj=obj)
    form.parent.choices = [("", _("(top of the tree)"))] + [
        (o.code, "\u2003" * o.depth + o.name) for o in _tree()
        if obj is None or not o.path.startswith(obj.path)]
    return form


def _by_code(code: str) -> Opd | None:
    return db.session.scalars(select(Opd).where(Opd.code == code)).first() if code else None


@bp.route("/")
@bp.route("/opd")
def tree():
    return render_template("admin/tree.html", nodes=_tree(), kinds=KIND_LABELS)


@bp.route("/opd/baru", methods=["GET", "POST"])
def new_opd():
    form = _form()
    if request.method == "GET" and request.args.get("induk"):
        form.parent.data = request.args["induk"]
    if form.validate_on_submit():
        if _by_code(form.code.data):
            form.code.errors = [_("This code is already used.")]
        else:
            node = org.create(db.session, code=form.code.data, name=form.name.data.strip(),
                              kind=form.kind.data, parent=_by_code(form.parent.data),
                              by=current_user._get_current_object())
            db.session.commit()
            flash(_("Unit added: %(name)s.", name=node.name), "success")
            return redirect(url_for(".tree"))
    return render_template("admin/edit.html", form=form, node=None, history=[])


@bp.route("/opd/<code>", methods=["GET", "POST"])
def edit_opd(code):
    node = _by_code(code)
    if node is None:
        abort(404)
    form = _form(node)
    if request.method == "GET":
        form.parent.data = node.parent.code if node.parent else ""
    if form.validate_on_submit():
        other = _by_code(form.code.data)
        if other is not None and other.id != node.id:
            form.code.errors = [_("This code is already used.")]
        else:
            try:
                changed = org.change(db.session, node, code=form.code.data,
                                     name=form.name.data.strip(), kind=form.kind.data,
                                     parent=_by_code(form.parent.data),
                                     by=current_user._get_current_object())
            except org.OrgError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                db.session.commit()
                flash(_("Saved.") if changed else _("Nothing changed."), "success")
                return redirect(url_for(".edit_opd", code=node.code))
    history = list(db.session.scalars(select(OpdChange).where(OpdChange.opd_id == node.id)
                                      .order_by(OpdChange.at.desc(), OpdChange.id.desc())))
    return render_template("admin/edit.html", form=form, node=node, history=history)


@bp.route("/opd/impor", methods=["GET", "POST"])
def import_opd():
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        try:
            text = form.file.data.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.file.errors = [_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")]
        else:
            apply = request.form.get("action") == "apply"
            result = org.import_csv(db.session, text, by=current_user._get_current_object(),
                                    apply=apply)
            if apply and not result.problems:
                db.session.commit()
                flash(_("Import applied: %(created)d added, %(updated)d changed, "
                        "%(unchanged)d unchanged.", created=len(result.created),
                        updated=len(result.updated), unchanged=result.unchanged), "success")
                return redirect(url_for(".tree"))
            db.session.rollback()
    return render_template("admin/import.html", form=form, result=result)


@bp.route("/pegawai/impor", methods=["GET", "POST"])
def import_employees():
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
                roster.apply(db.session, rows, result, by=current_user._get_current_object())
                db.session.commit()
                flash(_("%(created)d to create, %(updated)d to update (%(moved)d moved), "
                        "%(deactivated)d to deactivate, %(unchanged)d unchanged.",
                        created=len(result.created), updated=len(result.updated),
                        moved=len(result.moved), deactivated=len(result.deactivated),
                        unchanged=result.unchanged) + " " + _("Applied."), "success")
                return redirect(url_for(".import_employees"))
            db.session.rollback()
    return render_template("admin/import_employees.html", form=form, result=result)


@bp.route("/peran", methods=["GET", "POST"])
def people_roles():
    """Find an employee by NIP, see their roles, grant or revoke one."""
    nip = (request.values.get("nip") or "").replace(" ", "")
    person = db.session.scalars(select(Employee).where(Employee.nip == nip)).first() \
        if nip else None
    form = GrantForm()
    form.opd.choices = [("", _("The whole city"))] + [
        (o.code, "\u2003" * o.depth + o.name) for o in _tree()]
    if person is not None and form.validate_on_submit():
        try:
            roles.grant(db.session, person, form.role.data, _by_code(form.opd.data),
                        by=current_user._get_current_object())
        except roles.RoleError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("Role granted."), "success")
        return redirect(url_for(".people_roles", nip=person.nip))
    holders = list(db.session.scalars(
        select(RoleGrant).join(Employee, Employee.id == RoleGrant.employee_id)
        .order_by(RoleGrant.role, Employee.name)))
    failures = throttle.failures(db.session, person.nip) if person else 0
    return render_template("admin/roles.html", nip=nip, person=person, form=form,
                           holders=holders, revoke_form=EmptyForm(), failures=failures)


@bp.route("/peran/<nip>/buka-kunci", methods=["POST"])
def unlock(nip):
    """Forget an account's failed logins, so its owner can try again at once."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    throttle.clear(db.session, nip)
    db.session.commit()
    flash(_("Login unlocked."), "success")
    return redirect(url_for(".people_roles", nip=nip))


@bp.route("/peran/<int:grant_id>/cabut", methods=["POST"])
def revoke_role(grant_id):
    role_grant = db.session.get(RoleGrant, grant_id)
    if role_grant is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    nip = role_grant.employee.nip
    try:
        roles.revoke(db.session, role_grant, by=current_user._get_current_object())
    except roles.RoleError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Role revoked."), "info")
    return redirect(url_for(".people_roles", nip=nip))
