"""Studio pages: the trainer's course list and one course's overview."""

from flask import render_template
from flask_login import current_user

from ..extensions import db
from ..studio import ownership
from . import bp


@bp.route("/")
def index():
    courses = ownership.editable_courses(db.session, current_user)
    return render_template("author/index.html", courses=courses)
