"""The Decision 766 service-quality index of a unit and a period, computed from the public-services data.

Groups, indicators, maxima and formulas follow ../shared/domain/vietnam-facts.md §4.2 (DVCQG's current six groups,
as reverse-engineered by a third party; not a legal text). An indicator whose data the platform does not capture
has no score (None), never a guessed one; monitoring-only indicators have no maximum. docs/monitoring.md lists
every indicator and the choices made where the sources conflict.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from django.utils import timezone

from dean06.public_services.selectors import (
    DossierFacts,
    PetitionFacts,
    ProcedureFacts,
    index_agencies,
    index_dossiers,
    index_petitions,
    index_procedures,
    index_unit_get,
)

if TYPE_CHECKING:
    from dean06.registry.models import AdministrativeUnit

SATISFIED_FROM = 4  # a rating of 4 or 5 (of 5) counts as satisfied, as the petition figures already do
SATISFACTION_FULL_AT = 0.90  # DOSSIER_RECEIVING_SATISFACTION reaches its maximum at 90 % satisfied
REUSE_FULL_AT = 0.80  # REUSED_DIGITIZED_DATA reaches its maximum at 80 % of dossiers


class PeriodType(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class PeriodError(ValueError):
    """A period that is not "2026-10", "2026-Q4" or "2026", or does not match the period type given."""


class UnknownUnitError(LookupError):
    pass


class UnknownAgencyError(LookupError):
    pass


@dataclass(frozen=True)
class Period:
    label: str
    type: PeriodType
    first_day: date
    last_day: date

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes in the project's time zone."""
        start = timezone.make_aware(datetime.combine(self.first_day, time.min))
        end = timezone.make_aware(datetime.combine(self.last_day + timedelta(days=1), time.min))
        return start, end


_PATTERNS = {
    PeriodType.MONTH: re.compile(r"(\d{4})-(\d{2})"),
    PeriodType.QUARTER: re.compile(r"(\d{4})-Q([1-4])"),
    PeriodType.YEAR: re.compile(r"(\d{4})"),
}


def period_parse(text: str, period_type: PeriodType | str | None = None) -> Period:
    """ "2026-10" (month), "2026-Q4" (quarter) or "2026" (year); the type is inferred when not given."""
    text = text.strip().upper()
    kinds = [PeriodType(period_type)] if period_type else list(PeriodType)
    for kind in kinds:
        match = _PATTERNS[kind].fullmatch(text)
        if match is None:
            continue
        year = int(match.group(1))
        if kind == PeriodType.MONTH:
            first_month, months = int(match.group(2)), 1
        elif kind == PeriodType.QUARTER:
            first_month, months = 3 * int(match.group(2)) - 2, 3
        else:
            first_month, months = 1, 12
        if not 1 <= first_month <= 12 or year < 2000:
            break
        last_month = first_month + months - 1
        last_day = date(year, last_month, calendar.monthrange(year, last_month)[1])
        return Period(label=text, type=kind, first_day=date(year, first_month, 1), last_day=last_day)
    raise PeriodError(text)


@dataclass(frozen=True)
class Indicator:
    """One indicator. `numerator_ids` and `denominator_ids` name the rows behind the figures (of `source`:
    "dossier", "procedure" or "petition") for drill-down; None figures mean the data is not captured."""

    code: str
    name: str
    maximum: float | None
    score: float | None
    numerator: int | None = None
    denominator: int | None = None
    source: str = ""
    numerator_ids: tuple[int, ...] = ()
    denominator_ids: tuple[int, ...] = ()

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "score": _rounded(self.score),
            "maximum": self.maximum,
        }


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    maximum: float
    indicators: list[Indicator]

    @property
    def score(self) -> float | None:
        """The sum of the computable scores; None when none of them is."""
        scores = [i.score for i in self.indicators if i.score is not None]
        return sum(scores) if scores else None

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "score": _rounded(self.score),
            "maximum": self.maximum,
            "indicators": [i.as_json() for i in self.indicators],
        }


@dataclass(frozen=True)
class Index766:
    unit_code: str
    unit_name: str
    period: Period
    groups: list[Group] = field(default_factory=list)
    agency: str = ""  # the deciding agency the index is limited to; "" for all of the unit's dossiers

    @property
    def total(self) -> float:
        """Points of the computable indicators only: a missing figure earns nothing rather than a guess."""
        return sum(g.score or 0.0 for g in self.groups)

    def as_json(self) -> dict[str, object]:
        shown: dict[str, object] = {"unit": self.unit_code, "period": self.period.label}
        if self.agency:
            shown["agency"] = self.agency
        return shown | {"total": _rounded(self.total), "groups": [g.as_json() for g in self.groups]}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class _Row(Protocol):
    @property
    def id(self) -> int: ...


