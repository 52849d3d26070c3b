import io
from datetime import timedelta

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lms.certificates import issue
from lms.content.audio import AUDIO_TYPES
from lms.content.images import IMAGE_TYPES, safe_name
from lms.core import clock, numbers
from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import or_404, require_button, signed_in
from lms.evaluation import flow
from lms.learning import (
    bp,
    course_outline,
    dashboard_top,
    history,
    module_body,
    progress,
    quiz,
    quiz_page,
    state,
)
from lms.learning.cards import cards as course_cards
from lms.learning.catalogue import (
    module_of,
    neighbours,
    published_course,
    servable_asset,
)
from lms.models import Module, QuizAttempt
from lms.org import heads
from lms.pretest import taking as pretest

IMAGE_MIMES = frozenset(IMAGE_TYPES.values())
AUDIO_MIMES = frozenset(AUDIO_TYPES.values())
# Content-addressed: the URL changes when the file does.
FOREVER = "private, max-age=31536000, immutable"
SANDBOX = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
NEW_DAYS = 14  # a mandatory course is marked new on the dashboard this long


@bp.route("/")
def dashboard():
    today = clock.today()
    pages = state.read(db.session, current_user.id, today=today, jp_year=today.year,
                       reached=True)
    rows = pages.rows
    mandatory = sorted((r for r in rows if r.due_date and r.status != progress.COMPLETED),
                       key=lambda r: (r.due_date, r.course.title))
    shown = {r.course.id for r in mandatory}
    started = sorted((r for r in rows if r.enrollment and r.course.id not in shown),
                     key=lambda r: (r.status == progress.COMPLETED,
                                    -r.enrollment.started_at.timestamp()))
    others = [r for r in rows if r.enrollment is None and r.course.id not in shown]
    standing = history.JpStanding(today.year, pages.jp_total,
                                  current_app.config["JP_TARGET_PER_YEAR"])
    new = _new_for_me([r for r in mandatory if r.enrollment is None], pages.reached)
    overdue = sum(r.status == progress.OVERDUE for r in mandatory)
    cards = {name: _cards("learning/_course_card.html", group, new=new,
                          certificates=pages.certificates)
             for name, group in (("mandatory", mandatory), ("mine", started),
                                 ("others", others))}
    next_due = mandatory[0] if mandatory else None
    top = dashboard_top.top(
        next_due, progress.deadline_words(next_due.due_date, today) if next_due else None,
        overdue, not any(r.enrollment for r in rows), len(new), standing, str(get_locale()),
        request.script_root)
    return render_template("learning/dashboard.html", top=top, mandatory=mandatory,
                           mine=started, others=others, cards=cards)


def _cards(template: str, rows, **inputs):
    """Course cards, stored per worker under everything they show (learning.cards)."""
    return course_cards(template, rows, str(get_locale()), request.script_root,
                        generate_csrf(), **inputs)


def _new_for_me(not_started, reached) -> set[int]:
    """Mandatory courses not started that reached this learner in the last NEW_DAYS
    (a new assignment, or a new employee: everything is new to them)."""
    since = clock.now() - timedelta(days=NEW_DAYS)
    joined = current_user.created_at
    return {r.course.id for r in not_started
            if max(reached.get(r.course.id, since), joined) >= since}


@bp.route("/katalog")
def catalogue():
    pages = state.read(db.session, current_user.id, today=clock.today())
    return render_template("learning/catalogue.html",
                           cards=_cards("learning/_catalogue_card.html", pages.rows))


@bp.route("/kursus/<slug>")
def course(slug):
    pages = state.read(db.session, current_user.id, today=clock.today(), slug=slug)
    [row] = or_404(pages.rows or None)
    done = {mid for mid, s in pages.modules.items() if s.completed_at is not None}
    course = row.course
    # Each asks the database only where it can apply: a pre-test the course has, the
    # questions after a completion.
    completed = row.enrollment is not None and row.enrollment.completed_at is not None
    return render_template(
        "learning/course.html", course=course, row=row,
        outline=course_outline.outline(course, done, str(get_locale()), request.script_root),
        evaluation_step=flow.after_completion(db.session, current_user.id, course)
        if completed else None,
        pretest=pretest.state(db.session, current_user.id, course)
        if course.id in pages.pretests else None,
        certificates=pages.certificates,
        head_done=heads.TITLES.get(pages.head_done_kind) if pages.head_done_kind else None)


