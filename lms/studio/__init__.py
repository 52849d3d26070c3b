"""The trainer studio (/studio): write, preview, publish and improve courses in the
browser. The domain (drafts, publish, ownership, analysis/ …) is plain functions over
sessions and data; views/ holds the pages."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("studio", __name__, url_prefix="/studio")


@bp.before_request
@login_required
def require_trainer():
    """Trainers (and admins, who assign owners); which course each may edit is checked
    per course by `access.course_for_editing`."""
    if not (current_user.has_role("trainer") or current_user.has_role("admin")):
        abort(403)
