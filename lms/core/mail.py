"""Email is optional: with MAIL_SERVER set, messages go out by SMTP; without it, callers
show the information on screen instead. Callers send after their commit: a slow mail
server must not hold the database (on SQLite, its one write lock) while it answers."""

import smtplib
from email.message import EmailMessage

from flask import current_app


class MailError(Exception):
    """The message could not be handed to the mail server."""


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to: str, subject: str, body: str) -> None:
    cfg = current_app.config
    message = EmailMessage()
    message["From"] = cfg["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20) as smtp:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
            smtp.send_message(message)
    except OSError as exc:  # refused, timed out, unreachable (SMTPException is an OSError)
        raise MailError(str(exc)) from exc
