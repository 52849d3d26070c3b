"""The sessions' lists, a session's page, signing up, scheduling and adding people."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from lms.classroom import access, bp, codes, schedule, seats
from lms.classroom.forms import NipForm, ScheduleForm
from lms.core import clock, mail
from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import audit, or_404, require_button, signed_in
from lms.learning.catalogue import published_course
from lms.org import tree
from lms.org.scope import hr_scope

PROBLEMS = {"end_before_start": _l("The end time is before the start time."),
            "in_the_past": _l("The start has already passed: choose a later date or time."),
            "capacity_below_taken": _l("There are more people signed up than that: the "
                                       "seats cannot be fewer than %(n)d.")}
TAKE_MESSAGES = {
    seats.TAKEN: ("success", _l("Signed up. See you there.")),
    seats.ALREADY: ("info", _l("Already signed up: your seat is kept.")),
    seats.FULL: ("error", _l("The session is full.")),
    seats.CLOSED: ("error", _l("This session is cancelled or over.")),
    seats.OUTSIDE: ("error", _l("This session is for another unit.")),
    seats.UNKNOWN: ("error", _l("No active employee with this NIP in what you may see.")),
}
# The same outcomes said to the facilitator or HR who added someone else.
ADD_MESSAGES = {**TAKE_MESSAGES,
                seats.TAKEN: ("success", _l("Added to the session.")),
                seats.ALREADY: ("info", _l("Already signed up for this session."))}


def session_or_404(session_id: int):
    return or_404(schedule.find(db.session, session_id))


def visible_or_404(session_id: int):
    """The session, when the signed-in person may see it (else it does not exist)."""
    cs = session_or_404(session_id)
    person = signed_in()
    has_seat = seats.seat_of(db.session, cs.id, person.id) is not None
    if not access.may_see(db.session, person, cs, hr_scope(db.session, person), has_seat):
        abort(404)
    return cs


def _counts(sessions):
    return seats.taken_by_session(db.session, [cs.id for cs in sessions])


def _not_mine(sessions, mine):
    taken = {cs.id for cs, _seat in mine}
    return [cs for cs in sessions if cs.id not in taken]


@bp.route("/kelas")
def index():
    person = signed_in()
    scope = hr_scope(db.session, person)
    mine = schedule.seats_of(db.session, person)
    upcoming = _not_mine(schedule.upcoming_for(db.session, person), mine)
    managed = (schedule.managed_by(db.session, person, scope.condition() if scope else None)
               if access.may_schedule_any(person) or scope else [])
    managed = [cs for cs in managed if access.may_run(db.session, person, cs)
               or access.overlaps(scope, cs)]
    every = upcoming + [cs for cs, _seat in mine] + managed
    return render_template("classroom/index.html", upcoming=upcoming, mine=mine,
                           managed=managed, taken=_counts(every), course=None,
                           may_schedule=access.may_schedule_any(person))


@bp.route("/kelas/kursus/<slug>")
def for_course(slug):
    course = or_404(published_course(db.session, slug))
    person = signed_in()
    mine = [(cs, seat) for cs, seat in schedule.seats_of(db.session, person)
            if cs.course_id == course.id]
    upcoming = _not_mine(schedule.upcoming_for(db.session, person, course), mine)
    return render_template("classroom/index.html", upcoming=upcoming, mine=mine,
                           managed=[], taken=_counts(upcoming + [cs for cs, _s in mine]),
                           course=course, may_schedule=bool(
                               access.audiences(db.session, person, course)))


@bp.route("/kelas/<id:session_id>")
def show(session_id):
    cs = session_or_404(session_id)
    person = signed_in()
    scope = hr_scope(db.session, person)
    seat = seats.seat_of(db.session, cs.id, person.id)
    if not access.may_see(db.session, person, cs, scope, seat is not None):
        abort(404)
    runs = access.may_run(db.session, person, cs)
    fills = runs or access.overlaps(scope, cs)
    roster = seats.roster(db.session, cs, None if runs else scope) if fills else []
    now = clock.now()
    # A cancellation or a move is emailed (nudges.class_notices): its runners learn whom
    # the email cannot reach, to tell them themselves.
    told = runs and (cs.cancelled_at or cs.moves) and now < cs.starts_at and mail.enabled()
    unreachable = [s.employee for s in roster if not s.employee.email] if told else []
    return render_template(
        "classroom/session.html", cs=cs, seat=seat, runs=runs, fills=fills, roster=roster,
        unreachable=unreachable,
        taken=seats.taken(db.session, cs.id), is_open=codes.is_open(cs, now),
        edits=access.may_edit(db.session, person, cs), editable=schedule.editable(cs, now),
        cancellable=schedule.cancellable(cs, now), can_give_back=now < cs.starts_at,
        may_sign_up=access.in_audience(cs, person.opd.path), modules=schedule.credited_modules(cs),
        nip_form=NipForm(), form=EmptyForm(), now=now)


@bp.route("/kelas/<id:session_id>/daftar", methods=["POST"])
def sign_up(session_id):
    cs = visible_or_404(session_id)
    require_button()
    outcome = seats.take(db.session, cs, signed_in())
    db.session.commit()
    flash(*reversed(TAKE_MESSAGES[outcome]))
    return redirect(url_for(".show", session_id=cs.id))


@bp.route("/kelas/<id:session_id>/batal-daftar", methods=["POST"])
def give_back(session_id):
    cs = visible_or_404(session_id)
    require_button()
    if seats.give_back(db.session, cs, current_user.id):
        flash(_("Your seat is given back."), "success")
    else:
        flash(_("Nothing to give back: the session has started or you attended it."), "info")
    db.session.commit()
    return redirect(url_for(".show", session_id=cs.id))


@bp.route("/kelas/<id:session_id>/tambah", methods=["POST"])
def add(session_id):
    cs = visible_or_404(session_id)
    person = signed_in()
    scope = hr_scope(db.session, person)
    runs = access.may_run(db.session, person, cs)
    if not (runs or access.overlaps(scope, cs)):
        abort(403)
    form = NipForm()
    if not form.validate_on_submit():
        abort(400)
    outcome, employee = seats.add_by_nip(db.session, cs, form.nip.data, person, scope, runs)
    if outcome == seats.TAKEN:
        audit("class_seat_added", f"session:{cs.id}", nip=employee.nip)
    db.session.commit()
    category, message = ADD_MESSAGES[outcome]
    name = f"{employee.name}: " if employee is not None else ""
    flash(name + str(message), category)
    return redirect(url_for(".show", session_id=cs.id))


@bp.route("/kelas/baru")
def choose_course():
    person = signed_in()
    if not access.may_schedule_any(person):
        abort(403)
    return render_template("classroom/choose.html",
                           courses=access.schedulable_courses(db.session, person))


def _form(person, course):
    form = ScheduleForm()
    form.modules.choices = [(m.id, m.title) for m in schedule.creditable(course)]
    options = access.audiences(db.session, person, course)
    top = min((a.opd.depth for a in options if a.opd), default=0)
    form.audience.choices = [(a.key, tree.option_label(a.opd, top) if a.opd
                              else _("The whole city")) for a in options]
    return form, {a.key: a for a in options}


def _plan(form, audience, facilitator):
    return schedule.Plan(day=form.day.data, starts=form.starts.data, ends=form.ends.data,
                         place=form.place.data, capacity=form.capacity.data,
                         facilitator=facilitator, module_ids=form.modules.data or [],
                         audience=audience.opd, right=audience.right)


def _checked(form, options, cs, taken):
    """The plan, or None with the form's errors set."""
    if not form.validate_on_submit():
        return None
    facilitator = access.employee_by_nip(db.session, form.facilitator.data)
    if facilitator is None:
        form.facilitator.errors.append(_("No active employee with this NIP."))
        return None
    plan = _plan(form, options[form.audience.data], facilitator)
    found = schedule.problems(plan, cs, taken)
    for code in found:
        target = {"end_before_start": form.ends, "in_the_past": form.day}.get(code, form.capacity)
        target.errors.append(str(PROBLEMS[code]) % {"n": taken})
    return None if found else plan


