"""Preview as learner, the live preview behind the editors, and the draft's images."""

import io
from pathlib import PurePosixPath

from flask import abort, make_response, render_template, request, send_file, url_for

from lms.content import render
from lms.content.sync import MEDIA_TYPES
from lms.content.tree import check_file
from lms.studio import bp, course_for_editing, preview
from lms.studio.views.working import working_copy

MAX_PREVIEW_CHARS = 200_000


def _built(course):
    work = working_copy(course)
    built = preview.build(work.tree, course.slug, lambda p: url_for(
        "studio.draft_file", slug=course.slug, path=p))
    if built is None:
        abort(404)
    return work, built


@bp.route("/<slug>/pratinjau")
def preview_course(slug):
    course = course_for_editing(slug)
    work, built = _built(course)
    return render_template("studio/preview_course.html", course=course, built=built,
                           is_draft=work.draft is not None)


@bp.route("/<slug>/pratinjau/<path>")
def preview_module(slug, path):
    course = course_for_editing(slug)
    work, built = _built(course)
    index = next((i for i, m in enumerate(built.modules) if m.path == path), None)
    if index is None:
        abort(404)
    return render_template("studio/preview_module.html", course=course, built=built,
                           module=built.modules[index], number=index + 1,
                           previous=built.modules[index - 1] if index else None,
                           following=built.modules[index + 1]
                           if index + 1 < len(built.modules) else None,
                           is_draft=work.draft is not None)


@bp.route("/<slug>/pratinjau-langsung", methods=["POST"])
def live_preview(slug):
    """The editors' JavaScript posts the text as it is typed; the answer is rendered
    and sanitised exactly as on publish."""
    course = course_for_editing(slug)
    text = request.form.get("text", "")
    if len(text) > MAX_PREVIEW_CHARS:
        abort(413)
    work = working_copy(course)
    response = make_response(render.render(text, work.resolver()))
    response.mimetype = "text/html"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<slug>/draf/<path:path>")
def draft_file(slug, path):
    """An image or audio file of the draft (or the published folder), with the same
    protections as learners' files: never served as HTML, never able to run script;
    audio answers Range requests so the preview's player can seek."""
    course = course_for_editing(slug)
    data = working_copy(course).tree.get(path)
    mime = MEDIA_TYPES.get(PurePosixPath(path).suffix.lower())
    # A revision stored before every file was checked may still hold a bad one.
    if data is None or mime is None or check_file(path, data) is not None:
        abort(404)
    if mime.startswith("audio/"):
        response = send_file(io.BytesIO(data), mimetype=mime, conditional=True,
                             download_name=PurePosixPath(path).name, max_age=None)
    else:
        response = make_response(data)
        response.mimetype = mime
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Content-Security-Policy"] = ("default-src 'none'; "
                                                   "style-src 'unsafe-inline'; sandbox")
    return response
