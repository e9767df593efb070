"""Public services over JSON (mounted at /api/public-services/): the catalogue (public), a citizen's dossiers from
draft to submission, their status, and the citizen's document store. Thin wrappers around the same selectors and
services as the pages (views.py): scoping, the e-ID level rule, optimistic locking and audit happen there, and
their errors come out as {"detail": "…"} with 400/403/404/409 (config/api.py).

Attachments are reused from the citizen's document store by id; uploading files is left to the pages for now.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Final

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema, Status

from dean06.core.access import require_permission
from dean06.core.errors import ApplicationError, PermissionDeniedError
from dean06.core.models import User
from dean06.core.roles import Permission
from dean06.identity.eid.levels import eid_level
from dean06.public_services.choices import Channel, DossierStatus, FieldSource
from dean06.public_services.eforms import EForm, Prefilled, prefill
from dean06.public_services.models import CitizenDocument, Dossier
from dean06.public_services.selectors import (
    document_list_own,
    dossier_editable,
    dossier_get,
    dossier_list,
    dossier_list_audit,
    dossier_list_own,
    is_citizen,
    procedure_get,
    procedure_list,
    store_documents,
    store_references,
)
from dean06.public_services.services.dossiers import dossier_start, dossier_submit, dossier_timeliness

router = Router(tags=["public-services"])

# Bounds keep generated or hostile input out of the database: an id past the integer column's range would fail
# there (a 500), and a procedure code or search term is short printable ASCII, never a NUL byte (PostgreSQL).
_MAX_ID: Final = 2**31 - 1
_CODE_PATTERN: Final = r"^[A-Za-z0-9.\-]{1,20}$"
_EXAMPLE_CODE: Final = "VL-HT-KHAISINH"  # in the seeded catalogue: the schema's example is a real procedure
RowId = Annotated[int, Field(ge=1, le=_MAX_ID)]
DossierId = Annotated[int, Path(ge=1, le=_MAX_ID, description="Mã số nội bộ của hồ sơ (id).")]


# --- schemas -------------------------------------------------------------------------------------------------------


class ErrorOut(Schema):
    detail: str = Field(description="Thông báo lỗi bằng tiếng Việt.")


def _errors(*codes: int) -> dict[int, type[ErrorOut]]:
    return dict.fromkeys(codes, ErrorOut)


class DocumentRequirementOut(Schema):
    key: str = Field(description="Mã thành phần hồ sơ.")
    name: str = Field(description="Tên thành phần hồ sơ.")
    required: bool = Field(False, description="Bắt buộc phải có.")
    store_kind: str = Field("", description="Loại giấy tờ trong kho dữ liệu có thể dùng lại (rỗng nếu không).")


class FormFieldOut(Schema):
    name: str = Field(description="Tên trường (khóa trong `values` khi nộp).")
    label: str = Field(description="Nhãn hiển thị.")
    type: str = Field("text", description="text | date (dd/mm/yyyy) | select | textarea | id (12 chữ số).")
    required: bool = Field(False, description="Bắt buộc nhập.")
    source: str = Field(FieldSource.CITIZEN, description="Nguồn dữ liệu: eid | registry | document_store | citizen.")
    locked: bool = Field(False, description="Giá trị lấy sẵn không được khai lại.")
    choices: list[str] = Field(default_factory=list, description="Các lựa chọn của trường select.")
    help: str = Field("", description="Hướng dẫn nhập.")


class ProcedureOut(Schema):
    code: str = Field(description="Mã thủ tục hành chính.")
    name: str = Field(description="Tên thủ tục.")
    field_area: str = Field(description="Lĩnh vực.")
    agency: str = Field(description="Cơ quan giải quyết.")
    level: str = Field(description="Cấp thực hiện: province | commune.")
    processing_days: int = Field(description="Thời hạn giải quyết (ngày làm việc).")
    fee_vnd: int = Field(description="Phí, lệ phí (đồng).")
    fee_note: str = Field(description="Ghi chú phí, lệ phí.")
    legal_basis: str = Field(description="Căn cứ pháp lý.")
    documents: list[DocumentRequirementOut] = Field(description="Thành phần hồ sơ.")
    form: list[FormFieldOut] = Field(description="Biểu mẫu điện tử (tờ khai).")
    eid_level: int = Field(description="Mức tài khoản định danh điện tử tối thiểu để nộp trực tuyến.")
    fully_online: bool = Field(description="Dịch vụ công trực tuyến toàn trình.")
    online_payment: bool = Field(description="Cho phép thanh toán phí trực tuyến.")
    published_on: date | None = Field(description="Ngày công bố, công khai.")


class TimelinessOut(Schema):
    late: bool = Field(description="Trễ hạn (đã quá hạn hoặc giải quyết xong sau hạn).")
    warn: bool = Field(description="Sắp đến hạn (còn không quá một ngày làm việc).")
    working_days_left: int | None = Field(description="Số ngày làm việc còn lại; âm khi trễ; null khi đã xong.")


class DossierSummaryOut(Schema):
    id: int
    code: str = Field(description="Mã hồ sơ (in trên giấy tiếp nhận).")
    procedure_code: str
    procedure_name: str
    channel: str = Field(description="Kênh nộp: online | counter | post.")
    status: str = Field(description="Trạng thái: draft, received, assigned, in_progress, …")
    status_label: str = Field(description="Trạng thái bằng tiếng Việt.")
    version: int = Field(description="Phiên bản, gửi lại khi nộp (chống ghi đè đồng thời).")
    applicant_name: str = Field(description="Họ và tên người nộp.")
    applicant_personal_id: str = Field(description="Số định danh cá nhân của người nộp.")
    received_at: datetime | None = Field(description="Thời điểm tiếp nhận.")
    due_on: date | None = Field(description="Hạn trả kết quả.")
    timeliness: TimelinessOut


class EventOut(Schema):
    action: str = Field(description="Thao tác (submit, assign, approve, …).")
    from_status: str
    to_status: str
    note: str = Field(description="Ghi chú, lý do gửi người nộp.")
    at: datetime


class AttachmentOut(Schema):
    requirement: str = Field(description="Mã thành phần hồ sơ.")
    title: str
    digitised: bool = Field(description="Đã số hóa.")
    reused_document_id: int | None = Field(description="Giấy tờ dùng lại từ kho dữ liệu (id), nếu có.")


class StoreDocumentOut(Schema):
    id: int
    kind: str = Field(description="Loại giấy tờ (birth_certificate, …).")
    title: str
    issued_by: str = Field(description="Cơ quan cấp.")
    issued_on: date | None = Field(description="Ngày cấp.")
    signed: bool = Field(description="Có chữ ký số.")
    download_url: str = Field(description="Địa chỉ tải tệp (cùng phiên đăng nhập).")


class DossierOut(DossierSummaryOut):
    finished_at: datetime | None = Field(description="Giải quyết xong lúc.")
    returned_at: datetime | None = Field(description="Trả kết quả lúc.")
    fee_vnd: int = Field(description="Phí, lệ phí (đồng).")
    values: dict[str, str] = Field(description="Nội dung tờ khai đã lưu hoặc đã nộp.")
    events: list[EventOut] = Field(description="Lịch sử xử lý.")
    attachments: list[AttachmentOut] = Field(description="Thành phần hồ sơ đã nộp.")
    results: list[StoreDocumentOut] = Field(description="Kết quả đã ký số của hồ sơ.")


class FieldValueOut(FormFieldOut):
    value: str = Field("", description="Giá trị điền sẵn hoặc đã lưu.")
    prefilled: bool = Field(False, description='Giá trị được điền sẵn từ `source` ("chỉ khai một lần").')


class DossierFormOut(DossierSummaryOut):
    fields: list[FieldValueOut] = Field(description="Tờ khai với các giá trị điền sẵn và nguồn của chúng.")
    documents: list[DocumentRequirementOut] = Field(description="Thành phần hồ sơ của thủ tục.")
    reusable_documents: list[StoreDocumentOut] = Field(
        description="Giấy tờ trong kho dữ liệu của người nộp dùng lại được (gửi id trong `reuse` khi nộp)."
    )


class DossierPageOut(Schema):
    count: int = Field(description="Tổng số hồ sơ.")
    items: list[DossierSummaryOut]


class ProcedureFilter(Schema):
    q: str = Field("", max_length=100, description="Tìm theo mã hoặc tên thủ tục (có dấu hay không dấu).")


class DossierFilter(Schema):
    status: DossierStatus | None = Field(None, description="Chỉ hồ sơ ở trạng thái này (cán bộ).")
    late: bool = Field(False, description="Chỉ hồ sơ đang trễ hạn (cán bộ).")
    q: str = Field("", max_length=40, pattern=r"^[A-Za-z0-9\-]*$", description="Mã hồ sơ hoặc số định danh (cán bộ).")
    limit: int = Field(50, ge=1, le=200, description="Số hồ sơ mỗi trang.")
    offset: int = Field(0, ge=0, le=_MAX_ID, description="Bỏ qua bao nhiêu hồ sơ đầu.")


class DossierStartIn(Schema):
    procedure: str = Field(pattern=_CODE_PATTERN, description="Mã thủ tục cần nộp.", examples=[_EXAMPLE_CODE])


class DossierSubmitIn(Schema):
    version: RowId = Field(
        description="Phiên bản hồ sơ đã đọc (`version`); khác phiên bản hiện tại thì bị từ chối 409."
    )
    values: dict[str, str] = Field(
        default_factory=dict,
        description="Giá trị tờ khai theo tên trường; ngày dạng dd/mm/yyyy. Trường bị khóa luôn lấy giá trị điền sẵn.",
    )
    reuse: list[RowId] = Field(
        default_factory=list, max_length=50, description="Id giấy tờ trong kho dữ liệu dùng lại làm thành phần hồ sơ."
    )


# --- building responses --------------------------------------------------------------------------------------------


def _document_out(request: HttpRequest, document: CitizenDocument) -> dict[str, Any]:
    url = reverse("public_services:result_download", args=[document.pk])
    return {
        "id": document.pk,
        "kind": document.kind,
        "title": document.title,
        "issued_by": document.issued_by,
        "issued_on": document.issued_on,
        "signed": document.signed,
        "download_url": request.build_absolute_uri(url),
    }


def _summary_out(dossier: Dossier) -> dict[str, Any]:
    timeliness = dossier_timeliness(dossier)
    return {
        "id": dossier.pk,
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": str(DossierStatus(dossier.status).label),
        "version": dossier.version,
        "applicant_name": dossier.applicant.full_name,
        "applicant_personal_id": dossier.applicant.personal_id,
        "received_at": dossier.received_at,
        "due_on": dossier.due_on,
        "timeliness": {
            "late": timeliness.late,
            "warn": timeliness.warn,
            "working_days_left": timeliness.working_days_left,
        },
    }


def _dossier_out(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    # The same related rows the detail page shows (its events, attachments and results).
    attachments = [
        {"requirement": a.requirement, "title": a.title, "digitised": a.digitised, "reused_document_id": a.reused_id}
        for a in dossier.attachments.all()
    ]
    return _summary_out(dossier) | {
        "finished_at": dossier.finished_at,
        "returned_at": dossier.returned_at,
        "fee_vnd": dossier.fee_vnd,
        "values": {name: str(value) for name, value in dossier.form_data.items()},
        "events": list(dossier.events.all()),
        "attachments": attachments,
        "results": [_document_out(request, document) for document in dossier.results.all()],
    }


def _prefilled(dossier: Dossier) -> dict[str, Prefilled]:
    return prefill(dossier.procedure.form, dossier.applicant, store_references(dossier=dossier))


def _form_out(request: HttpRequest, dossier: Dossier) -> dict[str, Any]:
    """The e-form as the page shows it: each field with its prefilled value and source, or what was saved."""
    filled = _prefilled(dossier)
    fields = []
    for spec in dossier.procedure.form:
        found = filled.get(spec["name"])
        saved = str(dossier.form_data.get(spec["name"], ""))
        fields.append(
            spec
            | {
                "value": found.value if found and (found.locked or not saved) else saved,
                "source": found.source if found else FieldSource.CITIZEN,
                "locked": bool(found and found.locked),
                "prefilled": found is not None,
            }
        )
    return _summary_out(dossier) | {
        "fields": fields,
        "documents": dossier.procedure.documents,
        "reusable_documents": [_document_out(request, d) for d in store_documents(dossier=dossier)],
    }


def _citizen(request: HttpRequest) -> User:
    user = request.user
    if not is_citizen(user):
        raise PermissionDeniedError(
            gettext("Chỉ công dân đăng nhập bằng tài khoản định danh điện tử nộp hồ sơ trực tuyến.")
        )
    assert isinstance(user, User) and user.person is not None
    return user


def _form_problems(form: EForm) -> str:
    problems = []
    for name, messages in form.errors.items():
        text = " ".join(str(message) for message in messages)
        problems.append(f"{form.fields[name].label}: {text}" if name in form.fields else text)
    return gettext("Tờ khai chưa hợp lệ — %(problems)s") % {"problems": "; ".join(problems)}


# --- the catalogue (public) ----------------------------------------------------------------------------------------


@router.get(
    "/procedures", response=list[ProcedureOut], auth=None, url_name="procedure_list", summary="Danh mục thủ tục"
)
def procedures(request: HttpRequest, filters: Query[ProcedureFilter]) -> list[Any]:
    """Danh mục thủ tục hành chính (công khai), tìm theo mã hoặc tên."""
    return list(procedure_list(query=filters.q))


@router.get(
    "/procedures/{code}",
    response={200: ProcedureOut, **_errors(404)},
    auth=None,
    url_name="procedure_detail",
    summary="Một thủ tục",
)
def procedure(
    request: HttpRequest,
    code: Annotated[str, Path(pattern=_CODE_PATTERN, description="Mã thủ tục.", examples=[_EXAMPLE_CODE])],
) -> Any:
    """Một thủ tục: thời hạn, phí, thành phần hồ sơ, biểu mẫu điện tử, mức định danh yêu cầu."""
    return procedure_get(code=code)


# --- dossiers ------------------------------------------------------------------------------------------------------


@router.get(
    "/dossiers", response={200: DossierPageOut, **_errors(403)}, url_name="dossier_list", summary="Danh sách hồ sơ"
)
def dossiers(request: HttpRequest, filters: Query[DossierFilter]) -> dict[str, Any]:
    """Hồ sơ của công dân đang đăng nhập, hoặc hồ sơ thuộc địa bàn của cán bộ (khẩn nhất trước; trang được ghi
    nhật ký)."""
    if is_citizen(request.user):
        found = dossier_list_own(actor=request.user)
    else:
        # An officer without dossier.process anywhere is refused rather than shown an empty list.
        require_permission(request.user, Permission.DOSSIER_PROCESS)
        found = dossier_list(actor=request.user, status=filters.status or "", late_only=filters.late, query=filters.q)
    page = list(found[filters.offset : filters.offset + filters.limit])
    if page and not is_citizen(request.user):
        dossier_list_audit(actor=request.user, shown=page)
    return {"count": found.count(), "items": [_summary_out(d) for d in page]}


@router.post(
    "/dossiers", response={201: DossierFormOut, **_errors(403, 404)}, url_name="dossier_start", summary="Bắt đầu hồ sơ"
)
def dossier_new(request: HttpRequest, body: DossierStartIn) -> Status[dict[str, Any]]:
    """Công dân bắt đầu một hồ sơ trực tuyến (bản nháp); trả về tờ khai đã điền sẵn từ dữ liệu dân cư, định danh
    điện tử và kho dữ liệu, mỗi trường kèm nguồn và có bị khóa hay không."""
    user = _citizen(request)
    procedure = procedure_get(code=body.procedure)
    assert user.person is not None
    dossier = dossier_start(actor=user, procedure=procedure, applicant=user.person, channel=Channel.ONLINE)
    return Status(201, _form_out(request, dossier))


@router.get(
    "/dossiers/{dossier_id}",
    response={200: DossierOut, **_errors(403, 404)},
    url_name="dossier_detail",
    summary="Một hồ sơ",
)
def dossier(request: HttpRequest, dossier_id: DossierId) -> dict[str, Any]:
    """Một hồ sơ: trạng thái, hạn trả, trễ hạn/sắp đến hạn, lịch sử xử lý, thành phần, kết quả (ghi nhật ký)."""
    return _dossier_out(request, dossier_get(actor=request.user, dossier_id=dossier_id))


@router.get(
    "/dossiers/{dossier_id}/form",
    response={200: DossierFormOut, **_errors(403, 404)},
    url_name="dossier_form",
    summary="Tờ khai của hồ sơ",
)
def dossier_form(request: HttpRequest, dossier_id: DossierId) -> dict[str, Any]:
    """Tờ khai của hồ sơ (bản nháp hoặc cần bổ sung) với giá trị điền sẵn, cho người nộp hoặc cán bộ một cửa."""
    return _form_out(request, dossier_editable(actor=request.user, dossier_id=dossier_id))


@router.post(
    "/dossiers/{dossier_id}/submit",
    response={200: DossierOut, **_errors(400, 403, 404, 409)},
    url_name="dossier_submit",
    summary="Nộp hồ sơ",
)
def dossier_send(request: HttpRequest, dossier_id: DossierId, body: DossierSubmitIn) -> dict[str, Any]:
    """Nộp hồ sơ (hoặc nộp bổ sung): công dân với mức định danh điện tử thủ tục yêu cầu, hoặc cán bộ một cửa nộp
    thay. 400 khi tờ khai sai hoặc thiếu thành phần, 403 khi mức định danh chưa đủ, 409 khi `version` đã cũ."""
    dossier = dossier_editable(actor=request.user, dossier_id=dossier_id)
    form = EForm(body.values, spec=dossier.procedure.form, prefilled=_prefilled(dossier))
    if not form.is_valid():
        raise ApplicationError(_form_problems(form))
    submitted = dossier_submit(
        actor=request.user,
        dossier_id=dossier.pk,
        version=body.version,
        values=form.values(),
        prefilled=form.prefilled,
        attachments=[],
        reuse=list(body.reuse),
        eid_level=eid_level(request),
    )
    return _dossier_out(request, submitted)


# --- the citizen's document store ----------------------------------------------------------------------------------


@router.get(
    "/documents",
    response={200: list[StoreDocumentOut], **_errors(403)},
    url_name="document_list",
    summary="Kho dữ liệu của công dân",
)
def documents(request: HttpRequest) -> list[dict[str, Any]]:
    """Giấy tờ trong kho dữ liệu điện tử của công dân đang đăng nhập (kết quả đã ký số, bản số hóa)."""
    return [_document_out(request, document) for document in document_list_own(actor=_citizen(request))]
