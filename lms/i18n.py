from flask import current_app, request, session
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as _wtforms


def select_locale() -> str:
    """The language chosen in this browser (or saved on the account at login), else
    Bahasa Indonesia. The browser's Accept-Language is ignored on purpose: many office
    computers are set to English while their users read Indonesian best."""
    chosen = session.get("locale") if request else None
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


class _FormMessages:
    """WTForms' own messages ("This field is required.") in the page's language.

    WTForms ships catalogues for many languages but not Indonesian, so Flask-WTF's
    built-in i18n (WTF_I18N_ENABLED) would show them in English here. This provider, the
    hook WTForms documents for it (Meta.get_translations), looks in our catalogue first
    (where WTFORMS_MESSAGES below are translated) and then in WTForms' own."""

    def gettext(self, string):
        translated = get_translations().ugettext(string)
        return translated if translated != string else _wtforms.gettext(string)

    def ngettext(self, singular, plural, n):
        translated = get_translations().ungettext(singular, plural, n)
        if translated in (singular, plural):
            return _wtforms.ngettext(singular, plural, n)
        return translated


_form_messages = _FormMessages()


class Form(FlaskForm):
    """The base of every form: validation messages follow the page's language."""

    class Meta:
        def get_translations(self, form):
            return _form_messages


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
