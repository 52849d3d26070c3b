"""The OPD tree for admins: browse, add, edit (rename, move) and import from CSV."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from lms.core import cells
from lms.core.extensions import db
from lms.core.web import audit as _audit
from lms.core.web import or_404, signed_in
from lms.models import OpdChange
from lms.org import bp, tree
from lms.org.forms import OPD_KIND_LABELS, ImportForm, OpdForm


def _form(obj=None) -> OpdForm:
    form = OpdForm(obj=obj)
    form.parent.choices = [("", _("(top of the tree)"))] + [
        (o.code, tree.option_label(o)) for o in tree.in_order(db.session)
        if obj is None or not o.path.startswith(obj.path)]
    return form


@bp.route("/", endpoint="tree")
@bp.route("/opd", endpoint="tree")
def tree_page():
    return render_template("org/tree.html", nodes=tree.in_order(db.session), kinds=OPD_KIND_LABELS)


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
    history = list(db.session.scalars(select(OpdChange).where(OpdChange.opd_id == node.id)
                                      .order_by(OpdChange.at.desc(), OpdChange.id.desc())))
    return render_template("org/edit.html", form=form, node=node, history=history)


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
