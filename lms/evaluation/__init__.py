"""Participant evaluation (an anonymous city-wide questionnaire after a course) and the
confidence measure (one question per course, before and after). The URL decides who may
come in, as in people/: /admin/... admins; /laporan/keyakinan city-wide HR;
/evaluasi/hasil... a course's trainers and city-wide HR (per course in the view); the
rest, the signed-in learner's own answers."""

from flask import Blueprint, abort, g, request
from flask_login import current_user, login_required

from lms.core.extensions import db
from lms.core.web import signed_in
from lms.org.scope import hr_scope

bp = Blueprint("evaluation", __name__)


@bp.before_request
@login_required
def require_audience():
    scope = hr_scope(db.session, signed_in("hr"))
    g.city_hr = scope is not None and scope.city_wide
    rule = request.url_rule.rule if request.url_rule else ""
    if rule.startswith("/admin/") and not current_user.has_role("admin"):
        abort(403)
    if rule.startswith("/laporan/") and not g.city_hr:
        abort(403)
    if rule.startswith("/evaluasi/hasil") and not (g.city_hr
                                                   or current_user.has_role("trainer")):
        abort(403)
