"""Editing a course's draft: settings, modules, questions, any file as Markdown, images.

Every save goes to the draft only; learners keep seeing the published revision until
an owner publishes. A save names the file version it started from, so two owners
editing the same file never overwrite each other silently.
"""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.content import unfinished
from lms.content.audio import AUDIO_TYPES, is_audio
from lms.content.images import IMAGE_TYPES, safe_name
from lms.content.parse import COURSE_FILE, JOB_AID_FILE
from lms.content.tree import check_file
from lms.core.extensions import db
from lms.core.web import allows_upload, signed_in
from lms.studio import bp, course_for_editing, drafts, module_text
from lms.studio.forms import (
    OPTION_ROWS,
    QUESTION_TYPE_LABELS,
    CourseForm,
    FileTextForm,
    ModuleForm,
    NewModuleForm,
    QuestionForm,
    UploadForm,
)
from lms.studio.paths import (
    is_module,
    new_module_path,
    question_keys,
    reading_minutes,
    reordered,
)
from lms.studio.views.working import Working, checked, locate, working_copy

STEPS = {"naik": -1, "turun": 1}  # the words in the URL: up, down
UPLOAD_LIMIT = 6 * 1024 * 1024  # a 5 MB audio file and the form around it
SPARE_ROWS = 4


def _me():
    return signed_in()


def _save(course, work: Working, path: str, text: str | bytes | None, version: str | None):
    """Write one file of the draft; False (with a message) when it changed meanwhile."""
    draft = drafts.open_draft(db.session, course, _me())
    data = text.encode() if isinstance(text, str) else text
    try:
        drafts.write(db.session, draft, path, data, _me(), expected=version)
    except drafts.StaleEdit:
        db.session.rollback()
        flash(_("Someone else saved this file after you opened it. Your text is still "
                "in the form below: copy what you need, reload the page, and apply it "
                "again."), "error")
        return False
    db.session.commit()
    return True


def _saved() -> None:
    # The page the trainer lands on lists the file's problems; no need to check twice.
    flash(_("Saved in the draft. Learners see it after you publish."), "success")


class RawOnly(Exception):
    """The file holds something its form cannot show: only the raw editor may save it."""


def _module_file(slug: str, path: str):
    """The course, its working folder and one module file read for the forms."""
    course = course_for_editing(slug)
    work = working_copy(course)
    if not is_module(path) or path not in work.tree:
        abort(404)
    text = module_text.read(path, work.text(path))
    if not text.form_safe:
        raise RawOnly(path)
    return course, work, text


@bp.errorhandler(RawOnly)
def raw_only(exc: RawOnly):
    """Saving a form over a file it cannot fully show would drop content; send the
    trainer to the file as text, where every problem is listed by line."""
    flash(_("This file cannot be edited with the form (its settings cannot be read, or a "
            "question has more than %(n)d options). Edit it as text; the problems are "
            "listed below.", n=module_text.MAX_FORM_OPTIONS), "error")
    slug = request.view_args["slug"]
    return redirect(url_for("studio.edit_file", slug=slug, path=exc.args[0]))


@bp.route("/<slug>/modul/<path>", methods=["GET", "POST"])
def module(slug, path):
    course, work, text = _module_file(slug, path)
    form = ModuleForm()
    if form.validate_on_submit():
        text.meta["title"] = form.title.data.strip()
        text.meta["minutes"] = form.minutes.data
        quiz = {"pass_mark": form.pass_mark.data or 70}
        if form.attempts.data:
            quiz["attempts"] = form.attempts.data
        if form.shuffle.data:
            quiz["shuffle"] = True
        if form.draw.data:
            quiz["draw"] = form.draw.data
        text.meta["quiz"] = quiz
        text.body = form.body.data.replace("\r\n", "\n")
        if _save(course, work, path, module_text.compose(text), form.version.data):
            _saved()
            return redirect(url_for("studio.module", slug=slug, path=path))
    elif not form.is_submitted():
        quiz = text.meta.get("quiz") if isinstance(text.meta.get("quiz"), dict) else {}
        form.process(data={
            "version": drafts.file_version(work.tree[path]),
            "title": text.meta.get("title", ""), "minutes": text.meta.get("minutes", 0),
            "body": text.body, "pass_mark": quiz.get("pass_mark", 70),
            "attempts": quiz.get("attempts", 0), "shuffle": quiz.get("shuffle", False),
            "draw": quiz.get("draw")})
    return render_template("studio/module.html", course=course, path=path, form=form,
                           text=text, **checked(work, course.slug, path),
                           kind_labels=QUESTION_TYPE_LABELS, gaps={
                               q.key: [m for ms in module_text.gaps(q).values() for m in ms]
                               for q in text.questions},
                           preview_html=work.render(text.body))


