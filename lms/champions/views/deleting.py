"""Deleting a pendampingan record, for the champion (their own, for a while) and for HR
(in their scope) alike, once the caller has checked who may: a confirmation page, then
the delete, which takes back the JP the record credited."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from lms.champions import assisted
from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.core.web import audit
from lms.models import AssistedSession


def confirm_and_delete(entry: AssistedSession, back_endpoint: str, **details):
    form = EmptyForm()
    if form.validate_on_submit():
        audit("assisted_deleted", entry.unit.code, record=entry.id,
              held_on=entry.held_on.isoformat(), **details)
        assisted.delete(db.session, entry)
        db.session.commit()
        flash(_("Pendampingan record deleted."), "info")
        return redirect(url_for(back_endpoint))
    return render_template("champions/confirm_delete.html", entry=entry, form=form,
                           helped=assisted.helped_names(db.session, [entry.id])[entry.id],
                           back=url_for(back_endpoint))
