"""Nudges: deadline reminders by email (send-reminders), HR's weekly digest
(send-digests), and the WhatsApp-ready summaries on HR's pages. HR follows what was sent
under /laporan/pengingat, within its scope."""

from flask import Blueprint, abort, g
from flask_login import login_required

from lms.core.extensions import db
from lms.core.web import signed_in
from lms.org.scope import hr_scope

bp = Blueprint("nudges", __name__, url_prefix="/laporan/pengingat")


@bp.before_request
@login_required
def require_hr():
    """HR only, like the reports; every view works inside `g.scope`."""
    g.scope = hr_scope(db.session, signed_in("hr"))
    if g.scope is None:
        abort(403)
