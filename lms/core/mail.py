"""Email is optional: with MAIL_SERVER set, messages go out by SMTP; without it, callers
show the information on screen instead. Callers send after their commit: a slow mail
server must not hold the database (on SQLite, its one write lock) while it answers.

A failure is one of two kinds. The server said no (a 4xx/5xx answer, recipients refused):
the message was not taken and may be sent again (`MailRefused`). Or the connection broke
or timed out while the message was on its way: the server may have taken it, and sending
it again could deliver it twice (`MailUnsure`). Jobs that must never send twice treat the
second kind as "not confirmed"."""

import smtplib
from contextlib import suppress
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app

from lms.core import clock


class MailError(Exception):
    """The message could not be handed to the mail server."""


class MailRefused(MailError):
    """The server answered and did not take the message (or could not be reached at all)."""


class MailUnreachable(MailRefused):
    """No connection to the server (refused, unreachable, TLS or login failed)."""


class MailUnsure(MailError):
    """The connection failed while the message was under way: it may have arrived."""


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _header(value: str) -> str:
    # A line break in a header would end it (or start another one).
    return " ".join(str(value).split())


def _domain(address: str) -> str:
    return parseaddr(address)[1].rpartition("@")[2] or "localhost"


def message(to: str, subject: str, body: str, html: str | None = None) -> EmailMessage:
    """Plain text, and the same in simple HTML when `html` is given. With a Date and a
    Message-ID of its own: RFC 5322 requires the date, a relay adds neither for a client
    on another host (Postfix's default), and mail without them is scored as spam."""
    msg = EmailMessage()
    sender = _header(current_app.config["MAIL_FROM"])
    msg["From"] = sender
    msg["To"] = _header(to)
    msg["Subject"] = _header(subject)
    msg["Date"] = format_datetime(clock.jakarta(clock.now()))
    # The domain from MAIL_FROM: make_msgid's default asks DNS for this host's name.
    msg["Message-ID"] = make_msgid(domain=_domain(sender))
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


class Connection:
    """One SMTP session for many messages, opened at the first and opened again after the
    server drops it (many relays close a connection after so many messages)."""

    def __init__(self):
        self._smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        cfg = current_app.config
        try:
            smtp = smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=20)
            if cfg["MAIL_USE_TLS"]:
                smtp.starttls()
            if cfg["MAIL_USERNAME"]:
                smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        except OSError as exc:  # refused, unreachable, TLS or login failed: nothing sent
            raise MailUnreachable(str(exc) or exc.__class__.__name__) from exc
        return smtp

    def send(self, msg: EmailMessage) -> None:
        if self._smtp is None:
            self._smtp = self._open()
        try:
            self._smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailRefused(str(exc)) from exc
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == 421:  # the server closes the connection after saying so
                self.close()
            raise MailRefused(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
        except OSError as exc:  # timed out or dropped mid-message (SMTPServerDisconnected)
            self.close()
            raise MailUnsure(str(exc) or exc.__class__.__name__) from exc

    def close(self) -> None:
        if self._smtp is not None:
            with suppress(OSError):
                self._smtp.quit()
            with suppress(OSError):
                self._smtp.close()
            self._smtp = None


def send(to: str, subject: str, body: str, html: str | None = None) -> None:
    connection = Connection()
    try:
        connection.send(message(to, subject, body, html))
    finally:
        connection.close()
