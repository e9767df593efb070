"""The provincial roll-up report: the data gathered from three communes' reports (accepted, submitted, returned),
the DOCX read back with python-docx, the XLSX with calamine, the PDF, the page and its downloads, the command."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from docx import Document
from pyhanko.pdf_utils.reader import PdfFileReader
from python_calamine import CalamineWorkbook

from dean06.core.errors import PermissionDeniedError
from dean06.core.models import AuditEvent, User
from dean06.core.roles import Role
from dean06.monitoring.models import Plan, PlanTask
from dean06.monitoring.reports import report_accept, report_return, report_submit
from dean06.monitoring.rollup.data import Rollup, rollup_build
from dean06.monitoring.rollup.docx import rollup_docx
from dean06.monitoring.rollup.pdf import rollup_pdf
from dean06.monitoring.rollup.text import date_line
from dean06.monitoring.rollup.xlsx import rollup_xlsx
from dean06.monitoring.seed import PLAN_CODE
from dean06.registry.models import AdministrativeUnit
from dean06.registry.models.units import Era, Level
from dean06.testing import factories
from dean06.testing.auth import login
from dean06.testing.factories import LONG_DUC, PROVINCE, TRA_VINH

pytestmark = pytest.mark.django_db

PERIOD = "2026-10"
TODAY = date(2026, 11, 27)  # after the due day (18/11): communes without a version are late
FORMULA = "=SUM(A1:A9) máy quét chưa đủ"


@pytest.fixture
def group() -> User:
    return factories.user_with_role(Role.WORKING_GROUP, PROVINCE)


def _third_commune() -> AdministrativeUnit:
    commune = (
        AdministrativeUnit.objects.filter(
            era=Era.Y2025, level=Level.COMMUNE, path__startswith=factories.unit(PROVINCE).path
        )
        .exclude(code__in=[LONG_DUC, TRA_VINH])
        .order_by("code")
        .first()
    )
    assert commune is not None
    return commune


def _submit(plan: Plan, unit: AdministrativeUnit, task: PlanTask, **row: Any) -> int:
    officer = factories.user_with_role(Role.ONE_STOP_OFFICER, unit.code)
    line = {"task_id": task.pk, "status": PlanTask.Status.IN_PROGRESS, "percent": 50, "done": "", "difficulties": ""}
    report = report_submit(
        actor=officer, unit=unit, plan=plan, period=PERIOD, tasks=[line | {"proposals": ""} | row], kpis={}
    )
    return report.pk


@pytest.fixture
def task(plan: Plan, group: User) -> PlanTask:
    """A task the communes report on, with one accepted, one submitted and one returned report."""
    task = plan.tasks.filter(reported_by_communes=True).order_by("group__order", "order").first()
    assert task is not None
    accepted = _submit(
        plan,
        factories.unit(LONG_DUC),
        task,
        percent=60,
        done="Đã triển khai tại bộ phận một cửa",
        difficulties=FORMULA,
        proposals="Đề nghị tỉnh cấp thêm máy quét",
    )
    report_accept(actor=group, report_id=accepted)
    _submit(plan, factories.unit(TRA_VINH), task, status=PlanTask.Status.DONE, percent=80, done="Hoàn thành 100 %")
    returned = _submit(plan, _third_commune(), task, percent=10, difficulties="Văn bản bị trả lại")
    report_return(actor=group, report_id=returned, comment="Bổ sung số liệu")
    return task


def _rollup(plan: Plan, group: User) -> Rollup:
    return rollup_build(actor=group, plan=plan, period=PERIOD, today=TODAY)


def test_the_rollup_counts_the_units_and_takes_their_latest_counted_versions(
    plan: Plan, group: User, task: PlanTask
) -> None:
    rollup = _rollup(plan, group)
    reporting = rollup.reporting
    expected = AdministrativeUnit.objects.filter(
        era=Era.Y2025, level=Level.COMMUNE, path__startswith=plan.unit.path
    ).count()
    assert reporting.expected == expected > 3
    assert (reporting.accepted, reporting.submitted, reporting.returned) == (1, 1, 1)
    assert reporting.not_reported == reporting.late == expected - 3  # the returned one did send a version
    assert rollup.subject == "Kết quả triển khai Đề án 06 tháng 10/2026"
    assert rollup.date_line == "Vĩnh Long, ngày 27 tháng 11 năm 2026"

    line = next(t for t in rollup.tasks if t.code == task.code)
    assert [u.unit_name for u in line.units] == [factories.unit(c).name for c in sorted([LONG_DUC, TRA_VINH])]
    assert line.average_percent == 70
    assert dict(line.by_status) == {"Đang thực hiện": 1, "Đã hoàn thành": 1}
    assert [(i.unit_name, i.text) for i in rollup.difficulties] == [(factories.unit(LONG_DUC).name, FORMULA)]
    assert "Văn bản bị trả lại" not in {i.text for i in rollup.difficulties}  # a returned version is left out
    other = next(t for t in rollup.tasks if not t.reported_by_communes)
    assert other.units == () and other.situation == "Chưa thực hiện"
    assert [t.code for t in rollup.tasks] == list(
        plan.tasks.order_by("group__order", "order").values_list("code", flat=True)
    )
    assert len(rollup.next_tasks) == plan.tasks.count()  # none done yet
    assert {k.code for k in rollup.kpis} >= {"EID_LEVEL2_ADULTS", "DOSSIER_ONLINE"}
    assert next(k for k in rollup.kpis if k.code == "DOSSIER_ONLINE").display.startswith("Chưa có dữ liệu")
    assert len(rollup.index766.groups) == 6
    assert len(rollup.index766.top) == 5 and rollup.index766.top[0].rank == 1
    assert rollup.index766.bottom[-1].rank == expected


def test_the_rollup_needs_report_review_over_the_plan(plan: Plan) -> None:
    with pytest.raises(PermissionDeniedError):
        rollup_build(actor=factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC), plan=plan, period=PERIOD)


def test_the_date_line_writes_small_days_and_early_months_with_a_zero() -> None:
    assert date_line("Vĩnh Long", date(2026, 2, 5)) == "Vĩnh Long, ngày 05 tháng 02 năm 2026"
    assert date_line("Vĩnh Long", date(2026, 11, 27)) == "Vĩnh Long, ngày 27 tháng 11 năm 2026"


def _docx_text(content: bytes) -> list[str]:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                lines.extend(p.text for p in cell.paragraphs)
    return lines


def test_the_docx_has_the_administrative_layout(plan: Plan, group: User, task: PlanTask) -> None:
    rollup = _rollup(plan, group)
    content = rollup_docx(rollup)
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # type: ignore[union-attr]
    assert round(section.left_margin.mm) == 30  # type: ignore[union-attr]
    header = document.tables[0]
    agency, motto = (cell.text for cell in header.rows[0].cells)
    assert agency.splitlines() == ["UBND TỈNH VĨNH LONG", "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06", "Số: …/BC-TCT"]
    assert motto.splitlines() == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Vĩnh Long, ngày 27 tháng 11 năm 2026",
    ]
    assert header.rows[0].cells[1].paragraphs[2].runs[0].italic
    assert document.styles["Normal"].font.name == "Times New Roman"
    lines = _docx_text(content)
    assert "BÁO CÁO" in lines and "Kết quả triển khai Đề án 06 tháng 10/2026" in lines
    assert "Nơi nhận:" in lines
    for recipient in ("Chủ tịch UBND tỉnh (b/c);", "Bộ Công an (C06) (b/c);", "Văn phòng Chính phủ (b/c);", "Lưu: VT."):
        assert f"- {recipient}" in lines
    assert {"TM. TỔ CÔNG TÁC", "TỔ TRƯỞNG"} <= set(lines)
    line = next(t for t in rollup.tasks if t.code == task.code)
    assert task.code in lines and line.situation in lines and "70 %" in lines
    kpi = rollup.kpis[0]
    assert kpi.name in lines and kpi.display in lines
    assert any(FORMULA in text for text in lines)


def test_the_xlsx_has_the_same_content_and_no_formula(plan: Plan, group: User, task: PlanTask) -> None:
    rollup = _rollup(plan, group)
    book = CalamineWorkbook.from_filelike(io.BytesIO(rollup_xlsx(rollup)))
    assert book.sheet_names == ["Tổng hợp", "Nhiệm vụ", "Số liệu đơn vị", "Chỉ tiêu", "Chỉ số 766"]
    summary = book.get_sheet_by_name("Tổng hợp").to_python()
    assert summary[1] == ["UBND TỈNH VĨNH LONG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert ["Đã tiếp nhận", 1.0] in summary
    units = book.get_sheet_by_name("Số liệu đơn vị").to_python()
    long_duc = next(row for row in units if row[1] == factories.unit(LONG_DUC).name)
    assert long_duc[0] == task.code and long_duc[3] == 60
    assert long_duc[5] == "'" + FORMULA  # the formula stays text
    tasks = book.get_sheet_by_name("Nhiệm vụ").to_python()
    assert next(row for row in tasks if row[1] == task.code)[8] == 70
    kpis = book.get_sheet_by_name("Chỉ tiêu").to_python()
    assert [row[0] for row in kpis[1:]] == [k.code for k in rollup.kpis]


def test_the_pdf_is_a_titled_a4_document(plan: Plan, group: User, task: PlanTask) -> None:
    content = rollup_pdf(_rollup(plan, group))
    assert content.startswith(b"%PDF")
    reader = PdfFileReader(io.BytesIO(content))
    info = reader.trailer["/Info"]
    assert "BÁO CÁO" in str(info["/Title"]) and "tháng 10/2026" in str(info["/Title"])
    first = reader.root["/Pages"]["/Kids"][0]
    assert [round(float(v)) for v in first["/MediaBox"]] == [0, 0, 595, 842]  # A4 in points
    assert int(reader.root["/Pages"]["/Count"]) >= 2


def _url(**params: str) -> str:
    return reverse("monitoring:rollup") + "?" + "&".join(f"{k}={v}" for k, v in params.items())


def test_the_page_previews_and_downloads_for_the_working_group(plan: Plan, group: User, task: PlanTask) -> None:
    client = login(Client(), group)
    response = client.get(reverse("monitoring:rollup"))  # the first plan, last month
    assert response.status_code == 200
    response = client.get(_url(plan=str(plan.pk), period=PERIOD))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kết quả triển khai Đề án 06 tháng 10/2026" in page and "format=docx" in page

    for extension, start in (("docx", b"PK"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        response = client.get(_url(plan=str(plan.pk), period=PERIOD, format=extension))
        assert response.status_code == 200
        assert response.content.startswith(start)
        assert f"-{PERIOD}.{extension}" in response["Content-Disposition"]
    exports = AuditEvent.objects.filter(action="rollup.export", actor_id=group.pk).order_by("seq")
    assert [e.details for e in exports] == [{"format": f, "period": PERIOD} for f in ("docx", "xlsx", "pdf")]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "2026-13"}, "Kỳ báo cáo phải là một tháng dạng YYYY-MM"),
        ({"period": "10/2026"}, "Kỳ báo cáo phải là một tháng dạng YYYY-MM"),
        ({"period": "2026-Q4"}, "Kỳ báo cáo phải là một tháng dạng YYYY-MM"),
        ({"plan": "999999"}, "Kế hoạch không có hoặc không thuộc đơn vị của bạn"),
        ({"plan": "abc"}, "Kế hoạch không có hoặc không thuộc đơn vị của bạn"),
        ({"format": "exe"}, "Định dạng tải về phải là DOCX, XLSX hoặc PDF"),
    ],
)
def test_bad_input_is_a_form_error(plan: Plan, group: User, params: dict[str, str], message: str) -> None:
    query = {"plan": str(plan.pk), "period": PERIOD} | params
    response = login(Client(), group).get(_url(**query))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="rollup.export").exists()


def test_a_commune_officer_may_not_see_the_rollup(plan: Plan) -> None:
    client = login(Client(), factories.user_with_role(Role.ONE_STOP_OFFICER, LONG_DUC))
    assert client.get(_url(plan=str(plan.pk), period=PERIOD)).status_code == 403


def test_the_command_writes_the_file_and_refuses_bad_input(plan: Plan, tmp_path: Path) -> None:
    output = tmp_path / "bao-cao.docx"
    call_command("rollup", plan=PLAN_CODE, period=PERIOD, format="docx", output=str(output))
    assert "TỔ TRƯỞNG" in _docx_text(output.read_bytes())
    assert AuditEvent.objects.filter(action="rollup.export", actor_id__isnull=True, details__format="docx").exists()
    for arguments in ({"plan": "KHONG-CO"}, {"period": "2026-13"}, {"output": str(tmp_path / "no" / "x.docx")}):
        options = {"plan": PLAN_CODE, "period": PERIOD, "format": "docx", "output": str(output)} | arguments
        with pytest.raises(CommandError) as caught:
            call_command("rollup", **options)
        assert caught.value.returncode == 2
