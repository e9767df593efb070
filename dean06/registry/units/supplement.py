"""Communes of the home provinces retired *before* the NSO snapshot of 2025-01-04, with the resolution that
merged them. The snapshot (and so `vietnam_provinces.legacy`) no longer lists them, yet addresses printed on
older CCCD cards still do. Only merges confirmed by a public source are listed; everything else stays
"not found" rather than being guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

_TRA_VINH_1277: Final = (
    "Nghị quyết 1277/NQ-UBTVQH15 ngày 14/11/2024 (sắp xếp ĐVHC cấp xã tỉnh Trà Vinh 2023-2025), "
    "https://news.laodong.vn/thoi-su/tra-vinh-sap-nhap-3-phuong-thanh-mot-phuong-1424780.ldo"
)
_VINH_LONG_2024: Final = (
    "Nghị quyết của UBTVQH về sắp xếp ĐVHC cấp huyện, cấp xã tỉnh Vĩnh Long 2023-2025, hiệu lực 01/11/2024 "
    "(số nghị quyết chưa xác minh), https://phunuvietnam.vn/print/"
    "tu-1-11-2024-vinh-long-co-8-don-vi-cap-huyen102-xa-phuong-thi-tran-20241009154804696.htm"
)


@dataclass(frozen=True)
class RetiredCommune:
    """A pre-2025 commune merged whole into `merged_into` (a commune code present in the 2025-01-04 snapshot)."""

    district_code: str
    name: str
    kind: str
    merged_into: str
    effective: date
    source: str


RETIRED_COMMUNES: Final[tuple[RetiredCommune, ...]] = (
    # Thành phố Trà Vinh: Phường 2 and Phường 6 merged whole into Phường 3 (29242).
    RetiredCommune("842", "Phường 2", "phường", "29242", date(2025, 1, 1), _TRA_VINH_1277),
    RetiredCommune("842", "Phường 6", "phường", "29242", date(2025, 1, 1), _TRA_VINH_1277),
    # Vĩnh Long (old province 86): each merged whole into the named commune.
    RetiredCommune("855", "Phường 2", "phường", "29551", date(2024, 11, 1), _VINH_LONG_2024),  # → Phường 1
    RetiredCommune("863", "Xã Tân Hưng", "xã", "29782", date(2024, 11, 1), _VINH_LONG_2024),  # → Xã Tân An Thạnh
    RetiredCommune("857", "Xã Phú Đức", "xã", "29602", date(2024, 11, 1), _VINH_LONG_2024),  # → TT Long Hồ
    RetiredCommune("862", "Xã Thiện Mỹ", "xã", "29821", date(2024, 11, 1), _VINH_LONG_2024),  # → TT Trà Ôn
    RetiredCommune("860", "Xã Tường Lộc", "xã", "29719", date(2024, 11, 1), _VINH_LONG_2024),  # → TT Tam Bình
)
