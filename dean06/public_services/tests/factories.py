"""Factories for public-services tests: plain functions with Vietnamese defaults, every field overridable."""

from __future__ import annotations

import itertools
from typing import Any

from dean06.core.models import User
from dean06.public_services.choices import Channel, DossierStatus, Level
from dean06.public_services.models import Dossier, Procedure
from dean06.registry.models import Person
from dean06.testing import factories

_counter = itertools.count(1)


def procedure(**overrides: Any) -> Procedure:
    n = next(_counter)
    values: dict[str, Any] = {
        "code": f"TT{n:05d}",
        "name": f"Thủ tục thử nghiệm {n}",
        "field_area": "Hộ tịch",
        "agency": "Ủy ban nhân dân cấp xã",
        "level": Level.COMMUNE,
        "processing_days": 3,
    }
    values.update(overrides)
    return Procedure.objects.create(**values)


def dossier(**overrides: Any) -> Dossier:
    """A received online dossier of a new person of Phường Long Đức, filed by that person's citizen account."""
    n = next(_counter)
    applicant = overrides.pop("applicant", None) or factories.person()
    values: dict[str, Any] = {
        "code": f"HS-{n:06d}",
        "procedure": overrides.pop("procedure", None) or procedure(),
        "unit": applicant.commune,
        "applicant": applicant,
        "channel": Channel.ONLINE,
        "status": DossierStatus.RECEIVED,
    }
    if "submitted_by" not in overrides:
        values["submitted_by"] = User.objects.filter(person=applicant).first() or User.objects.create_user(
            username=f"congdan{n}", kind=User.Kind.CITIZEN, person=applicant, full_name=applicant.full_name
        )
    values.update(overrides)
    return Dossier.objects.create(**values)


BIRTH_FORM: list[dict[str, Any]] = [
    {"name": "full_name", "label": "Họ và tên người yêu cầu", "type": "text", "required": True,
     "source": "registry", "locked": True},
    {"name": "date_of_birth", "label": "Ngày sinh", "type": "date", "required": True, "source": "registry",
     "locked": True},
    {"name": "personal_id", "label": "Số định danh cá nhân", "type": "id", "required": True, "source": "eid",
     "locked": True},
    {"name": "phone", "label": "Số điện thoại", "type": "text", "required": False, "source": "registry"},
    {"name": "child_name", "label": "Họ và tên người được khai sinh", "type": "text", "required": True,
     "source": "citizen"},
    {"name": "child_birth_date", "label": "Ngày sinh của trẻ", "type": "date", "required": True, "source": "citizen"},
]  # fmt: skip
BIRTH_DOCUMENTS: list[dict[str, Any]] = [
    {"key": "giay_chung_sinh", "name": "Giấy chứng sinh", "required": True, "store_kind": ""},
    {"key": "giay_ket_hon", "name": "Giấy chứng nhận kết hôn", "required": False, "store_kind": "marriage_certificate"},
]


def birth_procedure(**overrides: Any) -> Procedure:
    """A procedure shaped like birth registration: registry-prefilled applicant, the child typed in."""
    values: dict[str, Any] = {
        "name": "Đăng ký khai sinh",
        "form": BIRTH_FORM,
        "documents": BIRTH_DOCUMENTS,
        "eid_level": 2,
        "fee_vnd": 0,
        "result_kind": "birth_certificate",
        "result_title": "Giấy khai sinh",
    }
    return procedure(**values | overrides)


def citizen(person: Person | None = None) -> User:
    """A citizen account for `person` (a new person of Phường Long Đức by default)."""
    person = person or factories.person()
    return User.objects.create_user(
        username=person.personal_id, kind=User.Kind.CITIZEN, person=person, full_name=person.full_name
    )