@bp.route("/kelas/baru/<slug>", methods=["GET", "POST"])
def new(slug):
    course = or_404(published_course(db.session, slug))
    person = signed_in()
    form, options = _form(person, course)
    if not options:
        abort(403)
    if not form.is_submitted():
        form.facilitator.data = person.nip
        form.capacity.data = 20
        form.modules.data = [m for m, _label in form.modules.choices]
    plan = _checked(form, options, None, 0)
    if plan is not None:
        cs = schedule.create(db.session, course, plan, person)
        audit("class_scheduled", f"session:{cs.id}", course=course.slug,
              starts=clock.jakarta(cs.starts_at).isoformat(), audience=plan.audience.code
              if plan.audience else "city", facilitator=plan.facilitator.nip)
        db.session.commit()
        flash(_("Session scheduled."), "success")
        return redirect(url_for(".show", session_id=cs.id))
    return render_template("classroom/schedule.html", form=form, course=course, cs=None)


@bp.route("/kelas/<id:session_id>/ubah", methods=["GET", "POST"])
def edit(session_id):
    cs = visible_or_404(session_id)
    person = signed_in()
    if not access.may_edit(db.session, person, cs):
        abort(403)
    if not schedule.editable(cs):
        flash(_("A session that has started or was cancelled cannot be changed."), "info")
        return redirect(url_for(".show", session_id=cs.id))
    form, options = _form(person, cs.course)
    if not form.is_submitted():
        start, end = clock.jakarta(cs.starts_at), clock.jakarta(cs.ends_at)
        form.day.data, form.starts.data, form.ends.data = start.date(), start.time(), end.time()
        form.place.data, form.capacity.data = cs.place, cs.capacity
        form.facilitator.data = cs.facilitator.nip
        form.modules.data = [m.id for m in cs.modules]
        form.audience.data = cs.audience.code if cs.audience else ""
    taken = seats.taken(db.session, cs.id)
    plan = _checked(form, options, cs, taken)
    if plan is not None:
        moved = schedule.edit(db.session, cs, plan)
        audit("class_changed", f"session:{cs.id}", starts=clock.jakarta(cs.starts_at)
              .isoformat(), place=cs.place, capacity=cs.capacity,
              facilitator=plan.facilitator.nip)
        db.session.commit()
        flash(_("Session saved. The people signed up are told the new date, time or place "
                "by email.") if moved and taken and mail.enabled() else _("Session saved."),
              "success")
        return redirect(url_for(".show", session_id=cs.id))
    return render_template("classroom/schedule.html", form=form, course=cs.course, cs=cs)


@bp.route("/kelas/<id:session_id>/batalkan", methods=["POST"])
def cancel(session_id):
    cs = visible_or_404(session_id)
    if not access.may_edit(db.session, signed_in(), cs):
        abort(403)
    require_button()
    if schedule.cancellable(cs):
        schedule.cancel(db.session, cs)
        audit("class_cancelled", f"session:{cs.id}", course=cs.course.slug,
              signed_up=seats.taken(db.session, cs.id))
        flash(_("Session cancelled. The people signed up see it on their page, and those "
                "with an email address are told by email.") if mail.enabled()
              and clock.now() < cs.starts_at else
              _("Session cancelled. The people signed up see it on their page."), "success")
    db.session.commit()
    return redirect(url_for(".show", session_id=cs.id))
