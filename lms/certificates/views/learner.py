"""A learner's own certificates and yearly JP transcripts."""

import re

from flask import current_app, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from lms.certificates import bp, issue, pdf, settings, transcripts
from lms.core import bounds, clock
from lms.core.extensions import db
from lms.core.web import logs_on_get, or_404, signed_in
from lms.evaluation import answers as evaluation
from lms.models import Certificate, JpYear


def _safe(part: str) -> str:
    # NIPs of non-ASN staff are free text: only letters, digits and dashes reach a name.
    return re.sub(r"[^A-Za-z0-9-]+", "-", part).strip("-") or "x"


def pdf_response(document: bytes, filename: str):
    response = make_response(document)
    response.mimetype = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def certificate_filename(cert: Certificate) -> str:
    return f"sertifikat-{_safe(cert.nip)}-{cert.course.slug}.pdf"


@bp.route("/sertifikat")
def mine():
    me = signed_in()
    certificates = list(db.session.scalars(
        select(Certificate).where(Certificate.employee_id == me.id)
        .order_by(Certificate.completed_on.desc(), Certificate.id.desc())))
    years = list(db.session.scalars(select(JpYear.year).where(JpYear.employee_id == me.id)
                                    .order_by(JpYear.year.desc())))
    this_year = clock.today().year
    if this_year not in years:
        years.insert(0, this_year)
    return render_template("certificates/mine.html", certificates=certificates, years=years)


@bp.route("/sertifikat/<code>.pdf")
def download(code):
    cert = or_404(db.session.scalars(select(Certificate).where(
        Certificate.code == code, Certificate.employee_id == signed_in().id)).first())
    if evaluation.certificate_waits(db.session, cert.employee_id, cert.course_id):
        flash(_("Please send the evaluation of this course first: then the certificate "
                "downloads."), "info")
        return redirect(url_for("evaluation.questionnaire", slug=cert.course.slug))
    return pdf_response(cert.pdf, certificate_filename(cert))


@bp.route("/sertifikat/rekap-jp-<int(fixed_digits=4):year>.pdf")
@logs_on_get  # a new snapshot is stored
def transcript(year):
    if not bounds.FIRST_DAY.year <= year <= bounds.LAST_DAY.year:
        return or_404(None)
    chosen = settings.current(db.session)
    record = transcripts.snapshot(db.session, signed_in(), year,
                                  current_app.config["JP_TARGET_PER_YEAR"], chosen.organiser)
    db.session.commit()
    document = pdf.transcript(record, issue.verification_url(record.code))
    return pdf_response(document, f"rekap-jp-{year}-{_safe(record.nip)}.pdf")
