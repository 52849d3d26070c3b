"""HR's view of the nudges: who a reminder could not reach, what went out lately, and
this week's digest as the email shows it."""

from datetime import timedelta

from flask import abort, current_app, g, render_template, request

from lms.core import bounds, clock
from lms.core.extensions import db
from lms.core.web import signed_in
from lms.nudges import bp, digests, messages, reminders

PER_PAGE = 50
RECENT_DAYS = 30


@bp.route("/")
def index():
    page = bounds.page_arg(request.args)
    offset = (page - 1) * PER_PAGE
    missing = reminders.without_email(db.session, g.scope, offset, PER_PAGE + 1)
    sent = reminders.recent(db.session, g.scope, clock.now() - timedelta(days=RECENT_DAYS),
                            offset, PER_PAGE + 1)
    if page > 1 and not missing and not sent:
        abort(404)
    cfg = current_app.config
    return render_template("nudges/index.html", missing=missing[:PER_PAGE],
                           sent=sent[:PER_PAGE], page=page,
                           more=len(missing) > PER_PAGE or len(sent) > PER_PAGE,
                           days_before=cfg["REMINDER_DAYS_BEFORE"],
                           every=cfg["REMINDER_OVERDUE_EVERY"], recent_days=RECENT_DAYS,
                           step_label=messages.step_label,
                           message_states=messages.STATE_LABELS)


@bp.route("/ringkasan")
def digest():
    week = digests.week_of(clock.today())
    report = digests.report(db.session, g.scope, city=messages.city_name(),
                            previous=digests.previous(db.session, signed_in().id, week))
    return render_template("nudges/digest.html", report=report,
                           words=messages.digest_words(report))
