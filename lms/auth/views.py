"""Sign in, sign out, the language switch and the set-password link."""

import re
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from lms.activation import codes
from lms.auth import bp, login_sessions, oidc, signin, throttle
from lms.auth.directory import Directory
from lms.auth.forms import ActivationForm, LoginForm, SetPasswordForm
from lms.core import audit
from lms.core.extensions import db, login_manager
from lms.core.forms import EmptyForm
from lms.core.web import external_url, logs_on_get, signed_in
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


def _refused_page(refused: throttle.Refused, form):
    minutes = current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"]
    if refused is throttle.Refused.ADDRESS:
        flash(_("Too many failed logins have come from this network (for example "
                "your office) in a short time. Please wait %(minutes)d minutes and "
                "try again.", minutes=minutes), "error")
    else:
        flash(_("Too many failed attempts. Please wait %(minutes)d minutes and try "
                "again, or ask your OPD's staff officer for help.",
                minutes=minutes), "error")
    return _login_page(form), 429


def _not_employee_page(nip: str, form):
    flash(_("Your city account is fine, but NIP %(nip)s is not on Melek's list of active "
            "employees, so Melek cannot open an account for it. Ask the staff officer at "
            "your OPD to check your data in the HR system.", nip=nip), "error")
    return _login_page(form), 403


def _login_page(form):
    provider = oidc.Provider.from_config(current_app.config)
    provider_logout = None
    if provider is not None and session.pop("offer_provider_logout", False):
        provider_logout = oidc.logout_url(provider, external_url("auth.login"))
    return render_template(
        "auth/login.html", form=form, oidc_enabled=provider is not None,
        provider_logout=provider_logout, next=_safe_next(request.args.get("next")),
        admins_only=passwords.admins_only(current_app.config),
        directory=bool(current_app.config.get("LDAP_URL")))


