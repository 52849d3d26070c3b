"""Colour bands of a completion percentage on HR's pages (a text label always goes with
the colour)."""

from flask_babel import lazy_gettext as _l

GOOD, FAIR = 80, 50  # percent completed from which a row is "good", "fair"
BAND_LABELS = {"good": _l("good"), "fair": _l("fair"), "low": _l("low"), "none": ""}


def band(percent: int | None) -> str:
    if percent is None:
        return "none"
    return "good" if percent >= GOOD else "fair" if percent >= FAIR else "low"
