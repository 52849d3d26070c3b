"""Geometry of the confidence chart: per month, two bars (before, after) as percentages
of the same people; the template draws it as SVG (no JavaScript), the table beside it
holds the same numbers."""

from dataclasses import dataclass

from lms.hr.chart import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH


@dataclass
class Pair:
    label: str
    x_before: float
    x_after: float
    width: float
    before: tuple[float, float] | None  # (y, height); None: the month is hidden
    after: tuple[float, float] | None
    centre: float


@dataclass
class PairChart:
    pairs: list[Pair]
    ticks: list[tuple[float, int]]  # (y, percent)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM


def pairs(values: list[tuple[str, int | None, int | None]]) -> PairChart:
    """values: (label, percent before, percent after); None where the group is hidden."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(len(values), 1)
    bar = slot * 0.35

    def column(percent):
        if percent is None:
            return None
        h = inner_h * percent / 100
        return (TOP + inner_h - h, h)

    out = []
    for i, (label, before, after) in enumerate(values):
        x = LEFT + i * slot + slot * 0.15
        out.append(Pair(label, x, x + bar, bar, column(before), column(after),
                        LEFT + i * slot + slot / 2))
    ticks = [(TOP + inner_h - inner_h * v / 100, v) for v in range(0, 101, 25)]
    return PairChart(out, ticks)
