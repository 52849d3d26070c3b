"""The champion's own pages (/duta): their units' colleagues and the pendampingan they
record. Everything is read inside `g.champion`, their units."""

import re
import secrets

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from lms.champions import assisted, bp, colleagues
from lms.champions.forms import AssistedForm
from lms.champions.views import deleting
from lms.core import bounds, clock, downloads
from lms.core.database import read_only, read_only_stream
from lms.core.extensions import db
from lms.core.web import audit, logs_on_get, or_404, signed_in
from lms.learning.catalogue import published_courses
from lms.models import AssistedSession
from lms.org import tree


def _units():
    return g.champion.roots


def _opd_choices():
    top = min(r.depth for r in _units())
    return [(o.code, tree.option_label(o, top))
            for o in tree.in_order(db.session, g.champion.condition())]


@bp.route("/duta")
def home():
    f = colleagues.filters(db.session, g.champion, request.args)
    rows, more = colleagues.page(db.session, f)
    if f.page > 1 and not rows:
        abort(404)
    return render_template("champions/colleagues.html", f=f, rows=rows, more=more,
                           units=_units(), opds=_opd_choices(),
                           all_courses=published_courses(db.session))


@bp.route("/duta/unduh.<any(csv, xlsx):fmt>")
@logs_on_get
def download(fmt):
    f = colleagues.filters(db.session, g.champion, request.args)
    header, rows, formats, widths = colleagues.export(db.session, f, str(get_locale()),
                                                      for_excel=fmt == "xlsx")
    audit("export", "duta", format=fmt, filters=f.logged())
    db.session.commit()
    where = f.opd.code if f.opd else "-".join(u.code for u in _units())
    name = re.sub(r"[^a-z0-9-]+", "-", f"melek-duta-{where}-{f.today.isoformat()}".lower())
    if fmt == "xlsx":
        with read_only(db.session):
            return downloads.xlsx_response(name, header, rows, formats, widths)
    return downloads.csv_response(name, header, read_only_stream(db.session, rows))


def _form() -> AssistedForm:
    form = AssistedForm()
    form.unit.choices = [(u.code, u.name) for u in _units()]
    form.course.choices = [("", _("No course: the topic says what"))] + [
        (c.slug, c.title) for c in published_courses(db.session)]
    if request.method == "GET":
        form.token.data = secrets.token_urlsafe(24)
        form.held_on.data = clock.today()
        form.unit.data = _units()[0].code
    return form


@bp.route("/duta/pendampingan/baru", methods=["GET", "POST"])
def new_session():
    form = _form()
    today = clock.today()
    checked = _checked(form, today) if form.is_submitted() else None
    if checked is not None:
        unit, course, helped = checked
        entry, new = assisted.record(
            db.session, signed_in(), unit, held_on=form.held_on.data,
            minutes=form.minutes.data, topic=(form.topic.data or "").strip(),
            course=course, helped=helped, token=form.token.data)
        if new:
            audit("assisted_recorded", unit.code, record=entry.id,
                  held_on=entry.held_on.isoformat(), minutes=entry.minutes,
                  colleagues=[p.nip for p in helped])
        db.session.commit()
        flash(_("Pendampingan recorded.") if new else
              _("This pendampingan was already recorded."), "success")
        return redirect(url_for(".sessions"))
    db.session.rollback()
    return render_template("champions/new_session.html", form=form,
                           first_day=assisted.earliest_day(today), today=today,
                           min_minutes=assisted.MIN_MINUTES, max_minutes=assisted.MAX_MINUTES)


def _checked(form: AssistedForm, today):
    """(unit, course, colleagues) of a valid submission, else None with every problem
    on its field at once (the date's window and each NIP line too), so one round trip
    shows them all."""
    valid = form.validate()
    unit = next((u for u in _units() if u.code == form.unit.data), None)
    course = next((c for c in published_courses(db.session) if c.slug == form.course.data),
                  None)
    first = assisted.earliest_day(today)
    if form.held_on.data and not form.held_on.errors and not (
            first <= form.held_on.data <= today):
        form.held_on.errors = [_("The date must be between %(first)s and today.",
                                 first=format_date(first, "d MMMM yyyy"))]
        valid = False
    helped = []
    if unit is not None and form.nips.data and not form.nips.errors:
        try:
            helped = assisted.colleagues(db.session, signed_in(), unit,
                                         assisted.parse_nips(form.nips.data))
        except assisted.Refused as exc:
            form.nips.errors = [_("Line %(line)d: %(message)s", line=line, message=m)
                                if line else m for line, m in exc.problems]
            valid = False
    return (unit, course, helped) if valid else None


@bp.route("/duta/pendampingan")
def sessions():
    number = bounds.page_arg(request.args)
    found = assisted.own(db.session, signed_in(), number)
    if number > 1 and not found.records:
        abort(404)
    return render_template("champions/sessions.html", found=found, number=number,
                           helped=assisted.helped_names(db.session,
                                                        [r.id for r in found.records]),
                           deletable={r.id for r in found.records
                                      if assisted.may_delete_own(r, signed_in())},
                           own_delete_days=assisted.OWN_DELETE_DAYS)


@bp.route("/duta/pendampingan/<id:record_id>/hapus", methods=["GET", "POST"])
def delete_session(record_id):
    """Only the champion's own record, and only for OWN_DELETE_DAYS; later, HR's."""
    entry = or_404(db.session.get(AssistedSession, record_id))
    if entry.champion_id != signed_in().id:
        abort(404)
    if not assisted.may_delete_own(entry, signed_in()):
        abort(403)
    return deleting.confirm_and_delete(entry, "champions.sessions")
