"""HR and admins: granting and revoking the champion role (HR on the employee's page,
inside `g.scope`), the pendampingan records of their scope, and the city's JP setting
(admins)."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.champions import assisted, bp, granting, settings
from lms.champions.forms import ChampionGrantForm, SettingsForm
from lms.champions.views import deleting
from lms.core import bounds
from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import audit, or_404, signed_in
from lms.models import AssistedSession, RoleGrant
from lms.org import tree
from lms.org.scope import employee_in
from lms.people import roles
from lms.people.roles import CHAMPION


@bp.route("/laporan/pegawai/<nip>/duta-digital", methods=["POST"])
def grant(nip):
    person = or_404(employee_in(db.session, g.scope, nip))
    form = ChampionGrantForm()
    form.unit.choices = granting.unit_choices(db.session, g.scope)
    if not form.validate_on_submit():
        abort(400)
    unit = or_404(tree.by_code(db.session, form.unit.data))
    if not granting.may_grant(signed_in(), person, unit, g.scope):
        abort(403)
    held = any(g.role == CHAMPION and g.opd_id == unit.id for g in person.grants)
    if not held:  # granting it again changes nothing, so records nothing
        roles.grant(db.session, person, CHAMPION, unit, by=signed_in())
        audit("role_granted", person.nip, role=CHAMPION, opd=unit.code)
    db.session.commit()
    flash(_("%(name)s is now a Duta Digital of %(unit)s.", name=person.name, unit=unit.name),
          "success")
    return redirect(url_for("hr.employee", nip=nip) + "#duta-digital")


@bp.route("/laporan/duta-digital/<id:grant_id>/cabut", methods=["GET", "POST"])
def revoke(grant_id):
    """A confirmation page, then the revoke (no JavaScript needed for either)."""
    role_grant = or_404(db.session.get(RoleGrant, grant_id))
    if role_grant.role != CHAMPION or not g.scope.contains(role_grant.employee.opd):
        abort(404)
    if not granting.may_revoke(signed_in(), role_grant, g.scope):
        abort(403)
    person, back = role_grant.employee, url_for("hr.employee", nip=role_grant.employee.nip)
    form = EmptyForm()
    if form.validate_on_submit():
        unit = role_grant.opd.code
        roles.revoke(db.session, role_grant, by=signed_in())
        audit("role_revoked", person.nip, role=CHAMPION, opd=unit)
        db.session.commit()
        flash(_("Role revoked."), "info")
        return redirect(back + "#duta-digital")
    return render_template("people/confirm_revoke.html", grant=role_grant, form=form,
                           back=back, role_label=roles.ROLE_LABELS[CHAMPION])


@bp.route("/laporan/pendampingan")
def scope_sessions():
    number = bounds.page_arg(request.args)
    found = assisted.in_scope(db.session, g.scope, number)
    if number > 1 and not found.records:
        abort(404)
    ids = [r.id for r in found.records]
    return render_template("champions/scope_sessions.html", found=found, number=number,
                           helped=assisted.helped_names(db.session, ids), deletable=set(ids))


@bp.route("/laporan/pendampingan/<id:record_id>/hapus", methods=["GET", "POST"])
def scope_delete(record_id):
    """HR deletes (or, to correct, deletes so the champion records it again) a record
    of a unit in their scope; the JP it credited goes back."""
    entry = or_404(db.session.get(AssistedSession, record_id))
    if not g.scope.contains(entry.unit):
        abort(404)
    return deleting.confirm_and_delete(entry, "champions.scope_sessions",
                                       champion=entry.champion.nip)


@bp.route("/admin/duta-digital", methods=["GET", "POST"])
def admin_settings():
    row = settings.read(db.session)
    form = SettingsForm(data={"jp_enabled": row.jp_enabled,
                              "minutes_per_jp": row.minutes_per_jp,
                              "yearly_cap": row.yearly_cap})
    if form.validate_on_submit():
        row = settings.stored(db.session)
        row.jp_enabled = bool(form.jp_enabled.data)
        row.minutes_per_jp = form.minutes_per_jp.data
        row.yearly_cap = form.yearly_cap.data
        audit("champion_settings_changed", "duta-digital", jp_enabled=row.jp_enabled,
              minutes_per_jp=row.minutes_per_jp, yearly_cap=row.yearly_cap)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".admin_settings"))
    db.session.rollback()
    return render_template("champions/settings.html", form=form, area="admin")
