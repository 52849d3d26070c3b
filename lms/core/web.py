"""Request-wide behaviour: security headers, write intent, error pages, template data."""

from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import joinedload

from lms.core import audit as log
from lms.core.bounds import IdConverter, Refused
from lms.core.database import set_write_intent
from lms.core.extensions import db
from lms.core.forms import EmptyForm
from lms.models.people import EMPLOYMENT_TYPE_LABELS, Employee

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def _security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if "Cache-Control" not in headers and current_user and current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"  # personal pages stay off shared machines' caches
    return response


def allows_upload(max_bytes: int):
    """Let one view accept a body larger than MAX_CONTENT_LENGTH (imports, course zips);
    every other view keeps the site-wide limit."""
    def mark(view):
        view.max_upload = max_bytes
        return view
    return mark


def _upload_limit(endpoint, _values):
    # URL preprocessors run before every before_request, including the CSRF check that
    # reads the body, so the view's limit is in place before anything is parsed.
    view = current_app.view_functions.get(endpoint) if endpoint else None
    limit = getattr(view, "max_upload", None)
    if limit:
        request.max_content_length = limit


def logs_on_get(view):
    """A download that records itself in the audit log: it writes although it is a GET."""
    view.writes_on_get = True
    return view


def reads_first(view):
    """A POST that reads and checks a large upload before it writes (the employee import):
    its transaction begins without write intent and the view opens its write transaction
    itself with `database.writing`, so the write lock is not held while the file is
    parsed and checked."""
    view.reads_first = True
    return view


def _write_intent():
    # SQLite: a request that may write takes the write lock when its transaction begins.
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    set_write_intent(getattr(view, "writes_on_get", False) or (
        request.method not in ("GET", "HEAD", "OPTIONS")
        and not getattr(view, "reads_first", False)))


def _refuse_nul():
    # PostgreSQL cannot store NUL in text and nobody types one: refused at the door, not
    # as a 500 from the database wherever the value would land (a NIP, a filter, a path).
    if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                      for key, value in request.values.items(multi=True)):
        abort(400)


def _template_data():
    # The area a page belongs to is the first part of its path (/studio, /laporan,
    # /admin): the menu marks it, whichever feature serves the page.
    return {"area": request.path.split("/")[1] if request else "",
            "current_locale": str(get_locale()),
            "employment_types": EMPLOYMENT_TYPE_LABELS}


def external_url(endpoint: str, **values) -> str:
    """An absolute link to `endpoint`, for anything read outside the site (emails, a link
    handed over on paper). Always built from PUBLIC_BASE_URL: the request's Host header
    is chosen by whoever sends the request, and must never end up in a link."""
    base = urlsplit(current_app.config["PUBLIC_BASE_URL"].rstrip("/"))
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                       url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def _untrusted_host(_exc):
    # No page template: without a trusted host Flask has no URL adapter to build links.
    return (str(_l("This site does not answer to that address.")), 400,
            {"Content-Type": "text/plain; charset=utf-8"})


def _error(code: int, title, message):
    def handler(_exc):
        return render_template("error.html", code=code, title=title, message=message), code
    return handler


def _refused(exc: Refused):
    return render_template("error.html", code=400, title=_l("Something in the form was not "
                                                             "right"), message=exc.message), 400


RETRY_AFTER_SECONDS = 10
# PostgreSQL: lock_not_available (a lock_timeout), serialization_failure, deadlock_detected.
BUSY_SQLSTATES = frozenset({"55P03", "40001", "40P01"})
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
SECRET_FIELDS = ("password", "confirm", "sandi")  # never written back into a page


def database_busy(exc: DBAPIError) -> bool:
    """The database was too busy (locked past the timeout), not broken."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    text = str(orig).lower()
    return "database is locked" in text or "database is busy" in text


def _busy(exc: DBAPIError):
    """503 and Retry-After. A POST's fields come back in a form that sends them again to
    the same URL (files cannot be kept; passwords are not written into the page)."""
    if not database_busy(exc):
        raise exc
    db.session.rollback()
    set_write_intent(False)  # the page itself only reads, beside whoever holds the lock
    fields, files, secret = [], False, False
    if request.method == "POST":
        for name, values in request.form.lists():
            if any(word in name.lower() for word in SECRET_FIELDS):
                secret = True
            else:
                fields += [(name, value) for value in values]
        files = any(f.filename for f in request.files.values())
    query = request.query_string.decode("latin-1")
    url = request.path + ("?" + query if query else "")
    page = render_template("busy.html", post=request.method == "POST", url=url,
                           fields=fields, files=files, secret=secret)
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


def init_app(app: Flask) -> None:
    # Before any blueprint: rules are compiled with the converters known when added.
    app.url_map.converters["id"] = IdConverter
    app.url_value_preprocessor(_upload_limit)
    app.before_request(_refuse_nul)
    app.before_request(_write_intent)
    app.after_request(_security_headers)
    app.context_processor(_template_data)
    from lms.core.i18n import template_gettext
    app.context_processor(template_gettext)
    from lms.core import layout
    layout.init_app(app)
    app.register_error_handler(400, _error(400, _l("Something in the form was not right"),
                                           _l("The page could not accept what was sent. Go "
                                              "back, reload the page and try again.")))
    app.register_error_handler(403, _error(403, _l("No access"),
                                           _l("Your account may not open this page.")))
    app.register_error_handler(404, _error(404, _l("Page not found"),
                                           _l("The page you asked for does not exist, or "
                                              "you may not see it.")))
    app.register_error_handler(500, _error(500, _l("Something went wrong"),
                                           _l("Nothing you did caused this. Please try "
                                              "again in a moment.")))
    from werkzeug.exceptions import SecurityError
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(Refused, _refused)
    app.register_error_handler(DBAPIError, _busy)
    from flask_wtf.csrf import CSRFError
    app.register_error_handler(CSRFError, _error(
        400, _l("The form has expired"),
        _l("For your safety the form expired. Go back, reload the page and try again.")))


def signed_in(role: str | None = None):
    """The signed-in Employee (the ORM object, not Flask-Login's proxy), to hand to domain
    code or change. Requests see a light Visitor (auth.login_sessions); the Employee is
    loaded by id, with its grants, the first time a view asks, and kept for the request.
    With `role`: None unless they hold it, so a check for HR loads nothing for learners."""
    user = current_user._get_current_object()
    if role is not None and not user.has_role(role):
        return None
    # The sign-in request itself; or nobody (an OPTIONS request past login_required),
    # who holds no role and meets each blueprint's check.
    if isinstance(user, Employee) or not user.is_authenticated:
        return user
    employee = g.get("signed_in_employee")
    if employee is None:
        employee = db.session.get(Employee, user.id, options=[joinedload(Employee.grants)])
        if employee is None:  # removed since the check, in this very request
            abort(404)
        employee.login_key = user.login_key
        g.signed_in_employee = employee
    return employee


def or_404(found):
    """`found`, or a 404 when the lookup found nothing."""
    if found is None:
        abort(404)
    return found


def require_button() -> None:
    """A button that changes something was pressed: a POST with a valid CSRF token (the
    EmptyForm every such button sends), else 400."""
    if not EmptyForm().validate_on_submit():
        abort(400)


def audit(action: str, target: str, **details) -> None:
    """Record `action` by the signed-in person, from this request's address: the one way
    views write the audit log."""
    log.record(db.session, action, actor=signed_in(), target=target,
               details=details, address=request.remote_addr or "")
