"""The words of a reminder: subject, plain text and simple HTML, in the reader's language
(Bahasa Indonesia unless they chose English), with the deadline written out ("Senin,
14 Desember 2026") and one link to the module to open next."""

from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from flask import current_app, render_template
from flask_babel import force_locale, format_date, format_time
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.core import mail
from lms.core.web import external_url
from lms.models.nudges import FAILED, NO_EMAIL, SENDING, SENT
from lms.nudges import certificate_notices, class_notices
from lms.nudges.digests import Report
from lms.nudges.reminders import Due

STATE_LABELS = {SENDING: _l("not confirmed (the run stopped while sending)"),
                SENT: _l("sent"), FAILED: _l("failed, tried again next run"),
                NO_EMAIL: _l("no email address")}


@dataclass
class Words:
    subject: str
    greeting: str
    lines: list[str]
    action: str
    link: str
    footer: list[str]


def in_words(day: date) -> str:
    """The date as people say it, in the current language: "Senin, 14 Desember 2026"."""
    return format_date(day, "EEEE, d MMMM y")


def link_for(d: Due) -> str:
    if d.started and d.next_key:
        return external_url("learning.module", slug=d.slug, key=d.next_key)
    return external_url("learning.course", slug=d.slug)


def reminder_words(d: Due) -> Words:
    """Worded from the day it is sent, not from its step: a step caught up late (a course
    assigned ten days before its deadline, a morning the timer missed) still says the
    truth."""
    when = in_words(d.due_date)
    days = (d.due_date - d.today).days
    if days > 0:
        subject = _("Reminder: finish “%(course)s” by %(date)s", course=d.title, date=when)
        line = _("The mandatory course “%(course)s” is due on %(date)s, in %(days)d days.",
                 course=d.title, date=when, days=days)
    elif days == 0:
        subject = _("Today is the deadline for “%(course)s”", course=d.title)
        line = _("Today, %(date)s, is the deadline for the mandatory course “%(course)s”.",
                 course=d.title, date=when)
    else:
        subject = _("“%(course)s” is past its deadline", course=d.title)
        line = _("The mandatory course “%(course)s” was due on %(date)s, %(days)d days ago. "
                 "It still counts: please finish it as soon as you can.",
                 course=d.title, date=when, days=-days)
    action = (_("Continue where you stopped:") if d.started and d.next_key
              else _("Open the course:"))
    return Words(
        subject=subject, greeting=_("Dear %(name)s,", name=d.name), lines=[line],
        action=action, link=link_for(d),
        footer=[_sign_in(),
                _("You receive this because the course is mandatory for you. Reminders "
                  "stop as soon as you finish it.")])