def _signed_in(employee, method: str):
    session.clear()
    login_user(employee)
    session["locale"] = employee.locale or session.get("locale")
    session["login_method"] = method


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_work_page(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        nip = re.sub(r"\s+", "", form.nip.data)
        config = current_app.config
        outcome = signin.authenticate(db.session, nip, form.password.data, _client_address(),
                                      signin.Limits.from_config(config),
                                      current_app.permanent_session_lifetime,
                                      directory=Directory.from_config(config),
                                      admins_only=passwords.admins_only(config))
        # The language this browser showed the login page in wins over the one saved on
        # the account, and is saved as the account's (committed with the login below).
        chosen = session.get("locale")
        if outcome.employee is not None and chosen in config["LANGUAGES"]:
            outcome.employee.locale = chosen
        db.session.commit()
        if outcome.refused is not None:
            return _refused_page(outcome.refused, form)
        if outcome.not_employee:
            return _not_employee_page(nip, form)
        employee = outcome.employee
        if employee is None:
            flash(_("The NIP or password is not right. Check both and try again."), "error")
            return _login_page(form), 401
        _signed_in(employee, "password")
        return redirect(_safe_next(request.args.get("next")) or _work_page(employee))
    return _login_page(form)


OIDC_PENDING = "oidc_pending"  # the session cookie's key for a login in progress


@bp.route("/masuk/pemkot")
def oidc_start():
    """"Masuk dengan akun Pemkot": off to the city's provider. What must come back (state,
    nonce, PKCE verifier) waits in the signed session cookie, not in this process."""
    provider = oidc.Provider.from_config(current_app.config)
    if provider is None:
        abort(404)
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    try:
        url, pending = oidc.begin(provider, external_url("auth.oidc_callback"),
                                  locale=session.get("locale"))
    except oidc.OidcError:
        flash(_("The city's sign-in service is not answering right now. Try again in a "
                "few minutes, or log in with your NIP and password."), "error")
        return redirect(url_for(".login"))
    pending["next"] = _safe_next(request.args.get("next"))
    session[OIDC_PENDING] = pending
    return redirect(url)


@bp.route("/masuk/pemkot/kembali")
@logs_on_get
def oidc_callback():
    """The provider sends the browser back here with a code (or an error)."""
    provider = oidc.Provider.from_config(current_app.config)
    if provider is None:
        abort(404)
    pending = session.pop(OIDC_PENDING, None)  # one use, whatever happens next
    address = _client_address()
    try:
        identity = oidc.finish(provider, pending, request.args.to_dict(),
                               external_url("auth.oidc_callback"))
    except oidc.OidcError as exc:
        if pending is not None:  # a bare visit to this address started nothing: no row
            audit.record(db.session, "sso_failed", address=address,
                         details={"method": "oidc", "reason": exc.reason})
            db.session.commit()
        if exc.reason == "provider_refused":
            flash(_("Signing in with the Pemkot account was cancelled."), "info")
        elif exc.reason == "too_slow":
            flash(_("Signing in took too long. Please try again."), "error")
        else:
            flash(_("Signing in with the Pemkot account did not work. Please try again; "
                    "if it keeps failing, log in with your NIP and password or ask your "
                    "OPD's staff officer."), "error")
        return redirect(url_for(".login"))
    outcome = signin.sign_in_verified(db.session, identity.nip, address,
                                      signin.Limits.from_config(current_app.config),
                                      current_app.permanent_session_lifetime, "oidc")
    db.session.commit()
    form = LoginForm(formdata=None)
    if outcome.refused is not None:
        return _refused_page(outcome.refused, form)
    if outcome.not_employee:
        return _not_employee_page(identity.nip, form)
    _signed_in(outcome.employee, "oidc")
    return redirect((pending or {}).get("next") or _work_page(outcome.employee))


@bp.route("/keluar", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        locale = session.get("locale")
        by_provider = session.get("login_method") == "oidc"
        if current_user.is_authenticated:
            # Deleting the row ends this session everywhere a copy of its cookie is.
            login_sessions.end(db.session, current_user.login_key)
            db.session.commit()
        logout_user()
        session.clear()
        if locale:
            session["locale"] = locale
        if by_provider:  # the login page offers the provider's logout too
            session["offer_provider_logout"] = True
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/bahasa", methods=["POST"])
def set_language():
    form = EmptyForm()
    lang = request.form.get("lang")
    if form.validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        session["locale"] = lang
        if current_user.is_authenticated:
            signed_in().locale = lang
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("learning.dashboard"))


@bp.route("/atur-sandi/<token>", methods=["GET", "POST"])
def set_password(token):
    """Set a password through a one-time link made by an admin."""
    person = passwords.read_token(current_app.config["SECRET_KEY"], token,
                                  lambda i: db.session.get(Employee, i))
    if person is None:
        return render_template("auth/link_invalid.html"), 404
    if not passwords.password_counts(person, passwords.admins_only(current_app.config)):
        # A link made before password login was limited to admins: setting a password
        # now would open nothing, so say how this person signs in instead.
        return render_template("auth/password_login_off.html"), 409
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


@bp.route("/aktivasi", methods=["GET", "POST"])
def activate():
    """An activation letter's code sets the person's first password (the QR code on the
    letter opens this page with the NIP filled in)."""
    if passwords.admins_only(current_app.config):
        # Only admins' Melek passwords work here, and letters are for staff: nothing the
        # code could set would let anyone in.
        return render_template("auth/password_login_off.html"), 409
    form = ActivationForm()
    if request.method == "GET" and request.args.get("nip"):
        form.nip.data = re.sub(r"\s+", "", request.args["nip"])[:32]
    if form.validate_on_submit():
        nip = re.sub(r"\s+", "", form.nip.data)
        outcome = codes.activate(db.session, current_app.config["SECRET_KEY"], nip,
                                 form.code.data, form.password.data, form.confirm.data,
                                 _client_address(),
                                 signin.Limits.from_config(current_app.config))
        db.session.commit()
        if outcome.refused is not None:
            return _refused_activation(outcome.refused, form)
        if outcome.wrong:
            form.code.errors = [_("This code does not work for this NIP: check both, "
                                  "and that the letter is not past its date.")]
            return render_template("auth/activate.html", form=form), 401
        if outcome.problems:
            form.password.errors = [str(p) for p in outcome.problems]
            return render_template("auth/activate.html", form=form), 400
        flash(_("Your account is active. Log in with your NIP and the new password."),
              "success")
        return redirect(url_for(".login"))
    return render_template("auth/activate.html", form=form)


def _refused_activation(refused: throttle.Refused, form):
    minutes = current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"]
    flash(_("Too many failed attempts. Please wait %(minutes)d minutes and try again, or "
            "ask your OPD's staff officer for help.", minutes=minutes), "error")
    return render_template("auth/activate.html", form=form), 429
