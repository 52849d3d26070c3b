"""The base of every form, and the empty form behind buttons that change something."""

from flask_babel import get_translations
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as _wtforms


class _FormMessages:
    """WTForms' own messages ("This field is required.") in the page's language.

    WTForms ships catalogues for many languages but not Indonesian, so Flask-WTF's
    built-in i18n (WTF_I18N_ENABLED) would show them in English here. This provider, the
    hook WTForms documents for it (Meta.get_translations), looks in our catalogue first
    (where core.i18n.WTFORMS_MESSAGES are translated) and then in WTForms' own."""

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


class EmptyForm(Form):
    """A form with only the CSRF token, for buttons that change something."""
