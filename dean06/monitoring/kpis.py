"""Live KPIs of Đề án 06 for a 2025-era commune or the province, computed from the other apps' data.

Read only through their selectors (public_services, cleansing, registry); nothing here touches another app's
models. A KPI whose data the platform does not have is "no data yet" (value None with a reason), never zero.
docs/monitoring.md ("KPIs") lists each KPI, its numerator and denominator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone

from dean06.cleansing.selectors import SnapshotFacts, quality_sectors, quality_snapshot_facts
from dean06.monitoring.index766 import Period, PeriodType, UnknownUnitError, period_parse
from dean06.public_services.selectors import index_dossiers, index_unit_get
from dean06.registry.selectors import kpi_eid_level2_facts

if TYPE_CHECKING:
    from dean06.registry.models import AdministrativeUnit

# The chip ID card is issued from age 14, and from 14 a level-2 e-ID account is the norm (Decree 69/2024 Art. 7
# grants it under 14 only on request; ../shared/domain/vietnam-facts.md): "adults" are persons aged 14 or more.
ADULT_AGE = 14

NO_DATA = "Chưa có dữ liệu / no data yet"
CRITERIA = (
    ("correct", "đúng"),
    ("complete", "đủ"),
    ("clean", "sạch"),
    ("alive", "sống"),
)


@dataclass(frozen=True)
class Kpi:
    code: str
    name: str
    numerator: int | None
    denominator: int | None
    value: float | None  # percent; None = no data yet (see `reason`)
    reason: str
    unit: str
    period: str
    sector: str = ""
    lower_bound: bool = False  # the value is a lower bound of the true share

    @property
    def key(self) -> str:
        """Unique within a KpiSet: the cleansing KPIs repeat their code once per sector."""
        return f"{self.code}:{self.sector}" if self.sector else self.code

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "sector": self.sector or None,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if self.value is None else round(self.value, 2),
            "lower_bound": self.lower_bound,
            "reason": self.reason or None,
            "unit": self.unit,
            "period": self.period,
        }


@dataclass(frozen=True)
class KpiSet:
    unit_code: str
    unit_name: str
    period: Period
    kpis: list[Kpi] = field(default_factory=list)

    def get(self, code: str) -> Kpi:
        return next(k for k in self.kpis if k.code == code)

    def as_json(self) -> dict[str, object]:
        return {
            "unit": self.unit_code,
            "unit_name": self.unit_name,
            "period": self.period.label,
            "kpis": [k.as_json() for k in self.kpis],
        }


def _ratio(
    code: str, name: str, numerator: int, denominator: int, *, unit: str, period: str, empty: str, sector: str = ""
) -> Kpi:
    if not denominator:
        return Kpi(code, name, numerator, denominator, None, f"{NO_DATA}: {empty}", unit, period, sector)
    return Kpi(code, name, numerator, denominator, 100 * numerator / denominator, "", unit, period, sector)


def _eid(unit: AdministrativeUnit, period: Period) -> Kpi:
    name = f"Tỷ lệ người từ {ADULT_AGE} tuổi trở lên có tài khoản định danh điện tử mức độ 2"
    code = "EID_LEVEL2_ADULTS"
    _, end = period.bounds()
    facts = kpi_eid_level2_facts(unit_path=unit.path, adult_age=ADULT_AGE, on=period.last_day, until=end)
    if not facts.any_level2_login:
        reason = (
            f"{NO_DATA}: nền tảng không lưu mức độ định danh của từng người; chưa có lượt đăng nhập VNeID mức độ 2 "
            "nào / the platform records no e-ID level per person, and no level-2 e-ID login yet"
        )
        return Kpi(code, name, None, facts.adults, None, reason, unit.code, period.label)
    if not facts.adults:
        return Kpi(code, name, 0, 0, None, f"{NO_DATA}: không có người từ {ADULT_AGE} tuổi", unit.code, period.label)
    reason = (
        "Cận dưới: chỉ đếm người đã đăng nhập nền tảng bằng VNeID mức độ 2 / lower bound: persons who logged in "
        "here with a level-2 e-ID"
    )
    value = 100 * facts.level2_logins / facts.adults
    return Kpi(code, name, facts.level2_logins, facts.adults, value, reason, unit.code, period.label, lower_bound=True)


def _dossiers(unit: AdministrativeUnit, period: Period) -> list[Kpi]:
    start, end = period.bounds()
    dossiers = index_dossiers(unit=unit, start=start, end=end)
    finished = [d for d in dossiers if d.finished_on is not None]
    where = {"unit": unit.code, "period": period.label}
    none_received = "không có hồ sơ tiếp nhận trong kỳ / no dossier received in the period"
    return [
        _ratio(
            "DOSSIER_ONLINE",
            "Tỷ lệ hồ sơ nộp trực tuyến",
            sum(d.online for d in dossiers),
            len(dossiers),
            empty=none_received,
            **where,
        ),
        _ratio(
            "DOSSIER_DIGITISED",
            "Tỷ lệ hồ sơ được số hóa thành phần",
            sum(d.components_digitised > 0 for d in dossiers),
            len(dossiers),
            empty=none_received,
            **where,
        ),
        _ratio(
            "RESULT_ELECTRONIC",
            "Tỷ lệ kết quả giải quyết được cấp bản điện tử",
            sum(d.electronic_result for d in finished),
            len(finished),
            empty="không có hồ sơ đã giải quyết xong / no finished dossier",
            **where,
        ),
    ]


def _latest(snapshots: list[SnapshotFacts], until: date) -> list[SnapshotFacts]:
    """Each (sector, unit)'s latest snapshot on or before `until` (snapshots come in the order taken)."""
    latest: dict[tuple[str, int], SnapshotFacts] = {}
    for snapshot in snapshots:
        if snapshot.day <= until:
            latest[(snapshot.sector, snapshot.unit_id)] = snapshot
    return list(latest.values())


