import json
from datetime import datetime, time, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from lms import audit, org, roles, throttle
from lms.auth.forms import EmptyForm
from lms.core import bounds, cells
from lms.core.clock import JAKARTA
from lms.database import read_only_stream
from lms.extensions import db
from lms.models import AuditEvent, Employee, Opd, OpdChange, RoleGrant
from lms.reports import export
from lms.web import allows_upload, logs_on_get, reads_first
from lms.web import audit as _audit
from lms.admin import accounts, bp
from lms.admin.forms import IMPORT_MAX_BYTES, KIND_LABELS, GrantForm, ImportForm, OpdForm


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
            _audit("opd_changed", node.code, created=True)
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
                if changed:
                    _audit("opd_changed", node.code, fields=changed)
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
            text = cells.utf8_text(form.file.data.read())
        except cells.NotUtf8 as exc:
            form.file.errors = [str(exc.message)]
        else:
            apply = request.form.get("action") == "apply"
            result = org.import_csv(db.session, text, by=current_user._get_current_object(),
                                    apply=apply)
            if apply and not result.problems:
                _audit("import_opd", form.file.data.filename or "",
                       created=len(result.created), updated=len(result.updated),
                       unchanged=result.unchanged)
                db.session.commit()
                flash(_("Import applied: %(created)d added, %(updated)d changed, "
                        "%(unchanged)d unchanged.", created=len(result.created),
                        updated=len(result.updated), unchanged=result.unchanged), "success")
                return redirect(url_for(".tree"))
            db.session.rollback()
    return render_template("admin/import.html", form=form, result=result)


@bp.route("/pegawai/impor", methods=["GET", "POST"])
@allows_upload(IMPORT_MAX_BYTES + 1024 * 1024)
@reads_first
def import_employees():
    return accounts.employee_import_page()


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
            scope = _by_code(form.opd.data)
            roles.grant(db.session, person, form.role.data, scope,
                        by=current_user._get_current_object())
            _audit("role_granted", person.nip, role=form.role.data,
                   opd=scope.code if scope and form.role.data == "hr" else None)
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


@bp.route("/peran/<nip>/tautan-sandi", methods=["POST"])
def password_link(nip):
    person = db.session.scalars(select(Employee).where(Employee.nip == nip)).first()
    if person is None:
        abort(404)
    return accounts.password_link_page(person, back=url_for(".people_roles", nip=nip))


@bp.route("/peran/<nip>/buka-kunci", methods=["POST"])
def unlock(nip):
    """Forget an account's failed logins, so its owner can try again at once."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    throttle.clear(db.session, nip)
    _audit("login_unlocked", nip)
    db.session.commit()
    flash(_("Login unlocked."), "success")
    return redirect(url_for(".people_roles", nip=nip))


@bp.route("/peran/<id:grant_id>/cabut", methods=["POST"])
def revoke_role(grant_id):
    role_grant = db.session.get(RoleGrant, grant_id)
    if role_grant is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    nip = role_grant.employee.nip
    try:
        what = {"role": role_grant.role, "opd": role_grant.opd.code if role_grant.opd else None}
        roles.revoke(db.session, role_grant, by=current_user._get_current_object())
        _audit("role_revoked", nip, **what)
    except roles.RoleError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Role revoked."), "info")
    return redirect(url_for(".people_roles", nip=nip))


AUDIT_PER_PAGE = 50


def _audit_query():
    """Events filtered by the query string: action, NIP, from and to date (Jakarta).
    A date outside bounds.FIRST_DAY..LAST_DAY, or not a date, is bounds.Refused."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    action = request.args.get("aksi") or None
    if action:
        if action not in audit.ACTIONS:
            abort(400)
        query = query.where(AuditEvent.action == action)
    nip = (request.args.get("nip") or "").replace(" ", "")
    if nip:
        query = query.where(or_(AuditEvent.actor_nip == nip, AuditEvent.target == nip))
    if request.args.get("dari"):
        start = datetime.combine(bounds.day_arg(request.args["dari"]), time(), JAKARTA)
        query = query.where(AuditEvent.at >= start)
    if request.args.get("sampai"):
        day = bounds.day_arg(request.args["sampai"]) + timedelta(days=1)
        query = query.where(AuditEvent.at < datetime.combine(day, time(), JAKARTA))
    return query


def _audit_args() -> dict:
    return {k: v for k, v in request.args.items() if k != "halaman" and v}


@bp.route("/audit")
def audit_log():
    page = bounds.page_arg(request.args)
    try:
        query = _audit_query()
    except bounds.Refused as exc:
        # The form stays, with the reason next to the dates, so the admin can correct them.
        return render_template("admin/audit.html", events=[], page=1, more=False,
                               args=_audit_args(), actions=audit.ACTIONS,
                               date_error=exc.message), 400
    events = list(db.session.scalars(query.limit(AUDIT_PER_PAGE + 1)
                                     .offset((page - 1) * AUDIT_PER_PAGE)))
    return render_template("admin/audit.html", events=events[:AUDIT_PER_PAGE], page=page,
                           more=len(events) > AUDIT_PER_PAGE, args=_audit_args(),
                           actions=audit.ACTIONS, date_error=None)


@bp.route("/audit.csv")
@logs_on_get
def audit_export():
    query = _audit_query()
    audit.record(db.session, "export", actor=current_user._get_current_object(),
                 target="audit", details={"format": "csv", "filters": dict(request.args)},
                 address=request.remote_addr or "")
    db.session.commit()
    header = ["waktu", "aksi", "nip_pelaku", "sasaran", "rincian", "alamat"]
    columns = query.with_only_columns(AuditEvent.at, AuditEvent.action, AuditEvent.actor_nip,
                                      AuditEvent.target, AuditEvent.details, AuditEvent.address)

    def rows():  # read while the response streams, without write intent
        for at, action, nip, target, details, address in db.session.execute(
                columns.execution_options(yield_per=2000)):
            yield [at.astimezone(JAKARTA).isoformat(timespec="seconds"), action, nip, target,
                   json.dumps(details, ensure_ascii=False), address]
    return export.csv_response("melek-audit", header, read_only_stream(db.session, rows()))
