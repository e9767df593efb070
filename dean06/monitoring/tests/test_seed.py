"""The plan document parser (pure Python): every task of the province plan, its units and its deadline."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest

from dean06.monitoring.seed import SEED_PATH, ParsedPlan, ParsedTask, deadline_parse, plan_parse, plan_read


@pytest.fixture(scope="module")
def plan() -> ParsedPlan:
    return plan_read()


def _task(plan: ParsedPlan, code: str) -> ParsedTask:
    return next(task for task in plan.tasks if task.code == code)


def test_the_seed_ships_inside_the_app() -> None:
    assert SEED_PATH.is_file()
    assert "dean06/monitoring/seeds" in SEED_PATH.as_posix()


def test_every_numbered_item_is_a_task(plan: ParsedPlan) -> None:
    text = SEED_PATH.read_text(encoding="utf-8")
    # Counted independently: lines that start with "(n)".
    numbered_lines = re.findall(r"^\s*\(\d+\)\s", text, flags=re.MULTILINE)
    numbered_tasks = [task for task in plan.tasks if re.fullmatch(r"\(\d+\)", task.number)]
    assert len(numbered_tasks) == len(numbered_lines)
    # Counted by reading the document: A 1.(1)-(3); B 2.3.(1)-(2), 2.4.(1)-(5), 3.(1)-(5), 4.(1)-(2), 5.(1)-(3).
    assert len(numbered_tasks) == 20


def test_assigned_headings_and_section_iii_duties_are_tasks_too(plan: ParsedPlan) -> None:
    # B.1, B.6, B.7 carry an "Đơn vị tham mưu" line but no "(n)" items; section III has three duties under each
    # of its two headings.
    assert [task.code for task in plan.tasks if task.number == f"{task.code.split('.')[1]}."] == ["B.1", "B.6", "B.7"]
    assert [task.code for task in plan.tasks if task.group == "III"] == [
        "III.1.1",
        "III.1.2",
        "III.1.3",
        "III.2.1",
        "III.2.2",
        "III.2.3",
    ]
    assert len(plan.tasks) == 29
    assert [task.order for task in plan.tasks] == list(range(1, 30))


def test_codes_are_unique_though_numbers_restart(plan: ParsedPlan) -> None:
    codes = [task.code for task in plan.tasks]
    assert len(codes) == len(set(codes))
    assert sum(1 for task in plan.tasks if task.number == "(1)") == 6


def test_groups_as_headed(plan: ParsedPlan) -> None:
    # The document has groups A and B in section II (no group C) and section III.
    assert [(group.code, group.title, group.order) for group in plan.groups] == [
        ("A", "VỀ NHÓM NHẬN THỨC", 1),
        ("B", "NHÓM THAM MƯU TRIỂN KHAI THỰC HIỆN ĐỀ ÁN", 2),
        ("III", "TỔ CHỨC THỰC HIỆN", 3),
    ]
    assert {task.group for task in plan.tasks} == {"A", "B", "III"}


def test_a_task_led_with_a_partner_and_a_month(plan: ParsedPlan) -> None:
    task = _task(plan, "A.1.(1)")
    assert task.number == "(1)"
    assert task.title.startswith("Tham mưu với đồng chí Bí thư tỉnh ủy, Chủ tịch Ủy ban nhân dân (UBND) tỉnh")
    assert task.heading == "1. Về công tác tham mưu, chỉ đạo, triển khai"
    assert task.lead == "Công an tỉnh"
    assert task.coordinating == ["Văn phòng UBND tỉnh"]
    assert task.deadline_text == "Thực hiện hoàn thành trong tháng 01/2023"
    assert (task.deadline, task.recurrence) == (date(2023, 1, 31), "once")


def test_a_milestone_then_ongoing(plan: ParsedPlan) -> None:
    task = _task(plan, "A.1.(2)")
    assert task.lead == "Văn phòng UBND tỉnh"
    assert task.coordinating == ["Công an tỉnh"]
    assert task.deadline_text == "Thực hiện hoàn thành trong tháng 02/2023 và thực hiện thường xuyên"
    assert (task.deadline, task.recurrence) == (date(2023, 2, 28), "ongoing")


def test_joint_leads_and_before_a_month(plan: ParsedPlan) -> None:
    task = _task(plan, "A.1.(3)")
    assert task.lead == "Sở Tài chính, Sở Kế hoạch và Đầu tư"
    assert task.coordinating == []
    assert (task.deadline_text, task.deadline) == ("Thực hiện hoàn thành trước tháng 3/2023", date(2023, 2, 28))


def test_several_partners_and_a_quarter(plan: ParsedPlan) -> None:
    task = _task(plan, "B.2.4.(3)")
    assert task.title.startswith("Điều tra cơ bản đặc thù địa bàn")
    assert task.lead == "Văn phòng UBND tỉnh"
    assert task.coordinating == ["Sở Thông tin và Truyền thông", "Công an tỉnh", "UBND cấp huyện"]
    assert (task.deadline_text, task.deadline, task.recurrence) == (
        "Thực hiện xong trong Quý I/2023",
        date(2023, 3, 31),
        "once",
    )
    task = _task(plan, "B.2.4.(4)")
    assert task.lead == "Sở Nội vụ"
    assert task.coordinating == ["Văn phòng UBND tỉnh", "Sở Thông tin và Truyền thông", "UBND cấp huyện"]
    assert task.deadline == date(2023, 12, 31)


def test_a_partner_list_with_commas_stays_whole(plan: ParsedPlan) -> None:
    task = _task(plan, "B.1")
    assert task.title.startswith("Về pháp lý: Tham mưu với UBND cùng cấp rà soát")
    assert task.lead == "Sở Tư pháp"
    assert task.coordinating == ["các sở, ban, ngành có liên quan"]
    assert task.deadline == date(2023, 2, 28)


def test_a_task_with_steps_and_a_bulleted_assignment(plan: ParsedPlan) -> None:
    task = _task(plan, "B.3.(1)")
    assert task.title.startswith("Chỉ đạo các cơ sở y tế, bệnh viện sử dụng thẻ CCCD gắn chip tích hợp BHYT")
    assert "Bước 1: Người dân sử dụng thẻ CCCD gắn chip" in task.content
    assert task.lead == "Sở Y tế"
    assert task.coordinating == ["Công an tỉnh"]
    assert task.deadline_text.endswith("thực hiện thường xuyên việc sử dụng thẻ CCCD để khám chữa bệnh")
    assert (task.deadline, task.recurrence) == (date(2023, 2, 28), "ongoing")


def test_a_start_is_not_a_deadline(plan: ParsedPlan) -> None:
    task = _task(plan, "B.3.(4)")
    assert task.lead == "Sở Lao động Thương binh và Xã hội"
    assert task.deadline_text == "bắt đầu triển khai trong Quí I/2023"
    assert (task.deadline, task.recurrence) == (None, "ongoing")
    # The guidance after "cụ thể:" is part of the task.
    assert "Công an cấp xã thực hiện xác thực thông tin" in task.content
    task = _task(plan, "B.5.(2)")
    assert task.coordinating == ["Công an tỉnh", "Tổ công tác cấp xã"]
    assert (task.deadline_text, task.deadline, task.recurrence) == ("Thực hiện từ Quý I/2023", None, "ongoing")


def test_a_lead_without_chu_tri(plan: ParsedPlan) -> None:
    task = _task(plan, "B.4.(1)")
    assert task.lead == "Công an tỉnh"
    assert task.responsibility.startswith("Công an tỉnh chỉ đạo Công an cấp huyện và Công an cấp xã")
    assert (task.deadline_text, task.deadline, task.recurrence) == ("thực hiện thường xuyên", None, "ongoing")
    task = _task(plan, "B.7")
    assert task.lead == "Sở Văn hóa thể thao và du lịch, Đài phát thanh – Truyền hình, UBND cấp huyện"


def test_requirements_without_an_assignment_have_no_lead(plan: ParsedPlan) -> None:
    # 2.3 "Hạ tầng công nghệ" numbers two lists of requirements and names no unit: kept as written.
    task = _task(plan, "B.2.3.(1)")
    assert task.title == "Đối với người dân"
    assert (task.lead, task.coordinating, task.deadline_text, task.deadline) == ("", [], "", None)
    assert "Phải phủ sóng internet" in task.content


def test_section_iii_duties(plan: ParsedPlan) -> None:
    plan_submission = _task(plan, "III.1.2")
    assert plan_submission.lead == "Các Sở, ngành, Ủy ban nhân dân các huyện, thị xã, thành phố"
    assert plan_submission.deadline_text == "trước ngày 15/02/2023"
    assert (plan_submission.deadline, plan_submission.recurrence) == (date(2023, 2, 15), "once")
    monthly_report = _task(plan, "III.1.3")
    assert monthly_report.title.startswith("Định kỳ trước ngày 18 hàng tháng, báo cáo tình hình")
    assert (monthly_report.deadline_text, monthly_report.recurrence) == ("Định kỳ trước ngày 18 hàng tháng", "monthly")
    police = _task(plan, "III.2.1")
    assert (police.lead, police.coordinating) == ("Công an tỉnh", ["Văn phòng UBND tỉnh"])


def test_text_is_nfc_and_single_spaced(plan: ParsedPlan) -> None:
    for task in plan.tasks:
        for value in (task.title, task.lead, task.deadline_text, *task.coordinating):
            assert value == unicodedata.normalize("NFC", value)
            assert "  " not in value and "\t" not in value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thực hiện hoàn thành trong tháng 12/2023", (date(2023, 12, 31), "once")),
        ("Thực hiện trước tháng 1/2024", (date(2023, 12, 31), "once")),
        ("hoàn thành trong Quý IV/2023", (date(2023, 12, 31), "once")),
        ("trong Quý II/2024", (date(2024, 6, 30), "once")),
        ("báo cáo hằng quý", (None, "quarterly")),
        ("rà soát hàng năm", (None, "yearly")),
        ("trước ngày 18 hằng tháng", (None, "monthly")),
        ("trong tháng 02/2023 hoặc tháng 03/2023", (None, "once")),  # two dates: not clear
        ("", (None, "once")),
    ],
)
def test_deadline_parse(text: str, expected: tuple[date | None, str]) -> None:
    assert deadline_parse(text) == expected


def test_a_plan_without_tasks_parses_empty() -> None:
    parsed = plan_parse("I. MỤC ĐÍCH\n\n- Một ý.\n")
    assert (parsed.groups, parsed.tasks) == ([], [])


def test_the_parser_imports_no_django() -> None:
    # seed.py is pure (no import-linter contract names it yet, so check its own imports here).
    source = (SEED_PATH.parent.parent / "seed.py").read_text(encoding="utf-8")
    assert "django" not in re.findall(r"^(?:from|import)\s+(\w+)", source, flags=re.MULTILINE)


def test_labelled_fields_of_a_form_style_plan() -> None:
    text = "\n".join(
        [
            "II. NHIỆM VỤ",
            "A. NHÓM THỂ CHẾ",
            "1. Về pháp lý",
            "(1) Rà soát văn bản quy phạm pháp luật",
            "- Chủ trì: Sở Tư pháp",
            "- Phối hợp: Công an tỉnh, Văn phòng UBND tỉnh; UBND cấp xã",
            "- Thời gian thực hiện: hoàn thành trong tháng 6/2026",
            "- Sản phẩm dự kiến: Báo cáo rà soát",
            "(2) Báo cáo tiến độ",
            "Đơn vị chủ trì: Công an tỉnh",
            "Thời hạn: hằng tháng",
            "Đơn vị tham mưu, thực hiện: Sở Nội vụ chủ trì, phối hợp Sở Tài chính. Thực hiện trong năm 2026.",
        ]
    )
    first, second = plan_parse(text).tasks
    assert (first.code, first.lead, first.coordinating) == (
        "A.1.(1)",
        "Sở Tư pháp",
        ["Công an tỉnh", "Văn phòng UBND tỉnh", "UBND cấp xã"],
    )
    assert (first.deadline_text, first.deadline, first.recurrence) == (
        "hoàn thành trong tháng 6/2026",
        date(2026, 6, 30),
        "once",
    )
    assert first.expected_output == "Báo cáo rà soát"
    # The labelled lines win; the sentence fills only the partners it names.
    assert (second.lead, second.coordinating, second.deadline_text) == ("Công an tỉnh", ["Sở Tài chính"], "hằng tháng")
    assert (second.deadline, second.recurrence) == (None, "monthly")