def _ratio_indicator[T: _Row](
    code: str,
    name: str,
    rows: Sequence[T],
    counts: Callable[[T], bool],
    score: Callable[[int, int], float | None] | None,
    *,
    maximum: float | None,
    source: str,
) -> Indicator:
    """numerator = rows for which `counts` holds, denominator = all rows; `score(numerator, denominator)`."""
    hits = tuple(r.id for r in rows if counts(r))
    every = tuple(r.id for r in rows)
    return Indicator(
        code=code,
        name=name,
        maximum=maximum,
        score=score(len(hits), len(every)) if score else None,
        numerator=len(hits),
        denominator=len(every),
        source=source,
        numerator_ids=hits,
        denominator_ids=every,
    )


def _not_captured(code: str, name: str, maximum: float | None) -> Indicator:
    return Indicator(code=code, name=name, maximum=maximum, score=None)


def _linear(maximum: float) -> Callable[[int, int], float | None]:
    """max × ratio; not computable without a denominator."""
    return lambda n, d: maximum * n / d if d else None


def _capped(maximum: float, full_at: float) -> Callable[[int, int], float | None]:
    """min(max, max × ratio / full_at): full marks from `full_at`."""
    return lambda n, d: min(maximum, maximum * (n / d) / full_at) if d else None


# --- the six groups ----------------------------------------------------------------------------------------------


def _transparency(procedures: list[ProcedureFacts]) -> Group:
    return Group(
        "TRANSPARENCY",
        "Công khai, minh bạch",
        18,
        [
            _ratio_indicator(
                "PUBLISH_ON_TIME",
                "TTHC được công bố đúng hạn",
                procedures,
                lambda p: p.published_on_time,
                _linear(6),
                maximum=6,
                source="procedure",
            ),
            _not_captured("PUBLIC_UPDATE_ON_TIME", "TTHC được cập nhật, công khai đúng hạn trên CSDL quốc gia", 4),
            _not_captured("PUBLIC_CONTENT_FULL", "TTHC được công khai đầy đủ nội dung", 2),
            _not_captured("DOSSIER_SYNC", "Hồ sơ đồng bộ trạng thái theo thời gian thực lên Cổng DVCQG", 6),
        ],
    )


def _progress(dossiers: list[DossierFacts], today: date) -> Group:
    def on_time(d: DossierFacts) -> bool:
        # Open dossiers still within their deadline count as on time (§4.2, row 5).
        if d.due_on is None:
            return d.finished_on is not None
        if d.finished_on is None:
            return d.due_on >= today
        return d.finished_on <= d.due_on

    return Group(
        "PROGRESS",
        "Tiến độ, kết quả giải quyết",
        20,
        [
            _ratio_indicator(
                "DOSSIER_ON_TIME",
                "Hồ sơ giải quyết trước hạn, đúng hạn (kể cả hồ sơ đang giải quyết còn hạn)",
                dossiers,
                on_time,
                _linear(20),
                maximum=20,
                source="dossier",
            )
        ],
    )


def _online_services(procedures: list[ProcedureFacts], dossiers: list[DossierFacts]) -> Group:
    eligible = [d for d in dossiers if d.procedure_fully_online]
    return Group(
        "ONLINE_SERVICES",
        "Cung cấp dịch vụ trực tuyến",
        12,
        [
            # The portal's formula was not determined (§4.2): figures shown, no score.
            _ratio_indicator(
                "FULL_ONLINE_DOSSIER",
                "Hồ sơ trực tuyến toàn trình trên hồ sơ của TTHC đủ điều kiện toàn trình",
                eligible,
                lambda d: d.online,
                None,
                maximum=12,
                source="dossier",
            ),
            _ratio_indicator(
                "ONLINE_FORMALITY",
                "TTHC cung cấp dịch vụ công trực tuyến toàn trình",
                procedures,
                lambda p: p.fully_online,
                None,
                maximum=None,
                source="procedure",
            ),
            _not_captured("PROACTIVE_ONLINE_SERVICE", "Dịch vụ công trực tuyến chủ động theo cấp", None),
            _not_captured("PROACTIVE_SERVICE_DOSSIER", "Hồ sơ dịch vụ công chủ động", None),
            _ratio_indicator(
                "DOSSIER_ONLINE_CHANNEL",
                "Hồ sơ nộp trực tuyến trên tổng số hồ sơ (trực tuyến, trực tiếp, bưu chính)",
                dossiers,
                lambda d: d.online,
                None,
                maximum=None,
                source="dossier",
            ),
        ],
    )


