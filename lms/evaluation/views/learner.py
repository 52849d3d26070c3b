"""The learner's side: the confidence question (before module 1, after completion) and
the questionnaire after completion."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import or_404, require_button, signed_in
from lms.evaluation import answers, bp, confidence, flow
from lms.learning.catalogue import published_course
from lms.learning.progress import learner_courses
from lms.pretest import taking as pretest


def _course(slug):
    return or_404(published_course(db.session, slug))


def _next_module_url(course):
    """After the question before module 1: the pre-test's offer when the course has one
    not yet taken or skipped, else the module to open."""
    offer = pretest.state(db.session, signed_in().id, course)
    if offer is not None and offer.offered:
        return url_for("pretest.offer", slug=course.slug)
    [row] = learner_courses(db.session, signed_in().id, [course])
    target = row.next_module or (course.current_modules or [None])[0]
    if target is None:
        return url_for("learning.course", slug=course.slug)
    return url_for("learning.module", slug=course.slug, key=target.key)


@bp.route("/evaluasi/<slug>/lanjut")
def after(slug):
    """Where a learner goes once a course is complete: each question not asked yet, then
    the course page (with its certificate)."""
    course = _course(slug)
    step = flow.after_completion(db.session, signed_in().id, course)
    if step == flow.CONFIDENCE:
        return redirect(url_for(".confidence_question", slug=slug))
    if step == flow.QUESTIONNAIRE:
        return redirect(url_for(".questionnaire", slug=slug))
    return redirect(url_for("learning.course", slug=slug))


@bp.route("/evaluasi/<slug>/keyakinan", methods=["GET", "POST"])
def confidence_question(slug):
    course = _course(slug)
    me = signed_in()
    stage = confidence.due(db.session, me.id, course)
    if stage is None:
        return redirect(url_for(".after", slug=slug))
    form, missing = EmptyForm(), False
    if request.method == "POST":
        require_button()
        value = None
        if "lewati" not in request.form:
            raw = request.form.get("nilai", "")
            if raw and raw not in {str(v) for v in confidence.SCALE_LABELS}:
                abort(400)
            value = int(raw) if raw else None
            missing = value is None
        if not missing:
            confidence.record(db.session, me, course, stage, value)
            db.session.commit()
            if stage == confidence.BEFORE:
                return redirect(_next_module_url(course))
            return redirect(url_for(".after", slug=slug))
    return render_template("evaluation/confidence.html", course=course, stage=stage,
                           before=stage == confidence.BEFORE, form=form, missing=missing,
                           labels=confidence.SCALE_LABELS), 400 if missing else 200


@bp.route("/evaluasi/<slug>", methods=["GET", "POST"])
def questionnaire(slug):
    course = _course(slug)
    me = signed_in()
    form_row = answers.open_for(db.session, me.id, course)
    if form_row is None:
        if answers.done(db.session, me.id, course.id) is not None:
            flash(_("You have already answered the evaluation of this course. Thank you."),
                  "info")
        return redirect(url_for("learning.course", slug=slug))
    required = answers.required_for(db.session, me.id, course.id)
    if request.method == "POST":
        require_button()
        try:
            if "lewati" in request.form:
                answers.skip(db.session, me.id, course)
                message = _("Evaluation skipped.")
            else:
                scores, comment = answers.read(form_row, request.form)
                answers.submit(db.session, me.id, course, form_row, scores, comment)
                message = _("Thank you: your answers are recorded without your name.")
        except (answers.BadAnswer, answers.NotSkippable):
            abort(400)
        except answers.AlreadyDone:
            db.session.rollback()
            return redirect(url_for("learning.course", slug=slug))
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("learning.course", slug=slug))
    return render_template("evaluation/questionnaire.html", course=course, q=form_row,
                           form=EmptyForm(), required=required,
                           scale=answers.SCALE_LABELS)
