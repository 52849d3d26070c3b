"""The frame of every page (base.html): the stylesheet links, the header with the menu,
and the footer with the account and language forms.

Each is a stored fragment (core.fragments). It is keyed on what it shows: the language,
where the site is mounted, whether someone is signed in, their roles, and the page's
endpoint and area (the menu marks the current entry). The signed-in name, the page's
own address and the CSRF token are put in for each request. Rendered anew, the frame
was a quarter of a learner page's time (docs/performance.md).

Only what the key names is passed to these templates, and they use nothing else: not
`request`, `g` or `session`, which Flask offers every template (checked by
tests/unit/test_stored_templates.py), so a stored frame cannot carry one person's data
to another.
"""

from flask import Flask, current_app, request
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from lms.core.fragments import Blank, Kept, fill
from lms.core.i18n import template_gettext

LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
_TOKEN, _NAME, _NEXT = Blank(), Blank(), Blank()
_kept = Kept(4096)  # about 2 KB each: languages x role sets x pages, with room


def _render(template: str, **context) -> str:
    return current_app.jinja_env.get_template(template).render(
        **template_gettext(), csrf_token=_TOKEN, **context)


def _signed_in() -> bool:
    return bool(current_user) and current_user.is_authenticated


def head() -> Markup:
    return fill(_kept.get(("head", request.script_root), lambda: _render("layout/head.html")),
                {_TOKEN: generate_csrf})


def header(area: str) -> Markup:
    """The skip link and the header; `area` is the page's (a view may name another)."""
    signed_in = _signed_in()
    roles = current_user.roles if signed_in else frozenset()
    endpoint = request.endpoint
    # An address no route serves belongs to no area (and cannot grow the store).
    area = area if endpoint else ""
    key = ("header", str(get_locale()), request.script_root, signed_in, roles, endpoint,
           area)
    html = _kept.get(key, lambda: _render(
        "layout/header.html", signed_in=signed_in, roles=roles, endpoint=endpoint,
        area=area))
    return fill(html, {_TOKEN: generate_csrf})  # no form there today


def footer() -> Markup:
    signed_in, locale = _signed_in(), str(get_locale())
    html = _kept.get(("footer", locale, request.script_root, signed_in), lambda: _render(
        "layout/footer.html", signed_in=signed_in, locale=locale, person_name=_NAME,
        next_path=_NEXT, language_names=LANGUAGE_NAMES))
    return fill(html, {_NAME: current_user.name if signed_in else "",
                       _NEXT: request.full_path if request.method == "GET" else "",
                       _TOKEN: generate_csrf})


class _Layout:
    head, header, footer = staticmethod(head), staticmethod(header), staticmethod(footer)


def init_app(app: Flask) -> None:
    app.jinja_env.globals["layout"] = _Layout
