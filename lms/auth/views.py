"""Sign in, sign out, the language switch and the set-password link."""

import re
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.auth import bp, login_sessions, signin, throttle
from lms.auth.forms import LoginForm, SetPasswordForm
from lms.core import audit
from lms.core.extensions import db, login_manager
from lms.core.forms import EmptyForm
from lms.models import Employee
from lms.people import passwords


@login_manager.user_loader
def load_user(user_id: str):
    # Also reached through Flask-Login's remember cookie, which carries the same id.
    return login_sessions.load(db.session, user_id)


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _client_address() -> str:
    # Behind a proxy, TRUSTED_PROXIES makes ProxyFix set remote_addr to the client's.
    return request.remote_addr or "unknown"


def _work_page(person) -> str:
    """Where someone lands after login: HR on its reports, an admin on the admin page,
    everyone else on their own courses (HR first: its reports are daily work)."""
    if person.has_role("hr"):
        return url_for("hr.overview")
    if person.has_role("admin"):
        return url_for("org.tree")
    return url_for("learning.dashboard")


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_work_page(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        nip = re.sub(r"\s+", "", form.nip.data)
        outcome = signin.authenticate(db.session, nip, form.password.data, _client_address(),
                                      signin.Limits.from_config(current_app.config),
                                      current_app.permanent_session_lifetime)
        # The language this browser showed the login page in wins over the one saved on
        # the account, and is saved as the account's (committed with the login below).
        chosen = session.get("locale")
        if outcome.employee is not None and chosen in current_app.config["LANGUAGES"]:
            outcome.employee.locale = chosen
        db.session.commit()
        if outcome.refused is not None:
            minutes = current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"]
            if outcome.refused is throttle.Refused.ADDRESS:
                flash(_("Too many failed logins have come from this network (for example "
                        "your office) in a short time. Please wait %(minutes)d minutes and "
                        "try again.", minutes=minutes), "error")
            else:
                flash(_("Too many failed attempts. Please wait %(minutes)d minutes and try "
                        "again, or ask your OPD's staff officer for help.",
                        minutes=minutes), "error")
            return render_template("auth/login.html", form=form), 429
        employee = outcome.employee
        if employee is None:
            flash(_("The NIP or password is not right. Check both and try again."), "error")
            return render_template("auth/login.html", form=form), 401
        session.clear()
        login_user(employee)
        if employee.locale:
            session["locale"] = employee.locale
        return redirect(_safe_next(request.args.get("next")) or _work_page(employee))
    return render_template("auth/login.html", form=form)


@bp.route("/keluar", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        locale = session.get("locale")
        if current_user.is_authenticated:
            # Deleting the row ends this session everywhere a copy of its cookie is.
            login_sessions.end(db.session, current_user.login_key)
            db.session.commit()
        logout_user()
        session.clear()
        if locale:
            session["locale"] = locale
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/bahasa", methods=["POST"])
def set_language():
    form = EmptyForm()
    lang = request.form.get("lang")
    if form.validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("learning.dashboard"))


@bp.route("/atur-sandi/<token>", methods=["GET", "POST"])
def set_password(token):
    """Set a password through a one-time link made by an admin."""
    person = passwords.read_token(current_app.config["SECRET_KEY"], token,
                                  lambda i: db.session.get(Employee, i))
    if person is None:
        return render_template("auth/link_invalid.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        found = passwords.problems(form.password.data, person.nip)
        if form.password.data != form.confirm.data:
            found.append(_("The two passwords are not the same."))
        if found:
            form.password.errors = [str(p) for p in found]
        else:
            passwords.set_password(person, form.password.data)
            login_sessions.end_all(db.session, person)  # auth_epoch ends them; tidy up
            throttle.clear(db.session, person.nip)
            audit.record(db.session, "password_set", actor=person,
                         address=_client_address())
            db.session.commit()
            flash(_("Your password is set. Log in with your NIP and the new password."),
                  "success")
            return redirect(url_for(".login"))
    return render_template("auth/set_password.html", form=form, person=person)
