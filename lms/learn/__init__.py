from flask import Blueprint
from flask_login import login_required

bp = Blueprint("learn", __name__)


@bp.before_request
@login_required
def require_login():
    """Every learner page needs a signed-in employee; all employees are learners."""


from lms.learn import views  # noqa: E402,F401
