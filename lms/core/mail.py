"""Email is optional: with MAIL_SERVER set, messages go out by SMTP; without it, callers
show the information on screen instead. Callers send after their commit: a slow mail
server must not hold the database (on SQLite, its one write lock) while it answers."""

import smtplib
from contextlib import contextmanager, suppress
from email.message import EmailMessage

from flask import current_app


class MailError(Exception):
    """The message could not be handed to the mail server."""


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def message(to: str, subject: str, body: str, html: str | None = None) -> EmailMessage:
    """Plain text, and the same in simple HTML when `html` is given."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


@contextmanager
def connection():
    """One SMTP session for many messages: `send(message)` within. A job sending
    thousands must not open a connection per message."""
    cfg = current_app.config
    try:
        smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20)
    except OSError as exc:
        raise MailError(str(exc)) from exc
    try:
        try:
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        except OSError as exc:
            raise MailError(str(exc)) from exc

        def send(msg: EmailMessage) -> None:
            try:
                smtp.send_message(msg)
            except OSError as exc:  # refused, timed out (SMTPException is an OSError)
                raise MailError(str(exc)) from exc

        yield send
    finally:
        with suppress(OSError):
            smtp.quit()


def send(to: str, subject: str, body: str, html: str | None = None) -> None:
    with connection() as deliver:
        deliver(message(to, subject, body, html))
