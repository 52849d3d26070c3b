from flask import abort, g, render_template, request
from sqlalchemy import select

from ..extensions import db
from ..learn.catalogue import course_or_404, published_courses
from ..models import Opd
from . import bp, queries

PER_PAGE = 50


@bp.route("/")
def index():
    courses = published_courses()
    totals = queries.course_totals(db.session, g.scope, courses)
    return render_template("reports/index.html", courses=courses, totals=totals,
                           scope=g.scope)


@bp.route("/kursus/<slug>")
def course(slug):
    course = course_or_404(slug)
    if len(g.scope.roots) == 1:
        return _node_report(course, g.scope.roots[0])
    rows = queries.rollup(db.session, course.id, g.scope.roots)
    return render_template("reports/course.html", course=course, rows=rows, node=None,
                           trail=[], people=None)


@bp.route("/kursus/<slug>/opd/<code>")
def course_opd(slug, code):
    course = course_or_404(slug)
    node = db.session.scalars(select(Opd).where(Opd.code == code)).first()
    if node is None or not g.scope.contains(node):
        abort(404)  # the same answer whether it exists or not: no probing other OPDs
    return _node_report(course, node)


def _node_report(course, node: Opd):
    page = request.args.get("halaman", 1, type=int)
    if page < 1:
        abort(404)
    rows = queries.rollup(db.session, course.id, queries.children(db.session, node))
    own = queries.direct(db.session, course.id, node)
    if own.counts.employees:
        rows.insert(0, own)
    people, total = queries.employee_statuses(db.session, course, node, page, PER_PAGE)
    if page > 1 and not people:
        abort(404)
    trail = [a for a in queries.ancestors(db.session, node) if g.scope.contains(a)]
    pages = max(1, -(-total // PER_PAGE))
    return render_template("reports/course.html", course=course, rows=rows, node=node,
                           trail=trail, people=people, total=total, page=page, pages=pages,
                           summary=queries.rollup(db.session, course.id, [node])[0])
