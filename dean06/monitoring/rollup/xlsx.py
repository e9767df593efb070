"""The roll-up as a workbook: one sheet each for the summary, the tasks, the units' figures, the KPIs and the
Decision 766 index. Every text goes through dean06.core.exports.cell() (formula injection); figures stay numbers."""

from __future__ import annotations

from dean06.core.xlsx import Sheet, Value, xlsx_tables
from dean06.monitoring.rollup.data import Rollup
from dean06.monitoring.rollup.text import COLUMNS, MOTTO, SECTIONS, TITLE


def _summary(rollup: Rollup) -> list[list[Value]]:
    header = rollup.header
    rows: list[list[Value]] = [
        [header.governing_body, MOTTO],
        [header.issuing_body, rollup.date_line],
        [header.number, ""],
        [TITLE, rollup.subject],
        ["Kế hoạch", f"{rollup.plan_code} — {rollup.plan_title}"],
        ["Đơn vị", rollup.unit_name],
        ["", ""],
        [SECTIONS["reporting"], ""],
    ]
    rows += [[label, count] for label, count in rollup.reporting.rows()]
    if rollup.reporting.late_units:
        rows.append(["Đơn vị chưa gửi, quá hạn", ", ".join(rollup.reporting.late_units)])
    return rows


def rollup_xlsx(rollup: Rollup) -> bytes:
    sheets = [Sheet("Tổng hợp", ["Nội dung", "Giá trị"], _summary(rollup), (55, 80))]
    tasks = Sheet(
        "Nhiệm vụ",
        [
            "Nhóm",
            *COLUMNS["tasks"][:3],
            "Trạng thái",
            "Các xã báo cáo",
            "Số đơn vị báo cáo",
            "Tình hình thực hiện",
            "Tỷ lệ hoàn thành TB (%)",
            "Thời hạn",
        ],
        [
            [
                t.group,
                t.code,
                t.title,
                t.lead,
                t.status,
                "Có" if t.reported_by_communes else "Không",
                len(t.units),
                t.situation,
                t.average_percent,
                t.deadline,
            ]
            for t in rollup.tasks
        ],
        (30, 12, 60, 30, 16, 12, 12, 40, 14, 16),
    )
    figures = Sheet(
        "Số liệu đơn vị",
        [
            "Mã nhiệm vụ",
            "Xã, phường",
            "Trạng thái",
            "Tỷ lệ hoàn thành (%)",
            "Kết quả",
            "Khó khăn, vướng mắc",
            "Đề xuất, kiến nghị",
        ],
        [
            [t.code, u.unit_name, u.status, u.percent, u.done, u.difficulties, u.proposals]
            for t in rollup.tasks
            for u in t.units
        ],
        (12, 25, 16, 12, 50, 50, 50),
    )
    kpis = Sheet(
        "Chỉ tiêu",
        ["Mã", *COLUMNS["kpis"], "Giá trị (%)", "Cận dưới", "Ghi chú"],
        [[k.code, k.name, k.figures, k.display, k.value, "Có" if k.lower_bound else "", k.reason] for k in rollup.kpis],
        (22, 60, 16, 20, 12, 10, 60),
    )
    index = rollup.index766
    rows: list[list[Value]] = [["Tổng điểm", index.total, 100]]
    rows += [[g.name, g.score, g.maximum] for g in index.groups]
    rows += [["", None, None]]
    rows += [[f"Điểm cao — hạng {r.rank}: {r.unit_name}", r.total, None] for r in index.top]
    rows += [[f"Điểm thấp — hạng {r.rank}: {r.unit_name}", r.total, None] for r in index.bottom]
    sheets += [tasks, figures, kpis, Sheet("Chỉ số 766", list(COLUMNS["groups"]), rows, (60, 12, 10))]
    return xlsx_tables(sheets)
