"""The procedure catalogue (thủ tục hành chính) as data: validate `catalogue/*.json` and upsert it by code.

`catalogue_validate` is pure (no database), so a malformed entry is caught in a unit test or by
`dean06 procedures check` before anything is written; `procedures_load` refuses the whole file when any entry is
wrong, then upserts every procedure by its code in one transaction (idempotent: a second run changes nothing).
Procedures that are no longer in the file are reported, never deleted: dossiers point at them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final, TypeGuard

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dean06.core.errors import ApplicationError
from dean06.public_services.choices import FieldSource, Level
from dean06.public_services.eforms import FIELD_TYPES, PREFILLABLE
from dean06.public_services.models import Procedure

CATALOGUE_DIR: Final = Path(__file__).resolve().parent.parent / "catalogue"
DEFAULT_PATH: Final = CATALOGUE_DIR / "procedures.json"

# The e-ID asserts only who the citizen is; everything else prefillable comes from the population database.
EID_FIELDS: Final = frozenset({"full_name", "date_of_birth", "personal_id"})
REGISTRY_FIELDS: Final = PREFILLABLE
# The applicant's identity is taken from the population database and may not be re-typed.
MUST_LOCK: Final = frozenset({"full_name", "date_of_birth", "personal_id"})

# Kinds of document a citizen's electronic store may hold (`CitizenDocument.kind`); a requirement or a form field
# naming one can be met by reusing the stored document instead of an upload.
STORE_KINDS: Final[Mapping[str, Any]] = {
    "birth_certificate": gettext_lazy("Giấy khai sinh"),
    "birth_notice": gettext_lazy("Giấy chứng sinh"),
    "marriage_certificate": gettext_lazy("Giấy chứng nhận kết hôn"),
    "death_notice": gettext_lazy("Giấy báo tử"),
    "death_certificate": gettext_lazy("Trích lục khai tử"),
    "residence_confirmation": gettext_lazy("Văn bản xác nhận thông tin về cư trú"),
    "old_id_confirmation": gettext_lazy("Văn bản xác nhận số Chứng minh nhân dân"),
    "certified_copy": gettext_lazy("Bản sao có chứng thực"),
    "health_insurance_card": gettext_lazy("Thẻ bảo hiểm y tế"),
    "social_allowance_decision": gettext_lazy("Quyết định hưởng trợ cấp xã hội"),
}

# National codes look like 1.001193 or 2.000815; anything else must be visibly local.
CODE_PATTERN: Final = re.compile(r"\d\.\d{6}|VL-[A-Z0-9]+(?:-[A-Z0-9]+)*")
KEY_PATTERN: Final = re.compile(r"[a-z][a-z0-9_]*")
# Areas whose procedures change civil status or residence: the citizen must hold a level-2 e-ID.
LEVEL2_AREAS: Final = ("hộ tịch", "cư trú")

_REQUIRED: Final = (
    "code",
    "name",
    "field_area",
    "agency",
    "level",
    "processing_days",
    "legal_basis",
    "fee_vnd",
    "documents",
    "form",
    "eid_level",
    "fully_online",
    "online_payment",
    "effective_on",
    "published_on",
)
_OPTIONAL: Final = ("fee_note", "note", "sources", "result_kind", "result_title")
_DOCUMENT_KEYS: Final = frozenset({"key", "name", "required", "store_kind"})
_FORM_KEYS: Final = frozenset(
    {"name", "label", "type", "required", "source", "locked", "choices", "help", "store_kind"}
)
_MODEL_FIELDS: Final = (*(k for k in _REQUIRED if k != "code"), "fee_note", "result_kind", "result_title")


def _max_length(name: str) -> int:
    """The model's own limit, so the file is refused before the database would refuse it."""
    length = getattr(Procedure._meta.get_field(name), "max_length", None)
    if not isinstance(length, int):
        raise TypeError(name)
    return length


_MAX_LENGTH: Final = {name: _max_length(name) for name in ("code", "name", "field_area", "agency", "fee_note")}
_DOCUMENT_KEY_MAX: Final = 40  # Attachment.requirement and CitizenDocument.kind
_MAX_DAYS: Final = 32767  # PositiveSmallIntegerField