@bp.route("/<slug>/modul-baru", methods=["POST"])
def new_module(slug):
    course = course_for_editing(slug)
    form = NewModuleForm()
    if not form.validate_on_submit():
        flash(_("Give the new module a title."), "error")
        return redirect(url_for("studio.course", slug=slug))
    work = working_copy(course)
    path = new_module_path(work.tree, form.title.data)
    text = module_text.ModuleText(meta={"title": form.title.data.strip(), "minutes": 5},
                                  body=unfinished.MODULE_BODY, questions=[],
                                  source=None)
    _save(course, work, path, module_text.compose(text), None)
    return redirect(url_for("studio.module", slug=slug, path=path))


@bp.route("/<slug>/modul/<path>/pindah/<direction>", methods=["POST"])
def move_module(slug, path, direction):
    """Up or down in the course: the files are renumbered, the module IDs stay."""
    course = course_for_editing(slug)
    work = working_copy(course)
    if not is_module(path) or path not in work.tree or direction not in STEPS:
        abort(404)
    renames = reordered(work.tree, path, STEPS[direction])
    if renames:
        draft = drafts.open_draft(db.session, course, _me())
        for old in renames:
            drafts.write(db.session, draft, old, None, _me())
        for old, new in renames.items():
            drafts.write(db.session, draft, new, work.tree[old], _me())
        db.session.commit()
    return redirect(url_for("studio.course", slug=slug) + "#files-heading")


@bp.route("/<slug>/berkas/<path:path>/hapus", methods=["POST"])
def delete_file(slug, path):
    course = course_for_editing(slug)
    work = working_copy(course)
    if path not in work.tree or path == COURSE_FILE:
        abort(404)
    if _save(course, work, path, None, None):
        flash(_("%(path)s removed from the draft. Learners' progress in a removed module "
                "is kept.", path=path), "success")
    return redirect(url_for("studio.course", slug=slug))


@bp.route("/<slug>/modul/<path>/soal/", defaults={"key": None}, methods=["GET", "POST"])
@bp.route("/<slug>/modul/<path>/soal/<key>", methods=["GET", "POST"])
def question(slug, path, key):
    course, work, text = _module_file(slug, path)
    index = next((i for i, q in enumerate(text.questions) if q.key == key), None)
    if key is not None and index is None:
        abort(404)
    form = QuestionForm()
    gaps, status = {}, 200
    if form.validate_on_submit():
        edited = _question_from(form, key or module_text.new_key(
            form.prompt.data or "", question_keys(work.tree)),
            text.questions[index] if index is not None else None)
        gaps = module_text.gaps(edited)
        if gaps:
            # Nothing is saved: the question stays on its form, each gap by its field.
            flash(_("The question is not saved yet: fix what is marked below."), "error")
            status = 400
        else:
            if index is None:
                text.questions.append(edited)
            else:
                text.questions[index] = edited
            if _save(course, work, path, module_text.compose(text), form.version.data):
                _saved()
                return redirect(url_for("studio.module", slug=slug, path=path)
                                + f"#soal-{edited.key}")
    elif not form.is_submitted():
        before = text.questions[index] if index is not None else None
        _fill_question_form(form, before, work.tree[path])
        gaps = module_text.gaps(before) if before else {}
    for name in ("prompt", "truefalse", "accepted", "explanation"):
        getattr(form, name).errors = [*getattr(form, name).errors, *gaps.get(name, [])]
    # The checker's own words only for what the form's words do not already say.
    problems = [p for p in locate(work, course.slug, path)
                if p.question == key and not p.warning] if key and not gaps else []
    return render_template("studio/question.html", course=course, path=path, form=form,
                           key=key, problems=problems, warnings=[], kind_labels=
                           QUESTION_TYPE_LABELS, option_errors=gaps.get("options", [])
                           ), status


