"""The one per-course check every studio view goes through."""

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from lms.core.extensions import db
from lms.models import Course
from lms.studio import ownership


def course_for_editing(slug: str) -> Course:
    """The course, when the signed-in trainer owns or co-owns it (or is an admin);
    404 when there is no such course, 403 when it is someone else's."""
    course = db.session.scalars(select(Course).where(Course.slug == slug)).first()
    if course is None:
        abort(404)
    if not ownership.may_edit(db.session, current_user, course):
        abort(403)
    return course