class CatalogueInvalidError(ApplicationError):
    """The catalogue file cannot be read or has entries that break the format; `errors` lists every problem."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class CatalogueCheck:
    """What `catalogue_validate` found: the model values of every valid entry, and every problem."""

    procedures: list[dict[str, Any]]
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class LoadReport:
    path: Path
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    not_in_catalogue: list[str] = field(default_factory=list)  # in the database, absent from the file: kept

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


class _Problems:
    """Collects messages for one entry, each prefixed with the file and the procedure code."""

    def __init__(self, file_name: str, label: str, errors: list[str]) -> None:
        self.file_name, self.label, self.errors = file_name, label, errors

    def add(self, problem: str) -> None:
        self.errors.append(
            _("%(file)s, thủ tục %(code)s: %(problem)s")
            % {"file": self.file_name, "code": self.label, "problem": problem}
        )


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(entry: Mapping[str, Any], key: str, problems: _Problems, *, max_length: int | None = None) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(_("thiếu hoặc để trống “%(key)s”") % {"key": key})
        return ""
    if max_length is not None and len(value) > max_length:
        problems.add(_("“%(key)s” dài quá %(max)s ký tự") % {"key": key, "max": max_length})
    return value.strip()


def _flag(entry: Mapping[str, Any], key: str, problems: _Problems, where: str = "") -> bool:
    value = entry.get(key)
    if not isinstance(value, bool):
        problems.add(_("%(where)s“%(key)s” phải là true hoặc false") % {"where": where, "key": key})
        return False
    return value


def _date(entry: Mapping[str, Any], key: str, problems: _Problems) -> date | None:
    value = entry.get(key)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(_("“%(key)s” phải là ngày dạng YYYY-MM-DD") % {"key": key})
    return None


def _documents(value: object, problems: _Problems) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        problems.add(_("“documents” phải là một danh sách"))
        return []
    seen: set[str] = set()
    documents: list[dict[str, Any]] = []
    for number, item in enumerate(value, start=1):
        where = _("thành phần hồ sơ %(n)s: ") % {"n": number}
        if not isinstance(item, dict):
            problems.add(where + _("phải là một đối tượng JSON"))
            continue
        for unknown in sorted(set(item) - _DOCUMENT_KEYS):
            problems.add(where + _("khóa không được hỗ trợ “%(key)s”") % {"key": unknown})
        key = item.get("key")
        if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key) or len(key) > _DOCUMENT_KEY_MAX:
            problems.add(
                where
                + _("“key” phải gồm chữ thường không dấu, số, gạch dưới, tối đa %(max)s ký tự")
                % {"max": _DOCUMENT_KEY_MAX}
            )
        elif key in seen:
            problems.add(where + _("trùng khóa thành phần hồ sơ “%(key)s”") % {"key": key})
        else:
            seen.add(key)
        if not isinstance(item.get("name"), str) or not item["name"].strip():
            problems.add(where + _("thiếu tên giấy tờ (“name”)"))
        _flag(item, "required", problems, where)
        store_kind = item.get("store_kind", "")
        if not isinstance(store_kind, str) or (store_kind and store_kind not in STORE_KINDS):
            problems.add(where + _("loại giấy tờ trong kho không xác định “%(kind)s”") % {"kind": store_kind})
        documents.append(
            {"key": key, "name": item.get("name"), "required": item.get("required"), "store_kind": store_kind}
        )
    return documents


def _form_field(item: Mapping[str, Any], where: str, problems: _Problems) -> None:
    for unknown in sorted(set(item) - _FORM_KEYS):
        problems.add(where + _("khóa không được hỗ trợ “%(key)s”") % {"key": unknown})
    name = str(item.get("name", ""))
    if not isinstance(item.get("label"), str) or not item["label"].strip():
        problems.add(where + _("thiếu nhãn (“label”)"))
    kind = item.get("type")
    if kind not in FIELD_TYPES:
        problems.add(
            where
            + _("kiểu trường không xác định “%(type)s” (chỉ dùng: %(allowed)s)")
            % {"type": kind, "allowed": ", ".join(sorted(FIELD_TYPES))}
        )
    _flag(item, "required", problems, where)
    locked = _flag(item, "locked", problems, where)
    source = item.get("source")
    if source not in FieldSource.values:
        problems.add(
            where
            + _("nguồn dữ liệu không xác định “%(source)s” (chỉ dùng: %(allowed)s)")
            % {"source": source, "allowed": ", ".join(FieldSource.values)}
        )
    elif source == FieldSource.EID and name not in EID_FIELDS:
        problems.add(
            where + _("tài khoản định danh chỉ cung cấp %(allowed)s") % {"allowed": ", ".join(sorted(EID_FIELDS))}
        )
    elif source == FieldSource.REGISTRY and name not in REGISTRY_FIELDS:
        problems.add(
            where + _("CSDL dân cư chỉ điền sẵn %(allowed)s") % {"allowed": ", ".join(sorted(REGISTRY_FIELDS))}
        )
    elif source in (FieldSource.CITIZEN, FieldSource.DOCUMENT_STORE) and name in PREFILLABLE:
        # "Only once": what the state holds about the applicant is never typed again.
        problems.add(where + _("trường này đã có trong CSDL, nguồn phải là eid hoặc registry"))
    if source == FieldSource.DOCUMENT_STORE and item.get("store_kind") not in STORE_KINDS:
        problems.add(where + _("nguồn document_store cần “store_kind” là một loại giấy tờ trong kho đã biết"))
    if source != FieldSource.DOCUMENT_STORE and "store_kind" in item:
        problems.add(where + _("“store_kind” chỉ dùng với nguồn document_store"))
    if locked and source in (FieldSource.CITIZEN, FieldSource.DOCUMENT_STORE):
        problems.add(where + _("chỉ khóa được trường điền sẵn từ tài khoản định danh hoặc CSDL dân cư"))
    if name in MUST_LOCK and not locked:
        problems.add(where + _("họ tên, ngày sinh, số định danh của người nộp phải khóa (“locked”: true)"))
    choices = item.get("choices")
    if kind == "select":
        if not isinstance(choices, list) or not choices or not all(isinstance(c, str) and c for c in choices):
            problems.add(where + _("trường chọn (select) cần danh sách “choices” không rỗng"))
        elif len(set(choices)) != len(choices):
            problems.add(where + _("“choices” có lựa chọn trùng nhau"))
    elif choices is not None:
        problems.add(where + _("“choices” chỉ dùng với kiểu select"))
    if "help" in item and not isinstance(item["help"], str):
        problems.add(where + _("“help” phải là chuỗi"))


def _form(value: object, problems: _Problems) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        problems.add(_("“form” phải là một danh sách"))
        return []
    seen: set[str] = set()
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            problems.add(_("trường %(n)s: phải là một đối tượng JSON") % {"n": number})
            continue
        name = item.get("name")
        where = _("trường “%(name)s”: ") % {"name": name}
        if not isinstance(name, str) or not KEY_PATTERN.fullmatch(name):
            problems.add(
                _("trường %(n)s: tên trường (“name”) phải gồm chữ thường không dấu, số, gạch dưới") % {"n": number}
            )
        elif name in seen:
            problems.add(_("trùng tên trường “%(name)s”") % {"name": name})
        else:
            seen.add(name)
        _form_field(item, where, problems)
    return [dict(item) for item in value if isinstance(item, dict)]


def _entry(entry: Mapping[str, Any], problems: _Problems) -> dict[str, Any]:
    for unknown in sorted(set(entry) - {*_REQUIRED, *_OPTIONAL}):
        problems.add(_("khóa không được hỗ trợ “%(key)s”") % {"key": unknown})
    values: dict[str, Any] = {}
    code = entry.get("code")
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code) or len(code) > _MAX_LENGTH["code"]:
        problems.add(
            _("mã thủ tục phải là mã quốc gia (ví dụ 1.001193) hoặc mã địa phương “VL-…”, tối đa %(max)s ký tự")
            % {"max": _MAX_LENGTH["code"]}
        )
    values["code"] = code
    for key in ("name", "field_area", "agency"):
        values[key] = _text(entry, key, problems, max_length=_MAX_LENGTH[key])
    values["legal_basis"] = _text(entry, "legal_basis", problems)
    values["level"] = entry.get("level")
    if values["level"] not in Level.values:
        problems.add(
            _("cấp thực hiện không xác định “%(level)s” (chỉ dùng: %(allowed)s)")
            % {"level": values["level"], "allowed": ", ".join(Level.values)}
        )
    days = entry.get("processing_days")
    if days is None:
        problems.add(_("thiếu thời hạn giải quyết (“processing_days”, số ngày làm việc)"))
    elif not _is_int(days) or not 0 < days <= _MAX_DAYS:
        problems.add(_("thời hạn giải quyết (“processing_days”) phải là số nguyên ngày làm việc lớn hơn 0"))
    values["processing_days"] = days
    fee = entry.get("fee_vnd")
    if not _is_int(fee) or fee < 0:
        problems.add(_("phí, lệ phí (“fee_vnd”) phải là số nguyên đồng, không âm"))
    values["fee_vnd"] = fee
    fee_note = entry.get("fee_note", "")
    if not isinstance(fee_note, str) or len(fee_note) > _MAX_LENGTH["fee_note"]:
        problems.add(_("“fee_note” phải là chuỗi tối đa %(max)s ký tự") % {"max": _MAX_LENGTH["fee_note"]})
    values["fee_note"] = fee_note
    values["eid_level"] = entry.get("eid_level")
    if values["eid_level"] not in (1, 2) or isinstance(values["eid_level"], bool):
        problems.add(_("mức định danh điện tử (“eid_level”) phải là 1 hoặc 2"))
    elif values["eid_level"] != 2 and any(area in str(values["field_area"]).lower() for area in LEVEL2_AREAS):
        problems.add(_("thủ tục hộ tịch, cư trú yêu cầu tài khoản định danh điện tử mức 2"))
    values["fully_online"] = _flag(entry, "fully_online", problems)
    values["online_payment"] = _flag(entry, "online_payment", problems)
    if values["online_payment"] and _is_int(fee) and fee == 0:
        problems.add(_("thủ tục không thu phí thì không có thanh toán trực tuyến (“online_payment”)"))
    values["effective_on"] = _date(entry, "effective_on", problems)
    values["published_on"] = _date(entry, "published_on", problems)
    # The result's kind in the citizen's store, so a later procedure asking for that kind reuses it.
    values["result_kind"] = entry.get("result_kind", "")
    if values["result_kind"] and values["result_kind"] not in STORE_KINDS:
        problems.add(_("loại giấy tờ kết quả (“result_kind”) không có trong danh mục kho dữ liệu"))
    values["result_title"] = str(entry.get("result_title", ""))
    values["documents"] = _documents(entry.get("documents"), problems)
    values["form"] = _form(entry.get("form"), problems)
    if not isinstance(entry.get("note", ""), str):
        problems.add(_("“note” phải là chuỗi"))
    sources = entry.get("sources", [])
    if not isinstance(sources, list) or not all(isinstance(s, str) and s.startswith("http") for s in sources):
        problems.add(_("“sources” phải là danh sách địa chỉ http(s)"))
    return values


def catalogue_validate(data: object, *, file_name: str) -> CatalogueCheck:
    """Check a parsed catalogue (a list of procedures, or {"procedures": [...]}) without touching the database."""
    errors: list[str] = []
    entries = data.get("procedures") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        return CatalogueCheck([], [_("%(file)s: cần một danh sách thủ tục (“procedures”)") % {"file": file_name}])
    procedures: list[dict[str, Any]] = []
    codes: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            errors.append(_("%(file)s, mục %(n)s: phải là một đối tượng JSON") % {"file": file_name, "n": number})
            continue
        code = entry.get("code")
        label = code if isinstance(code, str) and code else _("(mục %(n)s, không có mã)") % {"n": number}
        problems = _Problems(file_name, label, errors)
        if isinstance(code, str) and code in codes:
            problems.add(_("trùng mã thủ tục"))
        codes.add(str(code))
        before = len(errors)
        values = _entry(entry, problems)
        if len(errors) == before:
            procedures.append(values)
    return CatalogueCheck(procedures if not errors else [], errors)


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(path.glob("*.json"))
    return [path]


def catalogue_read(path: Path | None = None) -> list[dict[str, Any]]:
    """The validated procedures of a file, or of every *.json in a folder; CatalogueInvalidError otherwise."""
    path = path or DEFAULT_PATH
    files = _files(path)
    if not files or not all(f.is_file() for f in files):
        raise CatalogueInvalidError([_("Không có tệp danh mục thủ tục: %(path)s") % {"path": path}])
    procedures: list[dict[str, Any]] = []
    errors: list[str] = []
    for file in files:
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            errors.append(_("%(file)s: không đọc được JSON (%(error)s)") % {"file": file.name, "error": error})
            continue
        check = catalogue_validate(data, file_name=file.name)
        errors.extend(check.errors)
        procedures.extend(check.procedures)
    seen: set[str] = set()
    for values in procedures:  # a code may be declared once across the files of a folder
        if values["code"] in seen:
            errors.append(_("Mã thủ tục %(code)s khai báo ở nhiều tệp") % {"code": values["code"]})
        seen.add(values["code"])
    if errors:
        raise CatalogueInvalidError(errors)
    return procedures


@transaction.atomic
def procedures_load(path: Path | None = None) -> LoadReport:
    """Validate the catalogue, then create or update every procedure by code; all or nothing."""
    path = path or DEFAULT_PATH
    procedures = catalogue_read(path)
    existing = {
        p.code: p for p in Procedure.objects.select_for_update().filter(code__in=[v["code"] for v in procedures])
    }
    report = LoadReport(path=path)
    for values in procedures:
        fields = {name: values[name] for name in _MODEL_FIELDS}
        procedure = existing.get(values["code"])
        if procedure is None:
            Procedure.objects.create(code=values["code"], **fields)
            report.created.append(values["code"])
            continue
        changed = [name for name, value in fields.items() if getattr(procedure, name) != value]
        if not changed:
            report.unchanged.append(values["code"])
            continue
        for name in changed:
            setattr(procedure, name, fields[name])
        procedure.save(update_fields=[*changed, "updated_at"])
        report.updated.append(values["code"])
    loaded = {v["code"] for v in procedures}
    report.not_in_catalogue.extend(
        sorted(code for code in Procedure.objects.values_list("code", flat=True) if code not in loaded)
    )
    return report