def reminder(d: Due) -> EmailMessage:
    with force_locale(d.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _message(d.email, reminder_words(d))


def _sign_in() -> str:
    return _("Sign in with your NIP and password. If you cannot sign in, ask the staff "
             "officer of your OPD.")


def _hours(n: class_notices.Notice) -> str:
    """The session's Jakarta times, as its page shows them."""
    return f"{format_time(n.starts_at, 'HH:mm')}–{format_time(n.ends_at, 'HH:mm')} WIB"


def class_cancelled_words(n: class_notices.Notice) -> Words:
    when, hours = in_words(n.starts_at), _hours(n)
    return Words(
        subject=_("Cancelled: the “%(course)s” class on %(date)s", course=n.title,
                  date=when),
        greeting=_("Dear %(name)s,", name=n.name),
        lines=[_("The classroom session of “%(course)s” on %(date)s, %(hours)s, at "
                 "%(place)s has been cancelled. Please do not come to it.",
                 course=n.title, date=when, hours=hours, place=n.place),
               _("Your progress in the course online is kept. You can sign up for another "
                 "session of the course, if one is scheduled.")],
        action=_("The course's classroom sessions:"),
        link=external_url("classroom.for_course", slug=n.slug),
        footer=[_sign_in(), _("You receive this because you signed up for this session.")])


def class_moved_words(n: class_notices.Notice) -> Words:
    when, hours = in_words(n.starts_at), _hours(n)
    return Words(
        subject=_("Changed: the “%(course)s” class is now on %(date)s", course=n.title,
                  date=when),
        greeting=_("Dear %(name)s,", name=n.name),
        lines=[_("The classroom session of “%(course)s” you signed up for has a new date, "
                 "time or place. It is now on %(date)s, %(hours)s, at %(place)s.",
                 course=n.title, date=when, hours=hours, place=n.place),
               _("Your seat is kept. If you can no longer come, please give it back on the "
                 "session's page, so that a colleague can take it.")],
        action=_("The session's page:"),
        link=external_url("classroom.show", session_id=n.session_id),
        footer=[_sign_in(), _("You receive this because you signed up for this session.")])


def class_notice(n: class_notices.Notice) -> EmailMessage:
    words = class_moved_words if n.kind == class_notices.MOVED else class_cancelled_words
    with force_locale(n.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _message(n.email, words(n))


def certificate_replaced_words(n: certificate_notices.Notice) -> Words:
    lines = [_("Your certificate for “%(course)s” has been replaced by a corrected one, "
               "number %(number)s. The old one, number %(old)s, no longer checks as valid.",
               course=n.title, number=n.number, old=n.old_number)]
    if n.reason:
        lines.append(_("The reason given: %(reason)s", reason=n.reason))
    lines.append(_("If you uploaded the old certificate to SIASN, please upload the new one "
                   "in its place. Your course, its dates and its JP are unchanged."))
    return Words(
        subject=_("Your certificate for “%(course)s” has been corrected", course=n.title),
        greeting=_("Dear %(name)s,", name=n.name), lines=lines,
        action=_("Download the new certificate from your certificates page:"),
        link=external_url("certificates.mine"),
        footer=[_sign_in(), _("You receive this because the certificate is yours.")])


def certificate_replaced(n: certificate_notices.Notice) -> EmailMessage:
    with force_locale(n.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _message(n.email, certificate_replaced_words(n))


def _message(to: str, words: Words) -> EmailMessage:
    return mail.message(to, words.subject, render_template("nudges/message.txt", words=words),
                        render_template("nudges/message.html", words=words))


def step_label(step: int) -> str:
    """A reminder step in words, for HR's pages and the command's output: the step of the
    schedule (the message itself counts the days from when it went out)."""
    if step < 0:
        return _("%(days)d days before the deadline", days=-step)
    if step == 0:
        return _("on the deadline")
    return _("%(days)d days after the deadline", days=step)


def city_name() -> str:
    return _("the whole city")


def digest_words(report: Report, as_head: bool = False) -> dict:
    """What the digest says beyond its table, shared by the email and HR's page; a head
    of an OPD who is no officer gets no links to HR's pages (they could not open them)."""
    words = {
        "title": _("Melek weekly digest: %(scope)s", scope=report.scope_name),
        "as_of": _("Figures as of %(date)s.", date=in_words(report.today)),
        "since": (_("Changes are since the digest of %(date)s.", date=in_words(report.since))
                  if report.since else _("This is the first digest: next week's will show "
                                         "what changed.")),
        "overview": external_url("hr.overview"),
        "overdue": external_url("hr.overdue", urut="due"),
        "why": _("You receive this weekly digest as the staff officer (HR) for %(scope)s "
                 "in Melek.", scope=report.scope_name),
    }
    if as_head:
        words.update(overview=None, overdue=None, why=_(
            "You receive this weekly digest as the head of %(scope)s in Melek; your staff "
            "officer (HR) can show you the details.", scope=report.scope_name))
    return words


def digest(person, report: Report, as_head: bool = False) -> EmailMessage:
    with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        words = digest_words(report, as_head)
        return mail.message(person.email, words["title"],
                            render_template("nudges/digest.txt", report=report, words=words,
                                            name=person.name),
                            render_template("nudges/digest_mail.html", report=report,
                                            words=words, name=person.name))
