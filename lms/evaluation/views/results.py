"""Evaluation results (a course's trainers and city-wide HR; comments without names) and
the city's confidence view (city-wide HR). Every figure from SQL sums; groups of fewer
than MIN_GROUP hidden."""

from flask import abort, g, render_template, request
from sqlalchemy import select

from lms.core.database import read_only
from lms.core.downloads import csv_response
from lms.core.extensions import db
from lms.core.web import audit, logs_on_get, or_404, signed_in
from lms.evaluation import answers, bp, chart, confidence, questionnaire
from lms.models import Course, CourseOwner
from lms.studio.analysis.figures import MIN_GROUP


def _visible_courses() -> list[Course]:
    query = select(Course).where(Course.retired_at.is_(None)).order_by(Course.title)
    if not g.city_hr:
        query = query.join(CourseOwner, CourseOwner.course_id == Course.id).where(
            CourseOwner.employee_id == signed_in().id)
    return list(db.session.scalars(query))


def _may_see(course: Course) -> bool:
    return g.city_hr or db.session.get(CourseOwner, (course.id, signed_in().id)) is not None


@bp.route("/evaluasi/hasil")
def results_index():
    courses = _visible_courses()
    counts = answers.response_counts(db.session, [c.id for c in courses])
    return render_template("evaluation/results_index.html", courses=courses, counts=counts,
                           min_group=MIN_GROUP)


@bp.route("/evaluasi/hasil/<slug>")
def results(slug):
    course = or_404(db.session.scalars(select(Course).where(Course.slug == slug)).first())
    if not _may_see(course):
        abort(403)
    form = questionnaire.current(db.session)
    items = answers.item_results(db.session, course.id, form) if form else []
    return render_template("evaluation/results.html", course=course, items=items,
                           responses=answers.responses(db.session, course.id),
                           comments=answers.comments(db.session, course.id),
                           scale=answers.SCALE_LABELS, min_group=MIN_GROUP)


@bp.route("/evaluasi/hasil.csv")
@logs_on_get
def results_csv():
    """Figures per course and item, for the courses this person may see: no answer,
    no comment, no person; hidden groups are empty cells."""
    courses = _visible_courses()
    audit("export", "evaluasi", courses=len(courses))
    db.session.commit()
    with read_only(db.session):
        form = questionnaire.current(db.session)
        rows = [[c.slug, c.title, r.key, r.text, r.answers,
                 None if r.hidden else r.mean_tenths / 10, r.agree_percent,
                 *[None if r.hidden else r.counts[v] for v in answers.SCALE]]
                for c in courses for r in (answers.item_results(db.session, c.id, form)
                                           if form else [])]
    header = ["course", "course_title", "item", "statement", "answers", "mean",
              "agree_percent", *[f"n_{v}" for v in answers.SCALE]]
    return csv_response("melek-evaluasi", header, rows)


def _chosen_course():
    slug = request.args.get("kursus", "")
    if not slug:
        return None
    return or_404(db.session.scalars(select(Course).where(
        Course.slug == slug, Course.confidence != "")).first())


@bp.route("/laporan/keyakinan")
def confidence_view():
    chosen = _chosen_course()
    view = confidence.city_view(db.session, chosen.id if chosen else None)
    drawn = chart.pairs([(line.month[5:] + "/" + line.month[2:4], line.share.before_percent,
                          line.share.after_percent) for line in view.months])
    return render_template("evaluation/confidence_city.html", view=view, chosen=chosen,
                           chart=drawn, choices=confidence.course_choices(db.session),
                           min_group=MIN_GROUP, area="laporan")


@bp.route("/laporan/keyakinan.csv")
@logs_on_get
def confidence_csv():
    chosen = _chosen_course()
    audit("export", "keyakinan", course=chosen.slug if chosen else "")
    db.session.commit()
    with read_only(db.session):
        view = confidence.city_view(db.session, chosen.id if chosen else None)
    rows = []
    for kind, lines in (("course", view.courses), ("opd", view.opds),
                        ("month", view.months)):
        # A small group's size is said as the page says it, not counted exactly.
        rows += [[kind, line.label, f"<{MIN_GROUP}" if line.share.small else line.share.pairs,
                  line.share.before_percent, line.share.after_percent, line.share.change]
                 for line in lines]
    return csv_response("melek-keyakinan", ["group", "name", "people", "confident_before",
                                            "confident_after", "change_points"], rows)
