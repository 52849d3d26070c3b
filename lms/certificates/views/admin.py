"""Admins: the organiser, the signing official, the number pattern and the images."""

import base64

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from lms.certificates import bp, sample, settings
from lms.certificates.forms import CertificateSettingsForm
from lms.certificates.views.learner import pdf_response
from lms.core import files
from lms.core.extensions import db
from lms.core.web import audit, external_url, signed_in
from lms.models import Employee

TEXT_FIELDS = ("organiser", "signer_name", "signer_nip", "signer_position", "number_pattern")


def _shown(image: bytes | None) -> str | None:
    """An image as a data: address, to show beside its field (the page's CSP allows them)."""
    if not image:
        return None
    return f"data:{files.sniff(image)};base64,{base64.b64encode(image).decode()}"


def _sample_url() -> str:
    # A sample's QR leads to the form for typing a code, not to a code that exists.
    return external_url("verification.form")


def _undrawable(chosen, form: CertificateSettingsForm) -> bool:
    """Mark the images the PDF library cannot draw (they begin like PNG or JPEG but are
    not): refused now, not when a learner completes a course."""
    found = False
    for field, kind in ((form.signature_image, "signature"), (form.emblem_image, "emblem")):
        if field.bytes and sample.cannot_draw(db.session, chosen, _sample_url(),
                                              **{kind: field.bytes}):
            field.errors.append(_("The image could not be read. Save it again as PNG or "
                                  "JPEG and upload that file."))
            found = True
    return found


@bp.route("/admin/sertifikat", methods=["GET", "POST"])
def admin_settings():
    chosen = settings.current(db.session)
    form = CertificateSettingsForm(data={name: getattr(chosen, name) for name in TEXT_FIELDS})
    if form.validate_on_submit() and not _undrawable(chosen, form):
        changed = settings.save(
            db.session, signed_in(), **{name: form[name].data or "" for name in TEXT_FIELDS},
            signature_image=form.signature_image.bytes, emblem_image=form.emblem_image.bytes,
            remove_signature=form.remove_signature.data, remove_emblem=form.remove_emblem.data)
        if changed:
            audit("certificate_settings_changed", "certificate_settings", fields=changed)
        db.session.commit()
        flash(_("Saved. Certificates issued from now on use these settings.") if changed
              else _("Nothing changed."), "success")
        return redirect(url_for(".admin_settings"))
    pattern = form.number_pattern.data or ""
    example = None if settings.pattern_problem(pattern) else sample.next_number(db.session,
                                                                                pattern)
    by = db.session.get(Employee, chosen.updated_by_id) if chosen.updated_by_id else None
    return render_template("certificates/settings.html", form=form, chosen=chosen,
                           example=example, updated_by=by,
                           signature_src=_shown(chosen.signature_image),
                           emblem_src=_shown(chosen.emblem_image))


@bp.route("/admin/sertifikat/contoh.pdf")
def admin_sample():
    """A certificate as the saved settings would print it, for nobody."""
    chosen = settings.current(db.session)
    document = sample.render(db.session, chosen, _sample_url(),
                             signature=chosen.signature_image, emblem=chosen.emblem_image)
    return pdf_response(document, "contoh-sertifikat.pdf")
