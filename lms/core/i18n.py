"""The page's language: chosen per browser or account, Bahasa Indonesia by default."""

from flask import current_app, request, session
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from jinja2 import pass_context
from markupsafe import Markup


def select_locale() -> str:
    """The language chosen in this browser (or saved on the account at login), else
    Bahasa Indonesia. The browser's Accept-Language is ignored on purpose: many office
    computers are set to English while their users read Indonesian best."""
    chosen = session.get("locale") if request else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def template_gettext() -> dict:
    """A context processor: `_`, `gettext` and `ngettext` for one template rendering, bound
    to the catalogue of the language it renders in (looked up once, not once per message:
    Flask-Babel's own template functions look the catalogue up at every call, a sixth of
    the time of a dashboard). They behave as Jinja's new-style gettext: autoescaped, and
    always %-formatted. Jinja's `_` resolves `gettext` from the context, so it uses these.
    A message with no variables and no '%' is returned as it is: formatting would give the
    same text, and `Markup %` costs 3.5 us a message (21-55 messages a learner page)."""
    translations = get_translations()

    @pass_context
    def gettext(context, string, **variables):
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        if not variables and "%" not in text:
            return text
        return text % variables

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return {"gettext": gettext, "ngettext": ngettext}


def ngettext(singular: str, plural: str, n: int) -> tuple[str, str]:
    """A marker only: pybabel extracts calls by this name as plural messages."""
    return singular, plural


# WTForms' messages our forms can show, listed so that message extraction keeps them in
# the catalogue (they are looked up by these exact English texts).
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
    _l("Not a valid date value."),
    _l("Not a valid datetime value."),
    _l("Not a valid time value."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", 1),
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 1),
    ngettext("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long.", 1),
    _l("Invalid email address."),
    _l("Field must be equal to %(other_name)s."),
)
