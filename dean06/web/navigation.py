"""The menu: what each signed-in user may open, decided by permission checks (never by role names)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dean06.core.access import has_permission
from dean06.core.models import User
from dean06.core.roles import Permission


@dataclass(frozen=True)
class MenuItem:
    """One destination. Items with a description also appear as tiles on the dashboard."""

    url_name: str
    label: str | Promise
    description: str | Promise = ""
    permission: Permission | None = None
    citizens_only: bool = False  # pages about the signed-in citizen's own affairs


MENU: tuple[MenuItem, ...] = (
    MenuItem("web:home", _("Trang chủ")),
    MenuItem(
        "public_services:procedure_list",
        _("Dịch vụ công"),
        _("Tra cứu thủ tục hành chính, nộp hồ sơ trực tuyến với thông tin điền sẵn từ CSDL dân cư."),
    ),
    MenuItem(
        "public_services:my_dossiers",
        _("Hồ sơ của tôi"),
        _("Theo dõi hồ sơ đã nộp, bổ sung hồ sơ, tải kết quả có chữ ký số."),
        citizens_only=True,
    ),
    MenuItem(
        "public_services:my_petitions",
        _("Phản ánh, kiến nghị"),
        _("Gửi phản ánh, kiến nghị về quy định hành chính hoặc cán bộ, theo dõi trả lời và đánh giá."),
        citizens_only=True,
    ),
    MenuItem(
        "public_services:queue",
        _("Hồ sơ một cửa"),
        _("Tiếp nhận hồ sơ tại quầy bằng mã QR thẻ căn cước, xử lý, phê duyệt và trả kết quả đúng hạn."),
        Permission.DOSSIER_PROCESS,
    ),
    MenuItem(
        "public_services:petition_queue",
        _("Trả lời phản ánh"),
        _("Phản ánh, kiến nghị gửi đến đơn vị: hạn trả lời, trả lời và mức độ hài lòng."),
        Permission.DOSSIER_PROCESS,
    ),
    MenuItem(
        "web:person_list",
        _("Tra cứu công dân"),
        _("Tìm công dân trên địa bàn theo họ tên, số định danh cá nhân hoặc số CMND."),
        Permission.PERSON_VIEW,
    ),
    MenuItem(
        "identity:qr_scan",
        _("Quét mã QR căn cước"),
        _("Đọc mã QR trên thẻ căn cước bằng máy quét, ảnh chụp hoặc camera để điền thông tin công dân."),
        Permission.PERSON_VIEW,
    ),
    MenuItem(
        "cleansing:run_list",
        _("Làm sạch dữ liệu"),
        _("Tải lên danh sách chuyên ngành, đối chiếu với CSDL dân cư và duyệt các dòng cần xác định."),
        Permission.CLEANSING_RUN,
    ),
    MenuItem(
        "cleansing:dashboard",
        _("Đúng, đủ, sạch, sống"),
        _("Tỷ lệ dữ liệu chuyên ngành đúng, đủ, sạch, sống theo lĩnh vực và xã, phường, theo thời gian."),
        Permission.CLEANSING_RUN,
    ),
    MenuItem(
        "monitoring:dashboard",
        _("Theo dõi Đề án 06"),
        _("Tiến độ kế hoạch, nhiệm vụ quá hạn, tình hình báo cáo, chỉ tiêu và Bộ chỉ số 766 theo đơn vị."),
        Permission.MONITORING_VIEW,
    ),
    MenuItem(
        "monitoring:report_list",
        _("Báo cáo tháng"),
        _("Lập, gửi báo cáo tháng Đề án 06 của đơn vị trước ngày 18; tổ công tác xem xét, trả lại, tiếp nhận."),
        Permission.REPORT_SUBMIT,
    ),
    MenuItem(
        "web:person_export",
        _("Xuất danh sách"),
        _("Tải danh sách công dân trên địa bàn dưới dạng CSV, mở được bằng Excel."),
        Permission.PERSON_EXPORT,
    ),
    MenuItem(
        "web:audit_log",
        _("Nhật ký truy cập"),
        _("Xem ai đã tra cứu, xuất dữ liệu cá nhân nào, khi nào và vì mục đích gì."),
        Permission.AUDIT_VIEW,
    ),
    MenuItem(
        "admin:index",
        _("Quản trị hệ thống"),
        _("Quản lý tài khoản, cơ quan và phân quyền."),
        Permission.USER_MANAGE,
    ),
)


@dataclass(frozen=True)
class MenuEntry:
    item: MenuItem
    url: str
    current: bool


def menu_for(user: User | AnonymousUser, current_view: str = "") -> list[MenuEntry]:
    """The menu items `user` may open; none for an anonymous visitor."""
    if not user.is_authenticated:
        return []
    return [
        MenuEntry(item, reverse(item.url_name), item.url_name == current_view)
        for item in MENU
        if (item.permission is None or has_permission(user, item.permission))
        and (not item.citizens_only or getattr(user, "kind", "") == User.Kind.CITIZEN)
    ]
