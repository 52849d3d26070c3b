"""Geometry for small server-rendered SVG charts (no JavaScript): the template draws."""

from dataclasses import dataclass

WIDTH, HEIGHT = 340, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 10, 30


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


@dataclass
class BarChart:
    bars: list[Bar]
    ticks: list[tuple[float, int]]  # (y, value) for the vertical axis
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: int = HEIGHT - BOTTOM


def bars(values: list[int], labels: list[str]) -> BarChart:
    top = max(values + [1])
    step = _nice_step(top)
    top = step * -(-top // step)
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = inner_w / max(len(values), 1)
    out = []
    for i, (value, label) in enumerate(zip(values, labels, strict=True)):
        h = inner_h * value / top
        out.append(Bar(LEFT + i * slot + slot * 0.15, TOP + inner_h - h, slot * 0.7, h, value,
                       label))
    ticks = [(TOP + inner_h - inner_h * v / top, v) for v in range(0, top + 1, step)]
    return BarChart(out, ticks)


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000,
                 20000, 25000, 50000):
        if top / step <= 5:
            return step
    return 100000
