from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    nip = StringField(_l("NIP"), validators=[DataRequired(), Length(max=32)],
                      render_kw={"autocomplete": "username", "inputmode": "numeric",
                                 "autocapitalize": "off", "spellcheck": "false"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for buttons that change something."""


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("New password again"), validators=[DataRequired()],
                            render_kw={"autocomplete": "new-password"})
