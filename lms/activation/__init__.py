"""First access at city scale: set-password links emailed in bulk, and printed activation
letters for people without email (/admin/akses-pertama for admins,
/laporan/akses-pertama for city-wide HR, who act only on plain learners). The public
page where a code is used is auth's /aktivasi."""

from flask import Blueprint, abort, g, request
from flask_login import current_user, login_required

from lms.core.extensions import db
from lms.core.web import signed_in
from lms.org.scope import hr_scope

bp = Blueprint("activation", __name__)


@bp.before_request
@login_required
def require_admin_or_city_hr():
    """The URL decides: /admin/… for admins, the rest for city-wide HR."""
    g.scope = hr_scope(db.session, signed_in("hr"))
    if request.url_rule.rule.startswith("/admin/"):
        if not current_user.has_role("admin"):
            abort(403)
    elif g.scope is None or not g.scope.city_wide:
        abort(403)
