"""The trainer studio: write, preview, publish and improve courses in the browser."""

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("author", __name__, url_prefix="/studio")


@bp.before_request
@login_required
def require_trainer():
    """Trainers (and admins, who assign owners); which course each may edit is checked
    per course by `ownership.course_for_editing`."""
    if not (current_user.has_role("trainer") or current_user.has_role("admin")):
        abort(403)


from lms.author import editor, history, previews, stats, transfer, views  # noqa: E402,F401