def _cleansing(unit: AdministrativeUnit, period: Period, snapshots: list[SnapshotFacts]) -> list[Kpi]:
    standing = _latest(snapshots, period.last_day)
    kpis = []
    for sector, label in quality_sectors():
        rows = [s for s in standing if s.sector == sector]
        total = sum(s.rows for s in rows)
        for criterion, word in CRITERIA:
            kpis.append(
                _ratio(
                    f"CLEANSING_{criterion.upper()}",
                    f"Dữ liệu {label.lower()}: tỷ lệ {word}",
                    sum(getattr(s, criterion) for s in rows),
                    total,
                    unit=unit.code,
                    period=period.label,
                    sector=sector,
                    empty="chưa có lượt làm sạch dữ liệu lĩnh vực này / no cleansing run for this sector yet",
                )
            )
    return kpis


def _not_built(code: str, name: str, domain: str, unit: AdministrativeUnit, period: Period) -> Kpi:
    reason = f"{NO_DATA}: phân hệ {domain} chưa được xây dựng / the {domain} domain is not built yet"
    return Kpi(code, name, None, None, None, reason, unit.code, period.label)


def kpis_compute(*, unit: AdministrativeUnit, period: Period, snapshots: list[SnapshotFacts] | None = None) -> KpiSet:
    """Every KPI of a 2025 commune or the province (all its communes) for a period. Dossier KPIs count the
    dossiers received in the period; the e-ID and cleansing KPIs are the standing on the period's last day."""
    if snapshots is None:
        snapshots = quality_snapshot_facts(unit_path=unit.path, until=period.last_day)
    kpis = [
        _eid(unit, period),
        *_dossiers(unit, period),
        *_cleansing(unit, period, snapshots),
        _not_built(
            "WELFARE_CASHLESS", "Tỷ lệ chi trả an sinh xã hội không dùng tiền mặt", "an sinh (welfare)", unit, period
        ),
        _not_built(
            "CLINIC_QR_CHECKIN",
            "Tỷ lệ lượt khám chữa bệnh bằng căn cước/VNeID (quét QR)",
            "y tế (health)",
            unit,
            period,
        ),
    ]
    return KpiSet(unit_code=unit.code, unit_name=unit.name, period=period, kpis=kpis)


def _unit(unit_code: str) -> AdministrativeUnit:
    unit = index_unit_get(code=unit_code)
    if unit is None:
        raise UnknownUnitError(unit_code)
    return unit


def kpis_for(unit_code: str, period: str, period_type: str | None = None) -> KpiSet:
    """By unit code and period text ("2026-11", "2026-Q4", "2026"); raises UnknownUnitError or PeriodError."""
    parsed = period_parse(period, period_type)
    return kpis_compute(unit=_unit(unit_code), period=parsed)


def kpi_history(unit_code: str, months: int = 12, *, until: date | None = None) -> list[KpiSet]:
    """One KpiSet per month, oldest first, for the `months` months ending with the month of `until` (today)."""
    unit = _unit(unit_code)
    last = until or timezone.localdate()
    labels = []
    year, month = last.year, last.month
    for _ in range(max(months, 0)):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    periods = [period_parse(label, PeriodType.MONTH) for label in reversed(labels)]
    if not periods:
        return []
    snapshots = quality_snapshot_facts(unit_path=unit.path, until=periods[-1].last_day)
    return [kpis_compute(unit=unit, period=p, snapshots=snapshots) for p in periods]
