"""HR's report pages: the overview, a course, the employee lists, JP, and their downloads."""

import re
from datetime import datetime, time

from flask import abort, current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from lms.core import downloads
from lms.core.clock import JAKARTA
from lms.core.database import read_only, read_only_stream
from lms.core.extensions import db
from lms.core.web import audit, external_url, logs_on_get, or_404
from lms.hr import bp, chart, detail_export, exports, leaders, lists, queries
from lms.hr.filters import OVERVIEW_SORTS, SORTS, Filters, parse
from lms.learning.catalogue import published_course, published_courses
from lms.models import Opd
from lms.models.people import EMPLOYMENT_TYPE_LABELS
from lms.nudges import share
from lms.org import tree

STATUS_CODES = {"not_started": "belum mulai", "in_progress": "berjalan",
                "completed": "selesai", "overdue": "terlambat"}
DETAIL_COLUMNS = ["nip", "nama", "opd_kode", "opd", "jabatan", "kursus", "status",
                  "progres_persen", "nilai", "tanggal_selesai", "jp", "batas_waktu"]
JP_COLUMNS = ["nip", "nama", "opd_kode", "opd", "jabatan", "jenis_pegawai", "jp_tahun_ini",
              "target_jp", "kekurangan_jp"]


def _filters(sorts: tuple = SORTS) -> Filters:
    return parse(db.session, g.scope, request.args, sorts=sorts)


def _frame(f: Filters):
    """The node whose units form the rows, the rows, and the breadcrumb."""
    if f.opd is None and len(g.scope.roots) > 1:
        return None, g.scope.roots, []
    node = f.opd or g.scope.roots[0]
    trail = [a for a in queries.ancestors(db.session, node) if g.scope.contains(a)]
    return node, queries.children(db.session, node), trail


def _place(node) -> str:
    """What a shared message calls the part of the city it speaks of."""
    if node is not None:
        return node.name
    return _("the whole city") if g.scope.city_wide else ", ".join(
        r.name for r in g.scope.roots)


def _home() -> str:
    return external_url("learning.dashboard")


def _about(f: Filters, course: bool = False) -> list[str]:
    """The filters a shared message's figures were read with, in words."""
    about = [f.course.title] if course and f.course else []
    if f.employment_type:
        about.append(EMPLOYMENT_TYPE_LABELS[f.employment_type])
    if f.due_year:
        about.append(_("due in %(year)d", year=f.due_year))
    return about


