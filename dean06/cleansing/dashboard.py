"""Reads for the đúng/đủ/sạch/sống dashboard: the latest standing per sector and commune, and its trend by day.

Built from `QualitySnapshot` rows (quality.py) the actor may see: counts only, no personal data. A commune's
standing on a day is its latest snapshot taken on or before that day, whichever run it came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Final

from django.utils.translation import gettext_lazy as _

from dean06.cleansing.models import SECTOR_CHOICES, QualitySnapshot
from dean06.core.access import visible_to
from dean06.core.charts import PercentChart, percent_chart
from dean06.core.roles import Permission
from dean06.text import collation_key

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dean06.core.models import User

    type Actor = User | AnonymousUser

CRITERIA: Final = (
    ("correct", _("Đúng"), "line-correct"),
    ("complete", _("Đủ"), "line-complete"),
    ("clean", _("Sạch"), "line-clean"),
    ("alive", _("Sống"), "line-alive"),
)
_SECTOR_LABELS: Final = dict(SECTOR_CHOICES)


@dataclass(frozen=True)
class Standing:
    """Counts over some rows, with the four shares in percent."""

    rows: int
    correct: int
    complete: int
    clean: int
    alive: int

    def percent(self, criterion: str) -> float:
        return 100 * getattr(self, criterion) / self.rows if self.rows else 0.0

    @property
    def shares(self) -> list[Share]:
        return [Share(str(label), css, self.percent(name)) for name, label, css in CRITERIA]


@dataclass(frozen=True)
class Share:
    label: str
    css_class: str
    percent: float


@dataclass(frozen=True)
class DayStanding:
    day: date
    standing: Standing


def _sum(snapshots: Iterable[QualitySnapshot]) -> Standing:
    items = list(snapshots)
    columns = ("rows", "rows_correct", "rows_complete", "rows_clean", "rows_alive")
    return Standing(*(sum(getattr(s, column) for s in items) for column in columns))


@dataclass(frozen=True)
class UnitStanding:
    unit_id: int
    unit_name: str
    sector: str
    sector_label: str
    day: date
    standing: Standing


@dataclass(frozen=True)
class Dashboard:
    sector: str
    units: list[UnitStanding]  # latest per (sector, unit), sorted by sector then unit name
    total: Standing
    trend: list[DayStanding]  # one per day with a snapshot, all units shown
    chart: PercentChart | None


def _latest(snapshots: list[QualitySnapshot], until: date | None = None) -> dict[tuple[str, int], QualitySnapshot]:
    latest: dict[tuple[str, int], QualitySnapshot] = {}
    for snapshot in snapshots:  # ordered by taken_at: a later one replaces an earlier one
        if until is None or snapshot.day <= until:
            latest[(snapshot.sector, snapshot.unit_id)] = snapshot
    return latest


def quality_dashboard(*, actor: Actor, sector: str = "", unit_id: int | None = None) -> Dashboard:
    """The standing of every unit the actor may see (one sector, or all), and the trend of their total."""
    snapshots = visible_to(QualitySnapshot.objects.all(), actor=actor, permission=Permission.CLEANSING_RUN)
    if sector:
        snapshots = snapshots.filter(sector=sector)
    if unit_id is not None:
        snapshots = snapshots.filter(unit_id=unit_id)
    ordered = list(snapshots.select_related("unit").order_by("taken_at", "pk"))
    latest = _latest(ordered)
    units = sorted(
        (
            UnitStanding(s.unit_id, s.unit.name, s.sector, str(_SECTOR_LABELS[s.sector]), s.day, _sum([s]))
            for s in latest.values()
        ),
        key=lambda u: (u.sector, collation_key(u.unit_name)),
    )
    trend = [DayStanding(day, _sum(_latest(ordered, day).values())) for day in sorted({s.day for s in ordered})]
    chart = None
    if trend:
        labels = [t.day.strftime("%d/%m") for t in trend]
        series = [(str(label), css, [t.standing.percent(name) for t in trend]) for name, label, css in CRITERIA]
        chart = percent_chart(labels, series)
    return Dashboard(sector, units, _sum(latest.values()), trend, chart)
