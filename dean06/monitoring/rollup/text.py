"""The fixed wording of the provincial roll-up report, shared by the DOCX, XLSX, PDF and preview renderings.

The report is an administrative document in Vietnamese whatever the interface language, so this wording is not
translated (docs/monitoring.md, "Provincial roll-up report").
"""

from __future__ import annotations

from datetime import date
from typing import Final

MOTTO: Final = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_LINE: Final = "Độc lập - Tự do - Hạnh phúc"
TITLE: Final = "BÁO CÁO"
RECIPIENTS_LABEL: Final = "Nơi nhận:"
NO_DATA: Final = "Chưa có dữ liệu"

SECTIONS: Final = {
    "reporting": "I. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ CẤP XÃ",
    "tasks": "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ",
    "kpis": "III. CÁC CHỈ TIÊU CỦA ĐỀ ÁN 06",
    "index766": "IV. BỘ CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QUYẾT ĐỊNH 766/QĐ-TTg)",
    "issues": "V. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ",
    "next": "VI. NHIỆM VỤ TRỌNG TÂM THÁNG TỚI",
}

# Column headings of the document's tables, by table.
COLUMNS: Final = {
    "reporting": ("Tình hình", "Số đơn vị"),
    "tasks": ("Mã", "Nhiệm vụ", "Chủ trì", "Tình hình thực hiện", "Tỷ lệ TB"),
    "kpis": ("Chỉ tiêu", "Tử số / mẫu số", "Kết quả"),
    "groups": ("Nhóm chỉ số", "Điểm", "Tối đa"),
    "ranking": ("Hạng", "Xã, phường", "Tổng điểm"),
    "next": ("Mã", "Nhiệm vụ", "Chủ trì", "Thời hạn"),
}


def number_vi(value: float, digits: int = 2) -> str:
    """A figure as Vietnamese writes it: decimal comma, no trailing zeros ("75,5", "100")."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def date_vi(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def date_line(place: str, day: date) -> str:
    """ "Vĩnh Long, ngày 05 tháng 02 năm 2026": Decree 30/2020 writes days below 10 and months 1, 2 with a 0."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def labels() -> dict[str, object]:
    """The wording above, for the templates (preview and PDF)."""
    return {
        "motto": MOTTO,
        "motto_line": MOTTO_LINE,
        "title": TITLE,
        "recipients": RECIPIENTS_LABEL,
        "sections": SECTIONS,
        "columns": COLUMNS,
    }