def _question_from(form: QuestionForm, key: str, before) -> module_text.QuestionFields:
    kind = form.kind.data
    edited = module_text.QuestionFields(key=key, kind=kind,
                                        prompt=(form.prompt.data or "").strip(),
                                        explanation=(form.explanation.data or "").strip())
    if kind == "truefalse":
        # Keep the file's own words and order (Salah first, or True/False), so saving
        # unchanged changes nothing.
        texts = ([t for t, _ in before.options] if before and before.kind == "truefalse"
                 else list(module_text.TRUE_FALSE))
        edited.options = [(t, module_text.true_false_value(t) == form.truefalse.data)
                          for t in texts]
    elif kind == "text":
        edited.accepted = [a.strip() for a in (form.accepted.data or "").splitlines()
                           if a.strip()]
    else:
        edited.options = [(o.text.data.strip(), o.correct.data) for o in form.options
                          if o.text.data and o.text.data.strip()]
    return edited


def _fill_question_form(form: QuestionForm, q, file_data: bytes) -> None:
    options = [{"text": t, "correct": c} for t, c in (q.options if q else [])]
    options += [{}] * max(2, SPARE_ROWS - len(options))  # room to add options
    truefalse = next((module_text.true_false_value(t) for t, c in q.options if c),
                     None) if q else None
    form.process(data={
        "version": drafts.file_version(file_data), "kind": q.kind if q else "single",
        "prompt": q.prompt if q else "", "options": options[:OPTION_ROWS],
        "truefalse": truefalse if q and q.kind == "truefalse" else None,
        "accepted": "\n".join(q.accepted) if q else "",
        "explanation": q.explanation if q else ""})


@bp.route("/<slug>/modul/<path>/soal/<key>/pindah/<direction>", methods=["POST"])
def move_question(slug, path, key, direction):
    course, work, text = _module_file(slug, path)
    index = next((i for i, q in enumerate(text.questions) if q.key == key), None)
    if index is None or direction not in STEPS:
        abort(404)
    other = index + STEPS[direction]
    if 0 <= other < len(text.questions):
        text.questions[index], text.questions[other] = text.questions[other], text.questions[index]
        _save(course, work, path, module_text.compose(text),
              drafts.file_version(work.tree[path]))
    return redirect(url_for("studio.module", slug=slug, path=path) + f"#soal-{key}")


@bp.route("/<slug>/modul/<path>/soal/<key>/hapus", methods=["POST"])
def delete_question(slug, path, key):
    course, work, text = _module_file(slug, path)
    kept = [q for q in text.questions if q.key != key]
    if len(kept) == len(text.questions):
        abort(404)
    text.questions = kept
    if _save(course, work, path, module_text.compose(text),
             drafts.file_version(work.tree[path])):
        flash(_("Question removed from the draft. Its answers stay in the statistics."),
              "success")
    return redirect(url_for("studio.module", slug=slug, path=path))


