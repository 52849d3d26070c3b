"""Publishing a draft, the revision history, comparing and restoring revisions."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.content import revisions
from lms.content.tree import from_archive
from lms.core import bounds
from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import audit, require_button, signed_in
from lms.studio import bp, course_for_editing, diff, drafts, publish
from lms.studio.forms import PublishForm
from lms.studio.views.courses import url_base
from lms.studio.views.working import working_copy

SOURCE_LABELS = {"files": _l("courses/ files"), "studio": _l("Studio"),
                 "import": _l("Imported zip"), "restore": _l("Restored")}
DIFF_LABELS = {"added": _l("added"), "removed": _l("removed"), "changed": _l("changed")}


@bp.route("/<slug>/terbitkan", methods=["POST"])
def publish_draft(slug):
    course = course_for_editing(slug)
    form = PublishForm()
    if not form.validate_on_submit():
        flash(_("Say in a few words what changed, for the revision history."), "error")
        return redirect(url_for("studio.course", slug=slug) + "#terbitkan")
    outcome = publish.publish_draft(db.session, course, signed_in(),
                                    form.message.data, overwrite=form.overwrite.data,
                                    url_base=url_base())
    if not outcome.ok:
        db.session.rollback()
        if outcome.conflict:
            flash(str(outcome.conflict), "error")
        else:
            flash(_("Not published: the draft has %(n)d problem(s). Fix them and publish "
                    "again.", n=len(outcome.problems)), "error")
        return redirect(url_for("studio.course", slug=slug) + "#terbitkan")
    number = outcome.revision.number if outcome.revision else course.revision
    audit("course_published", course.slug, revision=number,
          changes=len(outcome.report.changes) if outcome.report else 0)
    db.session.commit()
    if outcome.revision:
        flash(_("Published as revision %(n)d. Learners see it now; their progress is kept.",
                n=number), "success")
    else:
        flash(_("The draft was the same as the published course: nothing to publish."),
              "info")
    return redirect(url_for("studio.course", slug=slug))


@bp.route("/<slug>/buang-draf", methods=["POST"])
def discard_draft(slug):
    course = course_for_editing(slug)
    if EmptyForm().validate_on_submit():
        drafts.discard(db.session, course)
        db.session.commit()
        flash(_("Draft discarded. The studio shows the published course again."), "success")
    return redirect(url_for("studio.course", slug=slug))


@bp.route("/<slug>/revisi")
def history(slug):
    course = course_for_editing(slug)
    return render_template("studio/history.html", course=course,
                           revisions=revisions.history(db.session, course),
                           state=drafts.state(db.session, course),
                           source_labels=SOURCE_LABELS)


def _revision_or_404(course, number: int):
    return revisions.get(db.session, course, number) or abort(404)


@bp.route("/<slug>/revisi/<id:number>")
def compare(slug, number):
    """Revision `number` against an earlier one (default: the one before it), or
    against the draft."""
    course = course_for_editing(slug)
    revision = _revision_or_404(course, number)
    new = from_archive(revision.archive)
    against = request.args.get("dengan", "")
    if against == "draf":
        work = working_copy(course)
        old, new, title = new, work.tree, _("Revision %(n)d → draft", n=number)
    else:
        base_number = bounds.int_arg(request.args, "dengan", number - 1, 1,
                                     bounds.DB_INT_MAX)
        base = revisions.get(db.session, course, base_number)
        old = from_archive(base.archive) if base else {}
        title = (_("Revision %(a)d → %(b)d", a=base_number, b=number) if base
                 else _("Revision %(n)d (first)", n=number))
    return render_template("studio/diff.html", course=course, revision=revision,
                           title=title, files=diff.compare(old, new), form=EmptyForm(),
                           others=revisions.history(db.session, course),
                           state=drafts.state(db.session, course),
                           source_labels=SOURCE_LABELS, status_labels_diff=DIFF_LABELS)


@bp.route("/<slug>/revisi/<id:number>/pulihkan", methods=["POST"])
def restore(slug, number):
    """Put an old revision in the draft; the owner reviews it and publishes."""
    course = course_for_editing(slug)
    revision = _revision_or_404(course, number)
    require_button()
    if drafts.state(db.session, course).dirty and not request.form.get("ganti"):
        flash(_("The draft has changes that are not published. Tick the box to replace "
                "them with revision %(n)d.", n=number), "error")
        return redirect(url_for("studio.compare", slug=slug, number=number) + "#pulihkan")
    drafts.start_from(db.session, course, from_archive(revision.archive),
                      signed_in())
    audit("revision_restored", course.slug, revision=number)
    db.session.commit()
    flash(_("Revision %(n)d is now the draft. Check it in the preview, then publish it.",
            n=number), "success")
    return redirect(url_for("studio.course", slug=slug))
