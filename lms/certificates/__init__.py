"""Certificates of completed courses and yearly JP transcripts: learners download their
own (/sertifikat), HR downloads its scope's for SIASN (/laporan/sertifikat), admins set
the organiser, the signing official and the number pattern (/admin/sertifikat).
Checking one is public: see lms/verification."""

from flask import Blueprint, abort, g, request
from flask_login import current_user, login_required

from lms.core.extensions import db
from lms.core.web import signed_in
from lms.org.scope import hr_scope

bp = Blueprint("certificates", __name__)


@bp.before_request
@login_required
def require_audience():
    """The URL decides, as in people/: /admin/… for admins, /laporan/… for HR inside
    `g.scope`, the rest for the signed-in learner's own documents."""
    g.scope = hr_scope(db.session, signed_in("hr"))
    rule = request.url_rule.rule
    if rule.startswith("/admin/"):
        if not current_user.has_role("admin"):
            abort(403)
    elif rule.startswith("/laporan/") and g.scope is None:
        abort(403)
