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
