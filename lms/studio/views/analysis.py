"""Learning analytics pages (item analysis) for a course's owners: aggregate figures
only, never a learner's name, NIP or individual answers (see lms/studio/analysis/)."""

from flask import abort, render_template
from flask_babel import format_decimal
from sqlalchemy import select

from lms.core.extensions import db
from lms.core.web import or_404
from lms.models import Module
from lms.studio import analysis, bp, course_for_editing, module_text
from lms.studio.paths import is_module
from lms.studio.views.working import working_copy


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
    work = working_copy(course)
    # A flagged question links to its editor, in the file the draft (or the published
    # folder) holds it in now.
    editors = {q.key: path for path in work.tree if is_module(path)
               for q in module_text.read(path, work.text(path)).questions}
    return render_template("studio/analysis_module.html", course=course, stats=stats,
                           editors=editors,
                           flags=analysis.FLAGS, group_percent=analysis.GROUP_PERCENT,
                           good_discrimination=format_decimal(analysis.WEAK_DISCRIMINATION,
                                                              format="0.00"))
