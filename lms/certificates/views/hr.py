"""HR: the SIASN downloads for an OPD and year, one certificate, and revoking one
(city-wide HR under /laporan, admins under /admin). docs/siasn.md explains the CSV."""

from flask import (
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _

from lms.certificates import bp, register, siasn
from lms.certificates.forms import RevokeForm
from lms.certificates.views.learner import certificate_filename, pdf_response
from lms.core import bounds, clock, downloads, mail
from lms.core.database import read_only_stream
from lms.core.extensions import db
from lms.core.web import audit, logs_on_get, or_404, signed_in
from lms.models import Certificate, Opd
from lms.org import tree

FIRST_YEAR, LAST_YEAR = bounds.FIRST_DAY.year, bounds.LAST_DAY.year


def _node() -> Opd | None:
    """The OPD asked for (?opd=CODE), or the scope's one root; None: the whole scope.
    An OPD outside the scope is a 404 whether it exists or not, as in the reports."""
    code = request.args.get("opd", "")
    if not code:
        one_root = not g.scope.city_wide and len(g.scope.roots) == 1
        return g.scope.roots[0] if one_root else None
    node = tree.by_code(db.session, code)
    if node is None or not g.scope.contains(node):
        abort(404)
    return node


def _where(node: Opd | None):
    return register.subtree(node) if node is not None else g.scope.condition()


def _label(node: Opd | None) -> str:
    """The OPD part of a download's file name."""
    if node is not None:
        return node.code
    return "kota" if g.scope.city_wide else "semua"


def _checked_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    return year


@bp.route("/laporan/sertifikat")
def hr_certificates():
    year = bounds.int_arg(request.args, "tahun", clock.today().year, FIRST_YEAR, LAST_YEAR)
    node = _node()
    top = 0 if g.scope.city_wide else min(r.depth for r in g.scope.roots)
    options = [(o.code, tree.option_label(o, top))
               for o in tree.in_order(db.session, within=g.scope.condition())]
    args = {"opd": node.code} if node is not None else {}
    return render_template("certificates/hr.html", year=year, node=node, options=options,
                           whole_scope=g.scope.city_wide or len(g.scope.roots) > 1, args=args,
                           count=register.count(db.session, _where(node), year))


@bp.route("/laporan/sertifikat/siasn-<int(fixed_digits=4):year>.csv")
@logs_on_get
def siasn_csv(year):
    node = _node()
    rows = siasn.csv_rows(db.session, _where(node), _checked_year(year))
    audit("export", "sertifikat-siasn", format="csv", opd=_label(node), tahun=year)
    db.session.commit()
    # The rows are read while the response streams, in a read-only transaction.
    return downloads.csv_response(f"melek-siasn-{_label(node)}-{year}", siasn.COLUMNS,
                                  read_only_stream(db.session, rows))


@bp.route("/laporan/sertifikat/pdf-<int(fixed_digits=4):year>.zip")
@logs_on_get
def pdf_zip(year):
    node = _node()
    chunks = siasn.zip_chunks(db.session, _where(node), _checked_year(year))
    audit("export", "sertifikat-pdf", format="zip", opd=_label(node), tahun=year)
    db.session.commit()
    name = f"melek-sertifikat-{_label(node)}-{year}.zip"
    return Response(stream_with_context(read_only_stream(db.session, chunks)),
                    mimetype="application/zip",
                    headers={"Content-Disposition": f'attachment; filename="{name}"',
                             "Cache-Control": "no-store"})


@bp.route("/laporan/sertifikat/<code>.pdf")
def hr_download(code):
    cert = or_404(register.in_scope(db.session, g.scope, code))
    return pdf_response(cert.pdf, certificate_filename(cert))


@bp.route("/laporan/sertifikat/<code>/cabut", methods=["GET", "POST"], endpoint="hr_revoke")
@bp.route("/admin/sertifikat/<code>/cabut", methods=["GET", "POST"], endpoint="admin_revoke")
def revoke(code):
    """City-wide HR (who may see everyone) or an admin; an OPD's HR may not revoke."""
    if request.endpoint == "certificates.hr_revoke":
        if not g.scope.city_wide:
            abort(403)
        cert = or_404(register.in_scope(db.session, g.scope, code))
    else:
        cert = or_404(register.by_code(db.session, code))
    back = _after_revoking(cert)
    form = RevokeForm()
    if request.method == "POST" and cert.revoked_at is not None:
        flash(_("This certificate was already revoked; nothing changed."), "info")
        return redirect(back)
    if form.validate_on_submit() and request.form.get("action") == "replace":
        return _replace(cert, form.reason.data.strip(), back)
    if form.validate_on_submit():
        reason = form.reason.data.strip()
        if register.revoke(db.session, cert, reason, signed_in()):
            audit("certificate_revoked", cert.number, nip=cert.nip, course=cert.course.slug,
                  reason=reason)
            flash(_("Certificate %(number)s revoked. Its check page now says so.",
                    number=cert.number), "success")
        else:  # revoked by someone else a moment ago
            flash(_("This certificate was already revoked; nothing changed."), "info")
        db.session.commit()
        return redirect(back)
    return render_template("certificates/revoke.html", cert=cert, form=form,
                           employee_page=_employee_page(cert), now=register.as_recorded(cert),
                           replacement=register.replacement_of(db.session, cert))


def _replace(cert: Certificate, reason: str, back: str):
    new = register.replace(db.session, cert, reason, signed_in())
    if new is None:
        db.session.rollback()
        flash(_("This certificate was already revoked; nothing changed."), "info")
        return redirect(back)
    audit("certificate_replaced", cert.number, nip=new.nip, course=cert.course.slug,
          reason=reason, new=new.number)
    old_number, new_number = cert.number, new.number
    db.session.commit()
    if mail.enabled():
        flash(_("Certificate %(old)s revoked and replaced by %(new)s, with the details HR "
                "holds now. The holder finds it under Certificates and, with an email "
                "address, is told by email.", old=old_number, new=new_number), "success")
    else:
        flash(_("Certificate %(old)s revoked and replaced by %(new)s, with the details HR "
                "holds now. The holder finds it under Certificates.", old=old_number,
                new=new_number), "success")
    return redirect(back)


def _employee_page(cert: Certificate) -> str | None:
    """HR's page of the holder, when the viewer may open it."""
    if g.scope is not None and g.scope.contains(cert.employee.opd):
        return url_for("hr.employee", nip=cert.employee.nip)
    return None


def _after_revoking(cert: Certificate) -> str:
    return _employee_page(cert) or url_for(request.endpoint, code=cert.code)

