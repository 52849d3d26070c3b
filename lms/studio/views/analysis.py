"""Learning analytics pages (item analysis) for a course's owners: aggregate figures
only, never a learner's name, NIP or individual answers (see lms/studio/analysis/)."""

from flask import abort, render_template
from flask_babel import format_decimal
from sqlalchemy import select

from lms.core.extensions import db
from lms.core.web import or_404
from lms.models import Module
from lms.studio import analysis, bp, course_for_editing


@bp.route("/<slug>/statistik")
def course_analysis(slug):
    course = course_for_editing(slug)
    stats = analysis.course_stats(db.session, course)
    return render_template("studio/analysis_course.html", course=course, stats=stats)


@bp.route("/<slug>/statistik/<key>")
def module_analysis(slug, key):
    course = course_for_editing(slug)
    module = or_404(db.session.scalars(select(Module).where(
        Module.course_id == course.id, Module.key == key)).first())
    stats = analysis.module_stats(db.session, module)
    if not stats.questions:
        abort(404)  # no quiz, now or before
    return render_template("studio/analysis_module.html", course=course, stats=stats,
                           flags=analysis.FLAGS, group_percent=analysis.GROUP_PERCENT,
                           good_discrimination=format_decimal(analysis.WEAK_DISCRIMINATION,
                                                              format="0.00"))
