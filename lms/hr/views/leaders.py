"""HR's leaders-first page: the heads in the scope per mandatory course, and for
city-wide HR the comparison of staff completion by their head's."""

from flask import g, render_template, request

from lms.core.extensions import db
from lms.evaluation import chart as pair_chart
from lms.hr import bp, leaders, queries
from lms.hr.filters import parse
from lms.models import Opd


@bp.route("/kepala")
def leaders_page():
    f = parse(db.session, g.scope, request.args)
    courses = queries.mandatory_courses(db.session, f)
    rows = leaders.head_rows(db.session, g.scope.condition(Opd.path), [c.id for c in courses])
    compared = leaders.comparison(db.session, f, courses) if g.scope.city_wide else []
    # The columns: courses that are mandatory for a head shown, or compared below.
    wanted = {cid for r in rows for cid in r.cells} | {c.course.id for c in compared}
    courses = [c for c in courses if c.id in wanted]
    chart = pair_chart.pairs([(str(i), c.head_done.percent, c.head_not_done.percent)
                              for i, c in enumerate(compared, start=1)]) if compared else None
    return render_template("hr/leaders.html", f=f, courses=courses, head_rows=rows,
                           compared=compared, chart=chart)
