"""Errors a service may raise; each carries a message fit to show a user, in Vietnamese by default."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status_code = 400
    default_message = _("Yêu cầu không hợp lệ.")

    def __init__(self, message: str | None = None) -> None:
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class NotFoundError(ApplicationError):
    status_code = 404
    default_message = _("Không tìm thấy hồ sơ hoặc bạn không có quyền xem hồ sơ này.")


class PermissionDeniedError(ApplicationError):
    status_code = 403
    default_message = _("Bạn không có quyền thực hiện thao tác này.")
