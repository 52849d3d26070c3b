"""HR's leaders-first page: the heads in the scope per mandatory course, and for
city-wide HR the comparison of staff completion by their head's; the heads table as an
Excel file."""

from flask import g, render_template, request

from lms.core import downloads
from lms.core.database import read_only
from lms.core.extensions import db
from lms.core.web import audit, logs_on_get
from lms.evaluation import chart as pair_chart
from lms.hr import bp, exports, leaders, queries
from lms.hr.filters import Filters, parse
from lms.hr.views.reports import file_name
from lms.models import Opd


def _tables(f: Filters):
    """The heads' standing per mandatory course in the scope, and (city-wide) the
    comparison; the columns are the courses mandatory for a head shown, or compared."""
    courses = queries.mandatory_courses(db.session, f)
    rows = leaders.head_rows(db.session, g.scope.condition(Opd.path), [c.id for c in courses])
    compared = leaders.comparison(db.session, f, courses) if g.scope.city_wide else []
    wanted = {cid for r in rows for cid in r.cells} | {c.course.id for c in compared}
    return [c for c in courses if c.id in wanted], rows, compared


@bp.route("/kepala")
def leaders_page():
    f = parse(db.session, g.scope, request.args)
    courses, rows, compared = _tables(f)
    chart = pair_chart.pairs([(str(i), c.head_done.percent, c.head_not_done.percent)
                              for i, c in enumerate(compared, start=1)]) if compared else None
    return render_template("hr/leaders.html", f=f, courses=courses, head_rows=rows,
                           compared=compared, chart=chart)


@bp.route("/kepala/unduh.xlsx")
@logs_on_get
def leaders_download():
    f = parse(db.session, g.scope, request.args)
    courses, rows, _compared = _tables(f)
    header, body, formats, widths = exports.heads(courses, rows)
    audit("export", "kepala", format="xlsx", filters=f.logged())
    db.session.commit()
    with read_only(db.session):
        return downloads.xlsx_response(file_name("kepala", f), header, body, formats, widths)
