"""Pre-test pages: the learner's offer, questions and result, and test-out; learning
gain for the course's trainers and for HR. Thin: read, call the domain, commit once."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import or_404, require_button
from lms.hr import queries
from lms.learning import quiz
from lms.learning.catalogue import published_course
from lms.org import tree
from lms.pretest import bp, gains, taking
from lms.studio import course_for_editing
from lms.studio.analysis.figures import MIN_GROUP


def _course(slug):
    return or_404(published_course(db.session, slug))


def _state(course):
    return or_404(taking.state(db.session, current_user.id, course))


@bp.route("/pre-test/<slug>")
def offer(slug):
    course = _course(slug)
    state = _state(course)
    attempt = state.attempt
    if attempt is not None and not attempt.skipped:
        target = ".answer" if attempt.submitted_at is None else ".result"
        return redirect(url_for(target, slug=slug))
    if not state.offered:
        return redirect(url_for("learning.course", slug=slug))
    first = (course.current_modules or [None])[0]
    return render_template("pretest/offer.html", course=course, state=state, first=first,
                           form=EmptyForm())


@bp.route("/pre-test/<slug>/mulai", methods=["POST"])
def start(slug):
    course = _course(slug)
    require_button()
    try:
        taking.start(db.session, current_user.id, course)
    except taking.NotOffered:
        db.session.rollback()
        return redirect(url_for("learning.course", slug=slug))
    db.session.commit()
    return redirect(url_for(".answer", slug=slug))


@bp.route("/pre-test/<slug>/lewati", methods=["POST"])
def skip(slug):
    course = _course(slug)
    require_button()
    try:
        taking.skip(db.session, current_user.id, course)
    except taking.NotOffered:
        db.session.rollback()
        return redirect(url_for("learning.course", slug=slug))
    db.session.commit()
    first = (course.current_modules or [None])[0]
    if first is None:
        return redirect(url_for("learning.course", slug=slug))
    return redirect(url_for("learning.module", slug=slug, key=first.key))


def _own(course):
    attempt = taking.sitting(db.session, current_user.id, course.id)
    if attempt is None or attempt.skipped:
        abort(404)
    return attempt


@bp.route("/pre-test/<slug>/soal", methods=["GET", "POST"])
def answer(slug):
    course = _course(slug)
    attempt = _own(course)
    if attempt.submitted_at is not None:
        return redirect(url_for(".result", slug=slug))
    form = EmptyForm()
    chosen, missing = {}, []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        answers = {k: v for k, v in request.form.lists() if k != "csrf_token"}
        try:
            responses = quiz.read_answers(db.session, attempt, answers)
            taking.grade(db.session, attempt, responses)
        except quiz.TamperedInput:
            abort(400)
        except taking.AlreadyGraded:
            db.session.rollback()
            return redirect(url_for(".result", slug=slug))
        except quiz.QuizChanged:
            taking.restart(db.session, attempt)
            db.session.commit()
            flash(_("The trainer has just updated these questions. Please answer them "
                    "again."), "info")
            return redirect(url_for(".answer", slug=slug))
        except quiz.Incomplete as exc:
            chosen, missing = answers, exc.unanswered
        else:
            db.session.commit()
            return redirect(url_for(".result", slug=slug))
    return render_template("pretest/answer.html", course=course, attempt=attempt,
                           questions=quiz.present(db.session, attempt), chosen=chosen,
                           missing=missing, form=form)


@bp.route("/pre-test/<slug>/hasil")
def result(slug):
    course = _course(slug)
    attempt = _own(course)
    if attempt.submitted_at is None:
        return redirect(url_for(".answer", slug=slug))
    state = _state(course)
    marked = taking.marked(db.session, attempt)
    first = (course.current_modules or [None])[0]
    return render_template("pretest/result.html", course=course, attempt=attempt,
                           state=state, marked=marked, right=sum(m.correct for m in marked),
                           first=first, form=EmptyForm())


@bp.route("/pre-test/<slug>/tes-keluar", methods=["POST"])
def test_out(slug):
    course = _course(slug)
    require_button()
    try:
        final = taking.test_out(db.session, current_user.id, course)
    except taking.TestOutRefused:
        db.session.rollback()
        abort(409)
    db.session.commit()
    flash(_("The modules before the final quiz are marked as done. Pass the final quiz to "
            "complete the course."), "success")
    return redirect(url_for("learning.module", slug=slug, key=final.key))


@bp.route("/studio/<slug>/capaian")
def trainers(slug):
    course = course_for_editing(slug)
    return render_template("pretest/gains_studio.html", course=course,
                           gains=gains.for_trainers(db.session, course),
                           has_pretest=taking.setting(db.session, course),
                           min_group=MIN_GROUP)


@bp.route("/laporan/kursus/<slug>/capaian")
def hr(slug):
    course = _course(slug)
    code = request.args.get("opd", "")
    if len(code) > 32:  # no OPD code is longer (models/org.py)
        abort(404)
    node = tree.by_code(db.session, code) if code else None
    if code and (node is None or not g.scope.contains(node)):
        abort(404)
    if node is None and len(g.scope.roots) == 1:
        node = g.scope.roots[0]
    units = queries.children(db.session, node) if node is not None else g.scope.roots
    trail = [a for a in queries.ancestors(db.session, node) if g.scope.contains(a)] \
        if node is not None else []
    return render_template("pretest/gains_hr.html", course=course, node=node, trail=trail,
                           gains=gains.for_hr(db.session, course, g.scope, node, units),
                           has_pretest=taking.setting(db.session, course),
                           min_group=MIN_GROUP)
