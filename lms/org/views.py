"""The OPD tree for admins: browse, add, edit (rename, move) and import from CSV."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select, true

from lms.core import cells, clock
from lms.core.extensions import db
from lms.core.web import audit as _audit
from lms.core.web import or_404, require_button, signed_in
from lms.mandatory import assignments
from lms.models import OpdChange
from lms.org import bp, heads, tree
from lms.org.forms import OPD_KIND_LABELS, HeadForm, ImportForm, LeaderSettingsForm, OpdForm


def _form(obj=None) -> OpdForm:
    form = OpdForm(obj=obj)
    form.parent.choices = [("", _("(top of the tree)"))] + [
        (o.code, tree.option_label(o)) for o in tree.in_order(db.session)
        if obj is None or not o.path.startswith(obj.path)]
    return form


@bp.route("/", endpoint="tree")
@bp.route("/opd", endpoint="tree")
def tree_page():
    settings = LeaderSettingsForm(
        show_head_completion=heads.show_head_completion(db.session))
    names = {node.id: person.name for node, person in heads.current_heads(db.session, true())}
    return render_template("org/tree.html", nodes=tree.in_order(db.session), kinds=OPD_KIND_LABELS,
                           settings_form=settings, head_names=names)


@bp.route("/opd/pengaturan-kepala", methods=["POST"])
def leader_settings():
    form = LeaderSettingsForm()
    if form.validate_on_submit():
        value = bool(form.show_head_completion.data)
        if heads.set_show_head_completion(db.session, value, signed_in()):
            _audit("leader_settings_changed", "show_head_completion", value=value)
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for(".tree"))


@bp.route("/opd/baru", methods=["GET", "POST"])
def new_opd():
    form = _form()
    if request.method == "GET" and request.args.get("induk"):
        form.parent.data = request.args["induk"]
    if form.validate_on_submit():
        if tree.by_code(db.session, form.code.data):
            form.code.errors = [_("This code is already used.")]
        else:
            parent = tree.by_code(db.session, form.parent.data)
            node = tree.create(db.session, code=form.code.data, name=form.name.data.strip(),
                               kind=form.kind.data, parent=parent, by=signed_in())
            _audit("opd_changed", node.code, created=True)
            db.session.commit()
            flash(_("Unit added: %(name)s.", name=node.name), "success")
            return redirect(url_for(".tree"))
    return render_template("org/edit.html", form=form, node=None, history=[])


@bp.route("/opd/<code>", methods=["GET", "POST"])
def edit_opd(code):
    node = or_404(tree.by_code(db.session, code))
    form = _form(node)
    if request.method == "GET":
        form.parent.data = node.parent.code if node.parent else ""
    if form.validate_on_submit():
        other = tree.by_code(db.session, form.code.data)
        if other is not None and other.id != node.id:
            form.code.errors = [_("This code is already used.")]
        else:
            try:
                changed = tree.change(db.session, node, code=form.code.data,
                                     name=form.name.data.strip(), kind=form.kind.data,
                                     parent=tree.by_code(db.session, form.parent.data),
                                     by=signed_in())
            except tree.OrgError as exc:
                db.session.rollback()
                flash(str(exc), "error")
            else:
                if changed:
                    _audit("opd_changed", node.code, fields=changed)
                db.session.commit()
                flash(_("Saved.") if changed else _("Nothing changed."), "success")
                return redirect(url_for(".edit_opd", code=node.code))
    return _edit_page(form, node)


def _edit_page(form, node, head_form=None):
    history = list(db.session.scalars(select(OpdChange).where(OpdChange.opd_id == node.id)
                                      .order_by(OpdChange.at.desc(), OpdChange.id.desc())))
    return render_template("org/edit.html", form=form, node=node, history=history,
                           head_form=head_form or HeadForm(formdata=None),
                           head=heads.current(db.session, node),
                           heads=heads.history(db.session, node))


@bp.route("/opd/<code>/kepala", methods=["POST"])
def set_head(code):
    node = or_404(tree.by_code(db.session, code))
    head_form = HeadForm()
    if head_form.validate_on_submit():
        try:
            person = heads.candidate(db.session, node, head_form.nip.data)
        except heads.HeadProblem as problem:
            head_form.nip.errors = [str(problem)]
        else:
            changed = heads.appoint(db.session, node, person, today=clock.today(),
                                    source="admin", by=signed_in())
            if changed:
                assignments.rederive(db.session, changed)
                _audit("opd_head_set", node.code, nip=person.nip)
            db.session.commit()
            flash(_("%(name)s is now the head of %(unit)s.", name=person.name, unit=node.name)
                  if changed else _("Nothing changed."), "success")
            return redirect(url_for(".edit_opd", code=node.code))
    db.session.rollback()
    form = _form(node)
    form.parent.data = node.parent.code if node.parent else ""
    return _edit_page(form, node, head_form), 400


@bp.route("/opd/<code>/kepala/akhiri", methods=["POST"])
def end_head(code):
    node = or_404(tree.by_code(db.session, code))
    require_button()
    changed = heads.end(db.session, node, today=clock.today())
    if changed:
        assignments.rederive(db.session, changed)
        _audit("opd_head_ended", node.code)
    db.session.commit()
    flash(_("The head's term is ended; the history keeps it.") if changed
          else _("Nothing changed."), "info")
    return redirect(url_for(".edit_opd", code=node.code))


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
            result = tree.import_csv(db.session, text, by=signed_in(),
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
    return render_template("org/import.html", form=form, result=result)