@bp.route("/<slug>/berkas/<path>", methods=["GET", "POST"])
def edit_file(slug, path):
    """Any Markdown file as text: the same format as courses/ on disk. README.md and
    RINGKAS.md (the job aid) may be written even before the draft holds them."""
    course = course_for_editing(slug)
    work = working_copy(course)
    if path not in (COURSE_FILE, JOB_AID_FILE) and not is_module(path):
        abort(404)
    if path not in work.tree and path not in (COURSE_FILE, JOB_AID_FILE):
        abort(404)
    form = FileTextForm()
    if form.validate_on_submit():
        if _save(course, work, path, form.text.data.replace("\r\n", "\n"), form.version.data):
            _saved()
            return redirect(url_for("studio.edit_file", slug=slug, path=path))
    elif not form.is_submitted():
        form.process(data={"version": drafts.file_version(work.tree.get(path)),
                           "text": work.text(path)})
    found = checked(work, course.slug, path)
    return render_template("studio/file.html", course=course, path=path, form=form, **found,
                           problem_lines={p.line for p in found["problems"]},
                           lines=(form.text.data or "").splitlines())


@bp.route("/<slug>/gambar", methods=["POST"])
@allows_upload(UPLOAD_LIMIT)
def upload_image(slug):
    """An image (into img/) or an audio file (into audio/), checked like every file of a
    course folder."""
    course = course_for_editing(slug)
    form = UploadForm()
    if not form.validate_on_submit():
        for error in form.image.errors:
            flash(str(error), "error")
        return redirect(url_for("studio.course", slug=slug) + "#gambar")
    upload = form.image.data
    data = upload.read()
    try:
        name = safe_name(upload.filename or "", IMAGE_TYPES | AUDIO_TYPES)
    except ValueError as exc:
        flash(str(exc), "error")
        return redirect(url_for("studio.course", slug=slug) + "#gambar")
    folder = "audio" if is_audio(name) else "img"
    problem = check_file(f"{folder}/{name}", data)
    if problem:
        flash(_("%(name)s was not added: %(problem)s", name=upload.filename, problem=problem),
              "error")
        return redirect(url_for("studio.course", slug=slug) + "#gambar")
    work = working_copy(course)
    path, stem = f"{folder}/{name}", name.rsplit(".", 1)
    n = 2
    while path in work.tree:
        path, n = f"{folder}/{stem[0]}-{n}.{stem[1]}", n + 1
    if _save(course, work, path, data, None):
        if folder == "audio":
            flash(_("Audio added. Put it in a module on a line of its own, with the words "
                    "spoken right below it: ![Dengarkan: what it is](%(path)s) then a quote "
                    "starting with > [!TRANSKRIP]", path=path), "success")
        else:
            flash(_("Image added. Put it in a module with: ![what the image shows](%(path)s)",
                    path=path), "success")
    return redirect(url_for("studio.course", slug=slug) + "#gambar")


@bp.route("/<slug>/pengaturan", methods=["GET", "POST"])
def settings(slug):
    """The course's README.md: title, summary, JP, version and introduction."""
    course = course_for_editing(slug)
    work = working_copy(course)
    text = module_text.read_course(work.text(COURSE_FILE))
    if not text.readable:
        raise RawOnly(COURSE_FILE)
    form = CourseForm()
    if form.validate_on_submit():
        text.meta.update(title=form.title.data.strip(), summary=" ".join(
            form.summary.data.split()), jp=form.jp.data, version=form.course_version.data
            .strip(), published=form.published.data)
        if form.order.data is not None:
            text.meta["order"] = form.order.data
        text.body = form.description.data.replace("\r\n", "\n")
        if _save(course, work, COURSE_FILE, module_text.compose(text), form.version.data):
            _saved()
            return redirect(url_for("studio.settings", slug=slug))
    elif not form.is_submitted():
        meta = text.meta
        form.process(data={
            "version": drafts.file_version(work.tree.get(COURSE_FILE)),
            "title": meta.get("title", ""), "summary": meta.get("summary", ""),
            "jp": meta.get("jp"), "course_version": str(meta.get("version", "1.0")),
            "published": meta.get("published", True), "order": meta.get("order"),
            "description": text.body})
    minutes = reading_minutes(work.tree)
    return render_template("studio/settings.html", course=course, form=form,
                           minutes=minutes, suggested_jp=unfinished.suggested_jp(minutes),
                           **checked(work, course.slug, COURSE_FILE),
                           preview_html=work.render(text.body))
