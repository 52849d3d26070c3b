"""Mandatory courses: assignments to OPDs, employment types or named people, who they
reach (requirements with due dates), and the report counts kept in step with them.
Pages under /laporan/penugasan, for HR within its scope."""

from flask import Blueprint, abort, g
from flask_login import login_required

from lms.core.extensions import db
from lms.core.web import signed_in
from lms.org.scope import hr_scope

bp = Blueprint("mandatory", __name__, url_prefix="/laporan")


@bp.before_request
@login_required
def require_hr():
    """HR only, like the reports the assignments show up in; every view works inside
    `g.scope`."""
    g.scope = hr_scope(db.session, signed_in("hr"))
    if g.scope is None:
        abort(403)
