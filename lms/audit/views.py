"""The audit log for admins: filter by action, person and dates; download as CSV."""

import json
from datetime import datetime, time, timedelta

from flask import abort, render_template, request
from sqlalchemy import or_, select

from lms.audit import bp
from lms.audit.labels import ACTION_LABELS, details_text
from lms.core import bounds, downloads
from lms.core.audit import ACTIONS
from lms.core.clock import JAKARTA
from lms.core.database import read_only_stream
from lms.core.extensions import db
from lms.core.web import audit as record
from lms.core.web import logs_on_get
from lms.models import AuditEvent

AUDIT_PER_PAGE = 50


def _audit_query():
    """Events filtered by the query string: action, NIP, from and to date (Jakarta).
    A date outside bounds.FIRST_DAY..LAST_DAY, or not a date, is bounds.Refused."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    action = request.args.get("aksi") or None
    if action:
        if action not in ACTIONS:
            abort(400)
        query = query.where(AuditEvent.action == action)
    nip = (request.args.get("nip") or "").replace(" ", "")
    if nip:
        query = query.where(or_(AuditEvent.actor_nip == nip, AuditEvent.target == nip))
    if request.args.get("dari"):
        start = datetime.combine(bounds.day_arg(request.args["dari"]), time(), JAKARTA)
        query = query.where(AuditEvent.at >= start)
    if request.args.get("sampai"):
        day = bounds.day_arg(request.args["sampai"]) + timedelta(days=1)
        query = query.where(AuditEvent.at < datetime.combine(day, time(), JAKARTA))
    return query


def _audit_args() -> dict:
    return {k: v for k, v in request.args.items() if k != "halaman" and v}


@bp.route("/audit")
def log():
    page = bounds.page_arg(request.args)
    try:
        query = _audit_query()
    except bounds.Refused as exc:
        # The form stays, with the reason next to the dates, so the admin can correct them.
        return render_template("audit/log.html", events=[], page=1, more=False,
                               args=_audit_args(), actions=ACTIONS,
                               date_error=exc.message, action_labels=ACTION_LABELS,
                               details_text=details_text), 400
    events = list(db.session.scalars(query.limit(AUDIT_PER_PAGE + 1)
                                     .offset((page - 1) * AUDIT_PER_PAGE)))
    return render_template("audit/log.html", events=events[:AUDIT_PER_PAGE], page=page,
                           more=len(events) > AUDIT_PER_PAGE, args=_audit_args(),
                           actions=ACTIONS, date_error=None,
                           action_labels=ACTION_LABELS, details_text=details_text)


@bp.route("/audit.csv")
@logs_on_get
def export():
    query = _audit_query()
    record("export", "audit", format="csv", filters=dict(request.args))
    db.session.commit()
    header = ["waktu", "aksi", "nip_pelaku", "sasaran", "rincian", "alamat"]
    columns = query.with_only_columns(AuditEvent.at, AuditEvent.action, AuditEvent.actor_nip,
                                      AuditEvent.target, AuditEvent.details, AuditEvent.address)

    def rows():  # read while the response streams, without write intent
        for at, action, nip, target, details, address in db.session.execute(
                columns.execution_options(yield_per=2000)):
            yield [at.astimezone(JAKARTA).isoformat(timespec="seconds"), action, nip, target,
                   json.dumps(details, ensure_ascii=False), address]
    return downloads.csv_response("melek-audit", header, read_only_stream(db.session, rows()))
