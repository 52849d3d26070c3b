"""The audit log's pages (/admin/audit), for admins. Recording is core.audit's job: every
feature writes to the log in its own transaction."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("audit", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin():
    if not current_user.has_role("admin"):
        abort(403)