@bp.route("/kursus/<slug>/mulai", methods=["POST"])
def start_course(slug):
    course = or_404(published_course(db.session, slug))
    require_button()
    progress.enroll(db.session, current_user.id, course)
    [row] = progress.learner_courses(db.session, current_user.id, [course])
    offered = getattr(pretest.state(db.session, current_user.id, course), "offered", False)
    db.session.commit()
    if flow.before_start(db.session, current_user.id, course):  # the confidence question
        return redirect(url_for("evaluation.confidence_question", slug=slug))
    if offered:  # before module 1: the pre-test's offer (take it or skip it)
        return redirect(url_for("pretest.offer", slug=slug))
    target = row.next_module or (course.current_modules or [None])[0]
    if target is None:
        return redirect(url_for(".course", slug=slug))
    return redirect(url_for(".module", slug=slug, key=target.key))


@bp.route("/kursus/<slug>/<key>")
def module(slug, key):
    pages = state.read(db.session, current_user.id, today=clock.today(), slug=slug,
                       module_key=key)
    [row] = or_404(pages.rows or None)
    course = row.course
    module = or_404(module_of(course, key))
    left = (max(0, module.max_attempts - pages.submitted)
            if module.has_quiz and module.max_attempts else None)
    body = module_body.body(course, module, pages.modules.get(module.id), left,
                            pages.open_attempt_id if module.has_quiz else None,
                            str(get_locale()), request.script_root, generate_csrf())
    return render_template("learning/module.html", module=module, body=body)


@bp.route("/kursus/<slug>/<key>/selesai", methods=["POST"])
def mark_done(slug, key):
    course = or_404(published_course(db.session, slug))
    module = or_404(module_of(course, key))
    require_button()
    if module.has_quiz:
        abort(400)
    progress.complete_module(db.session, current_user.id, module)
    db.session.commit()
    flash(_("Module marked as done."), "success")
    following = neighbours(course, module)[1]
    if following:
        return redirect(url_for(".module", slug=slug, key=following.key))
    return redirect(url_for("evaluation.after", slug=slug))  # questions, else the course


@bp.route("/kursus/<slug>/<key>/kuis", methods=["POST"])
def start_quiz(slug, key):
    course = or_404(published_course(db.session, slug))
    module = or_404(module_of(course, key))
    require_button()
    if not module.has_quiz:
        abort(400)
    try:
        attempt = quiz.start(db.session, current_user.id, module)
    except quiz.NoAttemptsLeft:
        flash(_("You have used all attempts for this quiz."), "error")
        return redirect(url_for(".module", slug=slug, key=key))
    db.session.commit()
    return redirect(url_for(".attempt", attempt_id=attempt.id))


def _own_attempt(attempt_id: int) -> QuizAttempt:
    """The signed-in learner's attempt, with its module and course (one query)."""
    attempt = db.session.scalars(
        select(QuizAttempt).where(QuizAttempt.id == attempt_id)
        .options(joinedload(QuizAttempt.module).joinedload(Module.course))).first()
    if attempt is None or attempt.employee_id != current_user.id:
        abort(404)
    return attempt