def _payment(procedures: list[ProcedureFacts], dossiers: list[DossierFacts]) -> Group:
    # 6·A + min(2, 2.5·B) + 2.5·C (§4.2), one indicator per term; C (fee procedures on DVCQG) is not captured.
    return Group(
        "ONLINE_PAYMENT",
        "Thanh toán trực tuyến",
        10,
        [
            _ratio_indicator(
                "ONLINE_PAYMENT_DOSSIER",
                "Hồ sơ có nghĩa vụ tài chính được thanh toán trực tuyến",
                [d for d in dossiers if d.fee_vnd > 0],
                lambda d: d.fee_paid_online,
                _linear(6),
                maximum=6,
                source="dossier",
            ),
            _ratio_indicator(
                "ONLINE_PAYMENT_FORMALITY",
                "TTHC có phí, lệ phí triển khai thanh toán trực tuyến",
                [p for p in procedures if p.fee_vnd > 0],
                lambda p: p.online_payment,
                lambda n, d: min(2, 2.5 * n / d) if d else None,
                maximum=2,
                source="procedure",
            ),
            _not_captured("ONLINE_PAYMENT_DVCQG", "TTHC có phí, lệ phí thanh toán qua Cổng DVCQG", 2),
        ],
    )


def _digitisation(procedures: list[ProcedureFacts], dossiers: list[DossierFacts]) -> Group:
    def dossier_ratio(
        code: str,
        name: str,
        rows: list[DossierFacts],
        counts: Callable[[DossierFacts], bool],
        maximum: float,
        full_at: float = 1.0,
    ) -> Indicator:
        return _ratio_indicator(code, name, rows, counts, _capped(maximum, full_at), maximum=maximum, source="dossier")

    finished = [d for d in dossiers if d.finished_on is not None]
    return Group(
        "DIGITISATION",
        "Số hóa hồ sơ",
        22,
        [
            dossier_ratio(
                "ORIGINAL_RESULT_AVAILABLE",
                "Hồ sơ có kết quả điện tử có giá trị pháp lý",
                finished,
                lambda d: d.electronic_result,
                6,
            ),
            dossier_ratio(
                "SO_HOA_GIAY_TO_GIAI_QUYET",
                "Hồ sơ có thành phần được số hóa",
                dossiers,
                lambda d: d.components_digitised > 0,
                4,
            ),
            _not_captured("ELECTRONIC_CERTIFIED_COPY", "Xã cung cấp chứng thực bản sao điện tử từ bản chính", 2),
            dossier_ratio(
                "REUSED_DIGITIZED_DATA",
                "Hồ sơ được cắt giảm, thay thế thành phần bằng dữ liệu sẵn có",
                dossiers,
                lambda d: d.components_reused > 0,
                2,
                full_at=REUSE_FULL_AT,
            ),
            _not_captured(
                "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
                "Hồ sơ số hóa được kết nối, chia sẻ với Kho dữ liệu cá nhân trên Cổng DVCQG",
                4,
            ),
            dossier_ratio(
                "CITIZEN_DATA_CONNECTED_DOSSIER",
                "Hồ sơ sử dụng dữ liệu từ CSDL quốc gia về dân cư",
                dossiers,
                lambda d: d.population_data_used,
                2,
            ),
            _ratio_indicator(
                "CITIZEN_DATA_CONNECTED_FORMALITY",
                "TTHC kết nối dữ liệu dân cư",
                procedures,
                lambda p: p.uses_population_data,
                _capped(2, 1.0),
                maximum=2,
                source="procedure",
            ),
        ],
    )


def _satisfaction(petitions: list[PetitionFacts], dossiers: list[DossierFacts]) -> Group:
    def satisfied(rating: int | None) -> bool:
        return rating is not None and rating >= SATISFIED_FROM

    # With no petitions at all each PAKN indicator earns its 6 points (the reading the project reproduced against
    # the portal's scores), not the spreadsheet's "split between the other criteria" (docs/monitoring.md).
    def pakn(n: int, d: int) -> float | None:
        return 6 * n / d if d else (6.0 if not petitions else None)

    rated = [d for d in dossiers if d.rating is not None]
    return Group(
        "SATISFACTION",
        "Mức độ hài lòng",
        18,
        [
            _not_captured("CUT_SIMPLIFY_SATISFACTION", "Mức độ hài lòng về cắt giảm, đơn giản hóa TTHC", None),
            _ratio_indicator(
                "PETITION_CLASSIFICATION_TTHC",
                "Phản ánh, kiến nghị về quy định hành chính",
                petitions,
                lambda p: p.about_rules,
                None,
                maximum=None,
                source="petition",
            ),
            _ratio_indicator(
                "PETITION_CLASSIFICATION_STAFF",
                "Phản ánh, kiến nghị về hành vi của cán bộ, công chức",
                petitions,
                lambda p: not p.about_rules,
                None,
                maximum=None,
                source="petition",
            ),
            _ratio_indicator(
                "PETITION_PROCESSING_ON_TIME",
                "Phản ánh, kiến nghị được xử lý đúng hạn",
                petitions,
                lambda p: p.answered_on is not None and p.answered_on <= p.due_on,
                pakn,
                maximum=6,
                source="petition",
            ),
            _ratio_indicator(
                "PETITION_HANDLING_SATISFACTION",
                "Mức độ hài lòng về xử lý phản ánh, kiến nghị",
                [p for p in petitions if p.satisfaction is not None],
                lambda p: satisfied(p.satisfaction),
                pakn,
                maximum=6,
                source="petition",
            ),
            _ratio_indicator(
                "DOSSIER_RECEIVING_SATISFACTION",
                "Mức độ hài lòng về tiếp nhận, giải quyết TTHC",
                rated,
                lambda d: satisfied(d.rating),
                lambda n, d: min(6, 6 * (n / d) / SATISFACTION_FULL_AT) if d else 0.0,
                maximum=6,
                source="dossier",
            ),
        ],
    )


