"""Learners: the catalogue, courses, modules, quizzes, progress and JP. Every employee is a
learner; the pages only need a signed-in employee."""

from flask import Blueprint
from flask_login import login_required

from lms.learning.progress import STATUS_LABELS

bp = Blueprint("learning", __name__)


@bp.before_request
@login_required
def require_login():
    """Every learner page needs a signed-in employee; all employees are learners."""


@bp.app_context_processor
def _status_labels():
    # Learners, HR and the studio all name a course's status with these words.
    return {"status_labels": STATUS_LABELS}
