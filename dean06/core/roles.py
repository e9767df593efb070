"""The role and permission catalogue. Pure data: what each role may do; scoping decides where."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("Quản trị hệ thống")
    WORKING_GROUP = "working_group", _("Tổ công tác Đề án 06 tỉnh")
    DEPARTMENT_OFFICER = "department_officer", _("Cán bộ sở, ngành")
    ONE_STOP_OFFICER = "one_stop_officer", _("Cán bộ một cửa cấp xã")
    COMMUNE_POLICE = "commune_police", _("Công an xã")
    LABOUR_OFFICER = "labour_officer", _("Cán bộ lao động - xã hội cấp xã")
    CLINIC_RECEPTIONIST = "clinic_receptionist", _("Tiếp đón cơ sở khám chữa bệnh")


class Permission(StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_EXPORT = "person.export"
    PERSON_CHANGE = "person.change"
    UNIT_VIEW = "unit.view"
    ORGANISATION_MANAGE = "organisation.manage"
    USER_MANAGE = "user.manage"
    AUDIT_VIEW = "audit.view"
    MONITORING_VIEW = "monitoring.view"
    CLEANSING_RUN = "cleansing.run"  # upload sector files and read their results (issue #4)
    CLEANSING_REVIEW = "cleansing.review"  # decide the rows the matcher could not
    DOSSIER_FILE = "dossier.file"  # file a dossier at the counter on a citizen's behalf (issue #5)
    DOSSIER_PROCESS = "dossier.process"  # receive, handle, approve and return dossiers of one's units
    REPORT_SUBMIT = "report.submit"  # submit a unit's monthly Đề án 06 report (docs/monitoring.md)
    REPORT_REVIEW = "report.review"  # return or accept the units' monthly reports
    PLAN_EDIT = "plan.edit"  # create plans of one's units, add, reassign and close their tasks (docs/monitoring.md)


ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    Role.SYSTEM_ADMIN: frozenset(Permission),
    Role.WORKING_GROUP: frozenset(
        {
            Permission.PERSON_VIEW,
            Permission.PERSON_EXPORT,
            Permission.UNIT_VIEW,
            Permission.AUDIT_VIEW,
            Permission.MONITORING_VIEW,
            Permission.CLEANSING_RUN,
            Permission.CLEANSING_REVIEW,
            Permission.REPORT_SUBMIT,
            Permission.REPORT_REVIEW,
            Permission.PLAN_EDIT,
        }
    ),
    Role.DEPARTMENT_OFFICER: frozenset(
        {
            Permission.PERSON_VIEW,
            Permission.UNIT_VIEW,
            Permission.MONITORING_VIEW,
            Permission.DOSSIER_PROCESS,
            Permission.REPORT_SUBMIT,
        }
    ),
    Role.ONE_STOP_OFFICER: frozenset(
        {
            Permission.PERSON_VIEW,
            Permission.UNIT_VIEW,
            Permission.DOSSIER_FILE,
            Permission.DOSSIER_PROCESS,
            Permission.MONITORING_VIEW,
            Permission.REPORT_SUBMIT,
            Permission.PLAN_EDIT,
        }
    ),
    Role.COMMUNE_POLICE: frozenset(
        {
            Permission.PERSON_VIEW,
            Permission.PERSON_EXPORT,
            Permission.PERSON_CHANGE,
            Permission.UNIT_VIEW,
            Permission.CLEANSING_RUN,
            Permission.CLEANSING_REVIEW,
            Permission.MONITORING_VIEW,
            Permission.REPORT_SUBMIT,
            Permission.PLAN_EDIT,
        }
    ),
    Role.LABOUR_OFFICER: frozenset(
        {
            Permission.PERSON_VIEW,
            Permission.PERSON_EXPORT,
            Permission.UNIT_VIEW,
            Permission.CLEANSING_RUN,
            Permission.CLEANSING_REVIEW,
        }
    ),
    Role.CLINIC_RECEPTIONIST: frozenset({Permission.UNIT_VIEW}),
}


def role_grants(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS.get(role, frozenset())


class AccessPurpose(models.TextChoices):
    """Why an officer opens a person's record; stored in every audit entry (Law 91/2025 on personal data)."""

    PUBLIC_SERVICE = "public_service", _("Giải quyết thủ tục hành chính")
    VERIFICATION = "verification", _("Xác minh, đối chiếu thông tin")
    DATA_CLEANSING = "data_cleansing", _("Làm sạch dữ liệu chuyên ngành")
    WELFARE = "welfare", _("Chi trả an sinh xã hội")
    HEALTH = "health", _("Khám chữa bệnh")
    SECURITY = "security", _("Bảo đảm an ninh, trật tự")
