from flask import Blueprint, abort, g
from flask_login import current_user, login_required

from lms.extensions import db
from lms.scope import hr_scope

bp = Blueprint("reports", __name__, url_prefix="/laporan")


@bp.before_request
@login_required
def require_hr():
    """HR only; every view then works inside `g.scope`, never outside it."""
    g.scope = hr_scope(db.session, current_user)
    if g.scope is None:
        abort(403)


from lms.reports import assign, people, views  # noqa: E402,F401