@bp.route("/kuis/<id:attempt_id>", methods=["GET", "POST"])
def attempt(attempt_id):
    if request.method == "GET":
        page = or_404(quiz_page.read(db.session, attempt_id, current_user.id))
        if page.submitted:
            return redirect(url_for(".result", attempt_id=attempt_id))
        return render_template("learning/quiz.html", course=page.course, module=page.module,
                               questions=page.questions, chosen={}, missing=[])
    attempt = _own_attempt(attempt_id)
    module = attempt.module
    if attempt.submitted_at is not None:
        return redirect(url_for(".result", attempt_id=attempt.id))
    form = EmptyForm()
    chosen, missing = {}, []
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        answers = {k: v for k, v in request.form.lists() if k != "csrf_token"}
        try:
            responses = quiz.read_answers(db.session, attempt, answers)
            quiz.grade(db.session, attempt, responses)
        except quiz.TamperedInput:
            abort(400)
        except quiz.AlreadyGraded:
            db.session.rollback()
            return redirect(url_for(".result", attempt_id=attempt_id))
        except quiz.QuizChanged:
            quiz.discard(db.session, attempt)
            db.session.commit()
            flash(_("The trainer has just updated this quiz. Please start it again."),
                  "info")
            return redirect(url_for(".module", slug=module.course.slug, key=module.key))
        except quiz.Incomplete as exc:
            chosen, missing = answers, exc.unanswered
        else:
            db.session.commit()
            return redirect(url_for(".result", attempt_id=attempt.id))
    return render_template("learning/quiz.html", module=module, course=module.course,
                           questions=quiz.present(db.session, attempt), chosen=chosen,
                           missing=missing)


@bp.route("/kuis/<id:attempt_id>/hasil")
def result(attempt_id):
    attempt = _own_attempt(attempt_id)
    if attempt.submitted_at is None:
        return redirect(url_for(".attempt", attempt_id=attempt.id))
    module = attempt.module
    course = module.course
    following = neighbours(course, module)[1] if module.retired_at is None else None
    left = quiz.attempts_left(db.session, current_user.id, module)
    reviewed = quiz.review(db.session, attempt)
    return render_template("learning/result.html", attempt=attempt, module=module,
                           course=course, following=following, attempts_left=left,
                           reviewed=reviewed, right=sum(r.correct for r in reviewed),
                           needed=numbers.needed_right(len(reviewed), module.pass_mark),
                           form=EmptyForm(), evaluation_step=flow.after_completion(
                               db.session, current_user.id, course),
                           certificates=issue.codes_by_course(db.session, current_user.id))


@bp.route("/kursus/<slug>/ringkas")
def job_aid(slug):
    """The course's one-page job aid, to read and to print (static/css: @media print)."""
    course = or_404(published_course(db.session, slug))
    if not course.job_aid_title:
        abort(404)
    return render_template("learning/job_aid.html", course=course)


def _staff() -> bool:
    return current_user.has_role("trainer") or current_user.has_role("admin")


@bp.route("/aset/<sha>/<name>")
def asset(sha, name):
    """An image or audio file of a course the learner may open (else 404)."""
    found = or_404(servable_asset(db.session, sha, staff=_staff()))
    if found.mime in AUDIO_MIMES:
        return _audio(found, name)
    response = make_response(found.data)
    # Only an image type is ever served; anything else (never stored by sync, but the
    # table is not the place to trust) is a download, never a page.
    try:
        filename = safe_name(name)
    except ValueError:
        filename = "gambar"
    if found.mime in IMAGE_MIMES:
        response.mimetype = found.mime
        disposition = "inline"
    else:
        response.mimetype = "application/octet-stream"
        disposition = "attachment"
    # safe_name leaves only [a-z0-9-.]: nothing can break out of the quotes.
    response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"  # core/web.py sets it too
    response.headers["Cache-Control"] = FOREVER
    # An SVG opened on its own must not run script in our origin.
    response.headers["Content-Security-Policy"] = SANDBOX
    return response


def _audio(found, name: str):
    """Audio with HTTP Range requests (206 Partial Content), so a player can seek and a
    phone fetch only what it plays."""
    try:
        filename = safe_name(name, AUDIO_TYPES)
    except ValueError:
        filename = "rekaman"
    response = send_file(io.BytesIO(found.data), mimetype=found.mime, conditional=True,
                         etag=found.sha256, download_name=filename, max_age=None)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = FOREVER
    response.headers["Content-Security-Policy"] = SANDBOX
    return response


@bp.route("/data-saya")
def my_data():
    """What Melek holds about the signed-in person (UU 27/2022): their record and their
    training history, and nobody else's."""
    me = signed_in()
    return render_template("learning/my_data.html", me=me,
                           history=history.of(db.session, me.id))
