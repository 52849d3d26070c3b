"""The organisation (/admin/opd): the OPD tree of agencies, districts, villages and units,
edited by admins, and each person's scope in it (scope.py)."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("org", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin():
    if not current_user.has_role("admin"):
        abort(403)
