"""First access: one page with two actions, set-password links by email for everyone
chosen (in one POST, at most PAGE_LIMIT people per press; the command has no limit) and
activation letters for an OPD as a PDF."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.activation import bp, codes, letters, links, sending
from lms.activation.forms import AccessLinksForm, LettersForm
from lms.core import clock, mail
from lms.core.extensions import db
from lms.core.web import audit, external_url, signed_in
from lms.org import tree
from lms.people import passwords, roles

PAGE_LIMIT = 200  # links per press of the button: the page answers within a minute


def _scope():
    """None for an admin's page (may act on anyone); HR's scope on /laporan."""
    return None if request.path.startswith("/admin/") else g.scope


def _allowed():
    actor, scope = signed_in(), _scope()
    holders = roles.role_holder_ids(db.session, scope)
    return lambda e: roles.may_manage_by_place(actor, e.id, e.opd.path, scope, holders)


def _forms():
    opds = [(o.code, tree.option_label(o)) for o in tree.in_order(db.session)]
    link_form, letter_form = AccessLinksForm(prefix="links"), LettersForm(prefix="letters")
    link_form.opd.choices = [("", _("The whole city"))] + opds
    letter_form.opd.choices = opds
    return link_form, letter_form


def _page(link_form, letter_form, report=None, selection=None, remaining=0):
    return render_template(
        "activation/first_access.html", link_form=link_form, letter_form=letter_form,
        report=report, selection=selection, remaining=remaining, mail_enabled=mail.enabled(),
        hours=current_app.config["ACCESS_LINK_RESEND_HOURS"], link_hours=passwords.LINK_HOURS,
        days=current_app.config["ACTIVATION_DAYS"], limit=PAGE_LIMIT,
        password_login_off=passwords.admins_only(current_app.config),
        links_action=url_for(f"activation.{_area()}_links"),
        letters_action=url_for(f"activation.{_area()}_letters"))


def _area() -> str:
    return "admin" if request.path.startswith("/admin/") else "hr"


@bp.route("/admin/akses-pertama", endpoint="admin_page")
@bp.route("/laporan/akses-pertama", endpoint="hr_page")
def page():
    return _page(*_forms())


@bp.route("/admin/akses-pertama/tautan", methods=["POST"], endpoint="admin_links")
@bp.route("/laporan/akses-pertama/tautan", methods=["POST"], endpoint="hr_links")
def send_links():
    link_form, letter_form = _forms()
    if passwords.admins_only(current_app.config):
        return _page(link_form, letter_form), 409
    if not link_form.validate_on_submit():
        return _page(link_form, letter_form), 400
    if not mail.enabled():
        flash(_("Email is not set up on this server (MAIL_SERVER), so no links can be "
                "sent. Print activation letters instead."), "error")
        return _page(link_form, letter_form), 409
    hours = current_app.config["ACCESS_LINK_RESEND_HOURS"]
    selection = links.choose(
        db.session, opd=tree.by_code(db.session, link_form.opd.data) or None,
        without_password=link_form.without_password.data,
        nips=links.parse_nips(link_form.nips.data or ""), hours=hours,
        again=link_form.again.data, allowed=_allowed())
    chosen, remaining = selection.to_send[:PAGE_LIMIT], len(selection.to_send) - PAGE_LIMIT
    report = sending.send(chosen, hours=hours, again=link_form.again.data,
                          by_id=signed_in().id, address=request.remote_addr or "")
    return _page(link_form, letter_form, report=report, selection=selection,
                 remaining=max(remaining, 0))


@bp.route("/admin/akses-pertama/surat", methods=["POST"], endpoint="admin_letters")
@bp.route("/laporan/akses-pertama/surat", methods=["POST"], endpoint="hr_letters")
def print_letters():
    link_form, letter_form = _forms()
    if passwords.admins_only(current_app.config):
        return _page(link_form, letter_form), 409
    if not letter_form.validate_on_submit():
        return _page(link_form, letter_form), 400
    opd = tree.by_code(db.session, letter_form.opd.data)
    if opd is None:
        letter_form.opd.errors = [_("Choose an OPD.")]
        return _page(link_form, letter_form), 400
    people, skipped = codes.people_for_letters(
        db.session, opd, with_password=letter_form.with_password.data,
        again=letter_form.again.data, allowed=_allowed())
    if not people:
        db.session.rollback()
        flash(_("Nobody to print a letter for in %(opd)s (%(n)d already hold a letter "
                "that still works).", opd=opd.name, n=skipped), "info")
        return redirect(url_for(f"activation.{_area()}_page"))
    made = codes.make_letters(db.session, current_app.config["SECRET_KEY"], people,
                              current_app.config["ACTIVATION_DAYS"], by=signed_in())
    audit("activation_letters", opd.code, people=len(made), skipped=skipped)
    opd_name, name = opd.name, f"surat-aktivasi-{opd.code.lower()}.pdf"
    db.session.commit()
    # The letters hold plain values read before the commit: making the PDF (a second or
    # two for a large OPD) opens no transaction.
    body = letters.pdf(made, lambda nip: external_url("auth.activate", nip=nip), opd_name,
                       clock.now())
    return current_app.response_class(body, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "Cache-Control": "no-store"})
