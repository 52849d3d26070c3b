"""Pre-test and post-test (issue 13): a course's optional pre-test, drawn from its final
quiz's questions and taken once before module 1 (or declined); test-out for courses
that allow it; learning gain for the course's trainers (/studio/<slug>/capaian) and HR
(/laporan/kursus/<slug>/capaian). The final quiz is the post-test.

Domain: format (README `pretest:`), taking (draw, grade, skip, test out), parallel (what
the post-test avoids), credit (JP after a test-out), gains (the SQL figures), demo."""

from flask import Blueprint, abort, g, request
from flask_login import current_user, login_required

from lms.core.extensions import db
from lms.core.web import signed_in
from lms.org.scope import hr_scope

bp = Blueprint("pretest", __name__)


@bp.before_request
@login_required
def require_audience():
    """The URL decides, as in certificates/: /studio/… for trainers and admins (the
    course is checked by studio's course_for_editing), /laporan/… for HR inside
    `g.scope`, the rest for the signed-in learner's own pre-tests."""
    rule = request.url_rule.rule if request.url_rule else ""
    if rule.startswith("/studio/"):
        if not (current_user.has_role("trainer") or current_user.has_role("admin")):
            abort(403)
    elif rule.startswith("/laporan/"):
        g.scope = hr_scope(db.session, signed_in("hr"))
        if g.scope is None:
            abort(403)