def _pages(total: int) -> int:
    return max(1, -(-total // lists.PER_PAGE))


def _matrix(f: Filters, node, nodes):
    """The overview: rows of OPD units x the mandatory courses that reach them."""
    candidates = queries.mandatory_courses(db.session, f)
    rows = queries.rows_for(db.session, nodes, f, [c.id for c in candidates], direct_of=node)
    columns, grand = queries.column_totals(rows)
    courses = [c for c in candidates if c.id in columns and columns[c.id].assigned]
    return courses, queries.sort_rows(rows, f.sort), columns, grand


def _course_rows(f: Filters, node, nodes):
    rows = queries.rows_for(db.session, nodes, f, [f.course.id], direct_of=node)
    return queries.sort_rows(rows, f.sort)


@bp.route("/")
def overview():
    f = _filters(OVERVIEW_SORTS)
    node, nodes, trail = _frame(f)
    courses, rows, columns, grand = _matrix(f, node, nodes)
    shared = share.courses(_place(node), f.today, [(c.title, columns[c.id]) for c in courses],
                           _home(), _about(f))
    shown = [r.opd.id for r in rows] + ([node.id] if node else [])  # and their heads
    head_rows = leaders.head_rows(db.session, Opd.id.in_(shown), [c.id for c in courses]) \
        if shown and courses else []
    return render_template("hr/overview.html", f=f, node=node, trail=trail,
                           courses=courses, rows=rows, columns=columns, grand=grand,
                           all_courses=published_courses(db.session), share=shared,
                           head_rows=head_rows)


@bp.route("/kursus/<slug>")
def course(slug):
    f = _filters(OVERVIEW_SORTS)
    f.course = or_404(published_course(db.session, slug))
    node, nodes, trail = _frame(f)
    rows = _course_rows(f, node, nodes)
    _, grand = queries.column_totals(rows)
    months = queries.year_months(f.year)
    boundaries = [datetime.combine(m, time(), JAKARTA) for m in months]
    cumulative = queries.completions_by_month(db.session, f.course, f, boundaries)
    labels = [m.strftime("%m") for m in months[:-1]]
    shared = share.courses(_place(node), f.today, [(f.course.title, grand)], _home(), _about(f))
    return render_template("hr/course.html", f=f, node=node, trail=trail, rows=rows,
                           grand=grand, chart=chart.bars(cumulative, labels), share=shared,
                           months=list(zip(months, cumulative, strict=False)))


@bp.route("/rincian", endpoint="details")
@bp.route("/terlambat", endpoint="overdue", defaults={"fixed_status": "overdue"})
def details(fixed_status=None):
    f = _filters()
    if fixed_status:
        f.status = fixed_status
    rows, more = lists.detail_page(db.session, f)
    if f.page > 1 and not rows:
        abort(404)
    before, after = lists.page_links(f, rows)
    total = queries.requirement_total(db.session, f)
    shared = (share.overdue(_place(f.opd), f.today, total, _home(), _about(f, course=True))
              if fixed_status == "overdue" else None)
    return render_template("hr/details.html", f=f, rows=rows, more=more, total=total,
                           before=before, after=after,
                           fixed_status=fixed_status, share=shared, opds=_opd_choices(),
                           endpoint=request.endpoint, all_courses=published_courses(db.session))


def _opd_choices() -> list[tuple[str, str]]:
    """Every OPD and unit in the scope, in tree order, indented, for the filter."""
    top = min(r.depth for r in g.scope.roots)
    return [(o.code, tree.option_label(o, top))
            for o in tree.in_order(db.session, g.scope.condition())]


@bp.route("/jp")
def jp_compliance():
    f = _filters()
    target = current_app.config["JP_TARGET_PER_YEAR"]
    rows, total = lists.jp_page(db.session, f, target)
    if f.page > 1 and not rows:
        abort(404)
    return render_template("hr/jp.html", f=f, rows=rows, total=total,
                           pages=_pages(total), target=target)


# A course's downloads sit under its own address: "/kursus/unduh.csv" would be read as the
# report of a course called "unduh.csv".
@bp.route("/kursus/<slug>/unduh.<any(csv, xlsx):fmt>", endpoint="course_download",
          defaults={"report": "kursus"})
@bp.route("/<any(ringkasan, rincian, terlambat, jp):report>/unduh.<any(csv, xlsx):fmt>")
@logs_on_get
def download(report, fmt, slug=None):
    f = _filters(OVERVIEW_SORTS if report in ("ringkasan", "kursus") else SORTS)
    if report == "kursus":
        f.course = or_404(published_course(db.session, slug))
    if report == "terlambat":
        f.status = "overdue"
    # Everything is built before the commit below; the employee lists are read while the
    # response streams, already formatted by the database.
    detail = report in ("rincian", "terlambat")
    if fmt == "xlsx":
        header, rows, formats, widths = _workbook(report, f)
    elif detail:
        header, rows = DETAIL_COLUMNS, detail_export.detail_csv(db.session, f, STATUS_CODES)
    else:
        header, rows = _export_rows(report, f)
    audit("export", report, format=fmt, filters=f.logged())
    db.session.commit()
    name = file_name(report, f)
    if fmt == "xlsx":
        with read_only(db.session):
            # The employee lists' rows come neutralised by the database (hr.detail_export).
            return downloads.xlsx_response(name, header, rows, formats, widths,
                                           neutralised=detail)
    rows = read_only_stream(db.session, rows)
    if detail:
        return downloads.csv_text_response(name, header, rows)
    return downloads.csv_response(name, header, rows)


def file_name(report: str, f: Filters) -> str:
    """melek-<report>-<OPD>-<course>-<year asked for>-<day made>, e.g.
    melek-terlambat-kec-pml-dasar-2026-12-02: the report, where, what and when."""
    if f.opd is not None:
        where = f.opd.code
    elif g.scope.city_wide:
        where = "kota"
    else:
        where = "-".join(r.code for r in g.scope.roots)
    parts = ["melek", report, where, f.course.slug if f.course else None,
             str(f.year) if report == "jp" else (str(f.due_year) if f.due_year else None),
             f.today.isoformat()]
    name = "-".join(p for p in parts if p).lower()
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", name)).strip("-")


def _workbook(report: str, f: Filters):
    """What the Excel file of a report holds (hr.exports): labels as on screen."""
    if report in ("rincian", "terlambat"):
        return exports.employees(db.session, f, str(get_locale()),
                                 overdue=report == "terlambat")
    if report == "jp":
        return exports.jp(db.session, f, current_app.config["JP_TARGET_PER_YEAR"])
    node, nodes, _trail = _frame(f)
    if report == "kursus":
        return exports.course(_course_rows(f, node, nodes), _row_name)
    courses, rows, columns, grand = _matrix(f, node, nodes)
    return exports.overview(courses, rows, columns, grand, _row_name)


def _export_rows(report: str, f: Filters):
    """Header and rows of the smaller exports (the JP list streams; the rest are lists)."""
    if report == "jp":
        target = current_app.config["JP_TARGET_PER_YEAR"]
        return JP_COLUMNS, ([r.nip, r.name, r.opd_code, r.opd_name, r.position,
                             r.employment_type, r.jp, target, target - r.jp]
                            for r in lists.jp_stream(db.session, f, target))
    node, nodes, _trail = _frame(f)
    if report == "kursus":
        rows = _course_rows(f, node, nodes)
        header = ["opd_kode", "opd", "wajib", "selesai", "berjalan", "belum_mulai",
                  "terlambat", "persen_selesai", "peserta_sukarela"]
        return header, [[r.opd.code, _row_name(r), r.total.assigned, r.total.completed,
                         r.total.in_progress, r.total.not_started, r.total.overdue,
                         r.total.percent, r.total.voluntary] for r in rows]
    courses, rows, columns, grand = _matrix(f, node, nodes)
    header = ["opd_kode", "opd"] + [f"{c.title} (%)" for c in courses] + ["total (%)"]
    body = [[r.opd.code, _row_name(r)] + [_pct(r.cells.get(c.id)) for c in courses]
            + [r.total.percent] for r in rows]
    body.append(["", _("Total")] + [_pct(columns.get(c.id)) for c in courses] + [grand.percent])
    return header, body


def _row_name(row) -> str:
    return _("%(name)s (staff not in a sub-unit)", name=row.opd.name) if row.direct \
        else row.opd.name


def _pct(counts):
    return counts.percent if counts else None