def _index(
    unit: AdministrativeUnit,
    period: Period,
    dossiers: list[DossierFacts],
    procedures: list[ProcedureFacts],
    petitions: list[PetitionFacts],
    today: date,
    agency: str = "",
) -> Index766:
    if agency:  # an agency answers for its procedures, their dossiers and the petitions about those dossiers
        dossiers = [d for d in dossiers if d.agency == agency]
        procedures = [p for p in procedures if p.agency == agency]
        petitions = [p for p in petitions if p.agency == agency]
    groups = [
        _transparency(procedures),
        _progress(dossiers, today),
        _online_services(procedures, dossiers),
        _payment(procedures, dossiers),
        _digitisation(procedures, dossiers),
        _satisfaction(petitions, dossiers),
    ]
    return Index766(unit_code=unit.code, unit_name=unit.name, period=period, groups=groups, agency=agency)


def index766_compute(
    *,
    unit: AdministrativeUnit,
    period: Period,
    today: date | None = None,
    agency: str = "",
) -> Index766:
    """The index of a 2025 commune or the province (every commune's dossiers included) for a period, of one
    deciding agency if `agency` is given. `today` decides whether an open dossier is still within its deadline."""
    start, end = period.bounds()
    dossiers = index_dossiers(unit=unit, start=start, end=end)
    petitions = index_petitions(unit=unit, start=start, end=end)
    procedures = index_procedures(unit=unit)
    return _index(unit, period, dossiers, procedures, petitions, today or timezone.localdate(), agency)


def index766_communes(
    *,
    province: AdministrativeUnit,
    communes: list[AdministrativeUnit],
    period: Period,
    today: date | None = None,
    agency: str = "",
) -> list[Index766]:
    """The index of each commune of `province`, as index766_compute gives it, from one read of the province's
    dossiers and petitions (a ranking of 124 communes is three queries, not 372)."""
    if not communes:
        return []
    start, end = period.bounds()
    by_path: dict[str, tuple[list[DossierFacts], list[PetitionFacts]]] = {c.path: ([], []) for c in communes}

    def bucket(path: str) -> tuple[list[DossierFacts], list[PetitionFacts]] | None:
        # Paths are "2025/86/29263/": the commune is the longest listed prefix of the receiving unit's path.
        parts = path.rstrip("/").split("/")
        for n in range(len(parts), 0, -1):
            found = by_path.get("/".join(parts[:n]) + "/")
            if found is not None:
                return found
        return None

    for dossier in index_dossiers(unit=province, start=start, end=end):
        if (found := bucket(dossier.unit_path)) is not None:
            found[0].append(dossier)
    for petition in index_petitions(unit=province, start=start, end=end):
        if (found := bucket(petition.unit_path)) is not None:
            found[1].append(petition)
    procedures = index_procedures(unit=communes[0])  # the commune-level catalogue, the same for every commune
    today = today or timezone.localdate()
    indexes = []
    for commune in communes:
        dossiers, petitions = by_path[commune.path]
        indexes.append(_index(commune, period, dossiers, procedures, petitions, today, agency))
    return indexes


def index766_for(
    *, unit_code: str, period: str, period_type: str | None = None, today: date | None = None, agency: str = ""
) -> Index766:
    """By unit code and period text, of one deciding agency if given; raises UnknownUnitError, PeriodError or
    UnknownAgencyError."""
    parsed = period_parse(period, period_type)
    unit = index_unit_get(code=unit_code)
    if unit is None:
        raise UnknownUnitError(unit_code)
    if agency and agency not in index_agencies():
        raise UnknownAgencyError(agency)
    return index766_compute(unit=unit, period=parsed, today=today, agency=agency)
