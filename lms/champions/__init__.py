"""Digital champions (Duta Digital): a colleague who helps one unit. The URL decides who
may come in, as in people/: /duta/... the champion (inside `g.champion`, their units);
/laporan/... HR (inside `g.scope`: granting the role, the pendampingan records);
/admin/... admins (the JP setting)."""

from flask import Blueprint, abort, g, request
from flask_login import current_user, login_required

from lms.champions.units import champion_scope
from lms.core.extensions import db
from lms.core.web import signed_in
from lms.org.scope import hr_scope

bp = Blueprint("champions", __name__)


@bp.before_request
@login_required
def require_audience():
    rule = request.url_rule.rule if request.url_rule else ""
    g.scope = hr_scope(db.session, signed_in("hr"))
    g.champion = champion_scope(signed_in("champion"))
    if rule.startswith("/admin/"):
        if not current_user.has_role("admin"):
            abort(403)
    elif rule.startswith("/laporan/"):
        if g.scope is None:
            abort(403)
    elif g.champion is None:
        abort(403)
