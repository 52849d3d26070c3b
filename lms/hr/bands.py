"""Colour bands of a completion percentage on HR's pages (a text label always goes with
the colour). Five bands, the lower ones narrow: early in a year most OPDs sit under
half, and the page must still tell who is furthest behind (three bands painted 22 of
23 OPDs the same pink)."""

from flask_babel import lazy_gettext as _l

# (lowest percent of the band, code, label), best first
BANDS = ((80, "good", _l("good")), (60, "fair", _l("fair")), (40, "low", _l("low")),
         (20, "very_low", _l("very low")), (0, "behind", _l("far behind")))
GOOD, FAIR = BANDS[0][0], BANDS[1][0]
BAND_LABELS = {code: label for _low, code, label in BANDS} | {"none": ""}


def band(percent: int | None) -> str:
    if percent is None:
        return "none"
    return next(code for low, code, _label in BANDS if percent >= low)


def legend() -> list[tuple[str, str, int, int]]:
    """(code, label, from, to) of each band, for the legend under a table."""
    tops = [100] + [low - 1 for low, _c, _l in BANDS[:-1]]
    return [(code, label, low, top) for (low, code, label), top in zip(BANDS, tops,
                                                                        strict=True)]
