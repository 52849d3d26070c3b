"""Short messages HR can paste into a WhatsApp group: an OPD's figures and a link to
Melek, nothing about any one person. Nothing is sent by the server: the page offers a
wa.me link with the text filled in, and the same text to copy."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from flask_babel import format_date
from flask_babel import gettext as _

WA_ME = "https://wa.me/?text="


@dataclass
class Share:
    text: str

    @property
    def url(self) -> str:
        return WA_ME + quote(self.text, safe="")


def _line(title: str, counts) -> str:
    return _("• %(course)s: %(done)d of %(total)d staff done (%(percent)d%%), %(late)d overdue",
             course=title, done=counts.completed, total=counts.assigned,
             percent=counts.percent or 0, late=counts.overdue)


def _close(link: str) -> str:
    return _("Please finish them in Melek: %(link)s", link=link)


def _narrowed(place: str, about: list[str]) -> str:
    """The place and the filters the figures were read with ("Kecamatan Serpong (PPPK)"):
    a forwarded message must not pass a filtered count for the whole."""
    return f"{place} ({', '.join(about)})" if about else place


def courses(place: str, today: date, lines: list[tuple[str, object]], link: str,
            about: list[str] = ()) -> Share:
    """The overview: each mandatory course's completion in `place`."""
    head = _("Mandatory courses in %(place)s, as of %(date)s:",
             place=_narrowed(place, list(about)), date=format_date(today, "d MMMM y"))
    return Share("\n".join([head, *(_line(t, c) for t, c in lines if c.assigned), "",
                            _close(link)]))


def overdue(place: str, today: date, count: int, link: str, about: list[str] = ()) -> Share:
    """The overdue list: how many obligations are past their deadline in `place`."""
    head = _("%(place)s, %(date)s: %(count)d mandatory course(s) are past their deadline "
             "and not yet finished.", place=_narrowed(place, list(about)),
             date=format_date(today, "d MMMM y"), count=count)
    return Share("\n".join([head, "", _close(link)]))
