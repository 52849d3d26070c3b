"""Running a session: the facilitator's ticks, the code on the projector, and the page
where attendees type it."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.classroom import access, attendance, bp, codes, seats
from lms.classroom.forms import CodeForm, TickForm
from lms.classroom.views.pages import visible_or_404
from lms.core import clock
from lms.core.extensions import db
from lms.core.web import audit, external_url, signed_in


def _run(session_id):
    cs = visible_or_404(session_id)  # someone who may not see it learns nothing of it
    if not access.may_run(db.session, signed_in(), cs):
        abort(403)
    return cs


@bp.route("/kelas/<id:session_id>/presensi", methods=["GET", "POST"])
def ticks(session_id):
    cs = _run(session_id)
    roster = seats.roster(db.session, cs)
    form = TickForm()
    form.present.choices = [(seat.id, seat.employee.name) for seat in roster]
    form.shown.choices = [(seat.id, seat.id) for seat in roster]
    allowed = attendance.may_tick(cs, clock.now())
    if form.validate_on_submit() and allowed:
        result = attendance.apply_ticks(db.session, cs, set(form.present.data or []),
                                        set(form.shown.data or []))
        audit("class_attendance_ticked", f"session:{cs.id}",
              marked=[s.employee.nip for s in result.marked],
              unmarked=[s.employee.nip for s in result.unmarked])
        db.session.commit()
        flash(_("Attendance saved: %(marked)d ticked, %(unmarked)d taken back.",
                marked=len(result.marked), unmarked=len(result.unmarked)), "success")
        for seat in result.kept:
            flash(_("%(name)s has completed the course: the attendance stays.",
                    name=seat.employee.name), "info")
        return redirect(url_for(".show", session_id=cs.id))
    if form.is_submitted() and not allowed:
        abort(400)
    return render_template("classroom/ticks.html", cs=cs, roster=roster, form=form,
                           allowed=allowed)


@bp.route("/kelas/<id:session_id>/kode")
def projector(session_id):
    """The code, big. ?otomatis=1 (the session page's link) reloads it by itself when it
    changes; the page offers to stop that, which is what WCAG 2.2.1 asks of a timed
    refresh."""
    cs = _run(session_id)
    auto = request.args.get("otomatis") == "1"
    now = clock.now()
    is_open = codes.is_open(cs, now)
    code = codes.current(current_app.config["SECRET_KEY"], cs.id, now) if is_open else None
    changes = codes.changes_at(now)
    # Reload when the code changes (and every minute before the session opens).
    refresh = int((changes - now).total_seconds()) + 1 if is_open else 60
    present = sum(1 for seat in seats.roster(db.session, cs) if seat.attended_at)
    return render_template("classroom/projector.html", cs=cs, code=code, is_open=is_open,
                           auto=auto,
                           changes=changes, refresh=refresh, opens=codes.opens_at(cs),
                           present=present, now=now, address=external_url("classroom.check_in"),
                           before_minutes=int(codes.OPENS_BEFORE.total_seconds() // 60))


@bp.route("/hadir", methods=["GET", "POST"])
def check_in():
    form = CodeForm()
    if form.validate_on_submit():
        result = attendance.check_in(db.session, current_app.config["SECRET_KEY"],
                                     signed_in(), form.code.data)
        if result.outcome == attendance.RECORDED:
            audit("class_checked_in", f"session:{result.cs.id}")
        db.session.commit()
        if result.outcome in (attendance.RECORDED, attendance.ALREADY):
            flash(_("Your attendance is recorded. Welcome!") if result.outcome ==
                  attendance.RECORDED else _("Your attendance was already recorded."),
                  "success")
            return redirect(url_for(".show", session_id=result.cs.id))
        form.code.errors.append(_message(result))
    return render_template("classroom/check_in.html", form=form)


def _message(result) -> str:
    if result.outcome == attendance.WRONG:
        return ngettext("That code is not right. Look at the screen again: %(num)d try "
                        "left.", "That code is not right. Look at the screen again: "
                        "%(num)d tries left.", result.tries_left)
    if result.outcome == attendance.THROTTLED:
        return _("Too many wrong codes. Wait %(minutes)d minutes, or ask the facilitator "
                 "to tick your name.", minutes=int(attendance.MISS_WINDOW.total_seconds() // 60))
    if result.outcome == attendance.FULL:
        return _("The session is full: ask the facilitator.")
    return _("No session you may attend is open now. Check-in opens %(minutes)d minutes "
             "before the start and closes at the end.",
             minutes=int(codes.OPENS_BEFORE.total_seconds() // 60))
