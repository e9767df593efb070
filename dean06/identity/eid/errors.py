"""Why an e-ID login failed: a short code for logs and tests, a Vietnamese message for the citizen."""

from __future__ import annotations

from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class EidFailure(StrEnum):
    NOT_CONFIGURED = "not_configured"
    PROVIDER_UNREACHABLE = "provider_unreachable"
    FLOW_MISSING = "flow_missing"
    STATE_MISMATCH = "state_mismatch"
    ISSUER_MISMATCH = "issuer_mismatch"
    ACCESS_DENIED = "access_denied"
    PROVIDER_ERROR = "provider_error"
    TOKEN_ERROR = "token_error"  # noqa: S105  a failure code, not a secret
    ID_TOKEN_INVALID = "id_token_invalid"  # noqa: S105
    CLAIMS_INVALID = "claims_invalid"
    ACCOUNT_CONFLICT = "account_conflict"
    ACCOUNT_DISABLED = "account_disabled"


MESSAGES: dict[EidFailure, Promise] = {
    EidFailure.NOT_CONFIGURED: _("Đăng nhập bằng VNeID chưa được cấu hình trên hệ thống này."),
    EidFailure.PROVIDER_UNREACHABLE: _(
        "Không kết nối được với hệ thống định danh điện tử. Vui lòng thử lại sau ít phút."
    ),
    EidFailure.FLOW_MISSING: _(
        "Phiên đăng nhập bằng VNeID đã hết hạn hoặc đã được sử dụng. Vui lòng bắt đầu đăng nhập lại."
    ),
    EidFailure.STATE_MISMATCH: _(
        "Yêu cầu đăng nhập không khớp với phiên làm việc của bạn (có thể do mở nhiều cửa sổ đăng nhập). "
        "Vui lòng bắt đầu đăng nhập lại."
    ),
    EidFailure.ISSUER_MISMATCH: _("Phản hồi đăng nhập không đến từ hệ thống định danh điện tử đã cấu hình."),
    EidFailure.ACCESS_DENIED: _("Bạn đã hủy đăng nhập hoặc không đồng ý chia sẻ thông tin định danh."),
    EidFailure.PROVIDER_ERROR: _("Hệ thống định danh điện tử báo lỗi khi đăng nhập. Vui lòng thử lại."),
    EidFailure.TOKEN_ERROR: _("Không nhận được kết quả xác thực từ hệ thống định danh điện tử. Vui lòng thử lại."),
    EidFailure.ID_TOKEN_INVALID: _(
        "Kết quả xác thực không hợp lệ (chữ ký, thời hạn hoặc người nhận không đúng), nên không thể đăng nhập."
    ),
    EidFailure.CLAIMS_INVALID: _("Kết quả xác thực không có số định danh cá nhân hợp lệ (12 chữ số)."),
    EidFailure.ACCOUNT_CONFLICT: _(
        "Số định danh cá nhân này trùng với một tài khoản không phải của công dân. "
        "Vui lòng liên hệ Tổ công tác Đề án 06 để được hỗ trợ."
    ),
    EidFailure.ACCOUNT_DISABLED: _("Tài khoản công dân của bạn đang bị khóa. Vui lòng liên hệ bộ phận một cửa."),
}


class EidError(Exception):
    """An e-ID login that cannot go on; `detail` is for the log, never shown to the citizen."""

    def __init__(self, failure: EidFailure, detail: str = "") -> None:
        self.failure = failure
        self.detail = detail
        super().__init__(f"{failure}: {detail}" if detail else str(failure))

    @property
    def message(self) -> Promise:
        return MESSAGES[self.failure]
