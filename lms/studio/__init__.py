"""The trainer studio (/studio): write, preview, publish and improve courses in the
browser. The domain (drafts, publish, ownership, analysis/ …) is plain functions over
sessions and data; views/ holds the pages."""

from flask import Blueprint, abort
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.core.extensions import db
from lms.core.web import signed_in
from lms.models import Course
from lms.studio import ownership

bp = Blueprint("studio", __name__, url_prefix="/studio")


@bp.before_request
@login_required
def require_trainer():
    """Trainers (and admins, who assign owners); which course each may edit is checked
    per course by `course_for_editing`."""
    if not (current_user.has_role("trainer") or current_user.has_role("admin")):
        abort(403)


def course_for_editing(slug: str) -> Course:
    """The course, when the signed-in trainer owns or co-owns it (or is an admin);
    404 when there is no such course, 403 when it is someone else's."""
    course = db.session.scalars(select(Course).where(Course.slug == slug)).first()
    if course is None:
        abort(404)
    if not ownership.may_edit(db.session, signed_in(), course):
        abort(403)
    return course
