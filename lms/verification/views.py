"""The verification pages: a form for a typed code, and the answer for one code."""

from flask import current_app, redirect, render_template, request, url_for

from lms.certificates import codes, lookup, register
from lms.core.extensions import db
from lms.core.web import logs_on_get
from lms.models import Certificate
from lms.verification import bp

HEADERS = {"X-Robots-Tag": "noindex", "Cache-Control": "no-store"}


@bp.route("/")
def form():
    typed = request.args.get("kode", "").strip()
    if typed:
        return redirect(url_for(".show", code=codes.normalise(typed) or typed[:40]))
    return render_template("verification/form.html"), HEADERS


@bp.route("/<code>")
@logs_on_get  # a code that matches nothing is counted
def show(code):
    config = current_app.config
    address = request.remote_addr or "unknown"
    if lookup.refused(db.session, address, max_misses=config["VERIFY_MAX_MISSES_PER_ADDRESS"],
                      window_minutes=config["VERIFY_WINDOW_MINUTES"]):
        db.session.commit()
        return render_template("verification/paused.html",
                               minutes=config["VERIFY_WINDOW_MINUTES"]), 429, HEADERS
    found = lookup.find(db.session, code, address, config["VERIFY_WINDOW_MINUTES"])
    # A corrected certificate's number (never its code) on the check page of the old one.
    replaced_by = register.replacement_of(db.session, found) \
        if isinstance(found, Certificate) and found.revoked_at else None
    db.session.commit()
    if found is None:
        return render_template("verification/unknown.html", typed=code[:40]), 404, HEADERS
    template = "verification/certificate.html" if isinstance(found, Certificate) \
        else "verification/transcript.html"
    return render_template(template, doc=found, nip=lookup.masked_nip(found.nip),
                           code=codes.shown(found.code), replaced_by=replaced_by), HEADERS
