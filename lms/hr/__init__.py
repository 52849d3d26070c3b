"""HR's reports (/laporan): completion and JP per OPD, course and employee, lists and
downloads, and one employee's page. Every query stays inside the viewer's scope."""

from flask import Blueprint, abort, g
from flask_login import login_required

from lms.core.extensions import db
from lms.core.web import signed_in
from lms.hr.bands import BAND_LABELS, band, legend
from lms.org.scope import hr_scope

bp = Blueprint("hr", __name__, url_prefix="/laporan")
bp.add_app_template_filter(band, "band")


@bp.before_request
@login_required
def require_hr():
    """HR only; every view then works inside `g.scope`, never outside it."""
    g.scope = hr_scope(db.session, signed_in("hr"))
    if g.scope is None:
        abort(403)


@bp.app_context_processor
def _band_labels():
    return {"band_labels": BAND_LABELS, "band_legend": legend()}
