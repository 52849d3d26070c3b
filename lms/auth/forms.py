from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from lms.core.forms import Form


class LoginForm(Form):
    nip = StringField(_l("NIP"), validators=[DataRequired(), Length(max=32)],
                      render_kw={"autocomplete": "username", "inputmode": "numeric",
                                 "autocapitalize": "off", "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class SetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[DataRequired()],
                            render_kw={"autocomplete": "new-password"})


class ActivationForm(Form):
    nip = StringField(_l("NIP"), validators=[DataRequired(), Length(max=32)],
                      render_kw={"autocomplete": "username", "inputmode": "numeric",
                                 "autocapitalize": "off", "spellcheck": "false"})
    code = StringField(_l("Activation code"), validators=[DataRequired(), Length(max=20)],
                       render_kw={"autocomplete": "one-time-code", "autocapitalize":
                                  "characters", "spellcheck": "false"})
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[DataRequired()],
                            render_kw={"autocomplete": "new-password"})
