"""Percentage line charts drawn as inline SVG on the server: no JavaScript library, readable without scripts,
printable, and the same numbers sit in a table beside every chart for screen readers (pure, no Django)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

WIDTH: Final = 640
HEIGHT: Final = 240
LEFT, RIGHT, TOP, BOTTOM = 40, 16, 12, 36  # room for the axis labels
GRID: Final = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # the x label ("27/11")
    value: float  # the percentage drawn


@dataclass(frozen=True)
class Line:
    name: str
    css_class: str  # colours live in the stylesheet
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class GridLine:
    y: float
    label: str


@dataclass(frozen=True)
class PercentChart:
    width: int
    height: int
    lines: tuple[Line, ...]
    grid: tuple[GridLine, ...]
    x_labels: tuple[Point, ...]  # at most about ten, evenly picked


def _y(percent: float) -> float:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + plot * (1 - max(0.0, min(percent, 100.0)) / 100)


def percent_chart(labels: list[str], series: list[tuple[str, str, list[float]]]) -> PercentChart:
    """A chart of percentage series over the same x labels: `series` is (name, css class, values 0–100)."""
    plot_width = WIDTH - LEFT - RIGHT
    step = plot_width / max(len(labels) - 1, 1)

    def x(i: int) -> float:
        return LEFT + (i * step if len(labels) > 1 else plot_width / 2)

    lines = tuple(
        Line(name, css, tuple(Point(x(i), _y(v), labels[i], round(v, 1)) for i, v in enumerate(values)))
        for name, css, values in series
    )
    every = max(1, -(-len(labels) // 10))
    x_labels = tuple(Point(x(i), HEIGHT - BOTTOM + 18, label, 0) for i, label in enumerate(labels) if i % every == 0)
    grid = tuple(GridLine(_y(g), f"{g}%") for g in GRID)
    return PercentChart(WIDTH, HEIGHT, lines, grid, x_labels)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: not computable, drawn as an empty frame
    maximum: float
    y: float
    frame_width: float  # the maximum's bar
    width: float  # the value's bar
    text_x: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: tuple[Bar, ...]


BAR_HEIGHT: Final = 22
BAR_GAP: Final = 12
BAR_LABEL_WIDTH: Final = 200


def bar_chart(rows: list[tuple[str, float | None, float]], *, scale_to: float | None = None) -> BarChart:
    """Horizontal bars of values against their maxima, all on one scale (`scale_to`, default the largest
    maximum): `rows` is (label, value or None, maximum)."""
    top = max([scale_to or 0.0, *(maximum for _, _, maximum in rows)]) or 1.0
    plot = WIDTH - BAR_LABEL_WIDTH - 80  # room for the "12.5 / 20" text after the bar
    bars = []
    for i, (label, value, maximum) in enumerate(rows):
        frame = plot * max(maximum, 0.0) / top
        filled = 0.0 if value is None else plot * max(0.0, min(value, maximum)) / top
        bars.append(
            Bar(
                label=label,
                value=value,
                maximum=maximum,
                y=float(TOP + i * (BAR_HEIGHT + BAR_GAP)),
                frame_width=round(frame, 1),
                width=round(filled, 1),
                text_x=round(BAR_LABEL_WIDTH + frame + 6, 1),
            )
        )
    height = TOP * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP)
    return BarChart(WIDTH, height, BAR_LABEL_WIDTH, BAR_HEIGHT, tuple(bars))
