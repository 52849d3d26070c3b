"""People: accounts and roles, the employee import, one-time password links. Admins work
on /admin/… pages, HR on /laporan/… pages (within `g.scope`, on plain learners only)."""

from flask import Blueprint, abort, g, request
from flask_login import current_user, login_required

from lms.core.extensions import db
from lms.core.web import signed_in
from lms.org.scope import hr_scope

bp = Blueprint("people", __name__)


@bp.before_request
@login_required
def require_admin_or_hr():
    """Everything under /admin is for admins; the rest for HR, inside their scope. The
    URL decides, so a new page cannot forget its check."""
    g.scope = hr_scope(db.session, signed_in("hr"))
    if request.url_rule.rule.startswith("/admin/"):
        if not current_user.has_role("admin"):
            abort(403)
    elif g.scope is None:
        abort(403)
