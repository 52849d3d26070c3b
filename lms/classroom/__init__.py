"""Classroom sessions (issue 15): a trainer or a digital champion schedules a course in a
room (/kelas/baru…); staff in the audience sign up (/kelas, /kelas/kursus/<slug>), HR adds
people of their scope; the facilitator ticks names or shows a changing code on the
projector, typed by attendees at /hadir; attending credits the covered modules.

Domain: access (who may do what), schedule (plans, lists), seats (capacity under
parallel requests), codes (the derived six-digit code), attendance (check-in, ticks,
credit and taking it back), demo."""

from flask import Blueprint
from flask_login import login_required

bp = Blueprint("classroom", __name__)


@bp.before_request
@login_required
def require_login():
    """Every page needs a signed-in employee; what each may do with a session is
    decided per session by `access` (schedule, run, see, fill)."""
