"""Monitoring (Đề án 06): when the units' monthly reports are due (docs/monitoring.md, "Monthly reports"). Values
that differ between deployments come from config.env only (docs/operations.md)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from config import env

# A month's report is due on this day of the following month ("trước ngày 18 hàng tháng", plan task III.1.3).
MONITORING_REPORT_DUE_DAY = env.REPORT_DUE_DAY.value
if not 1 <= MONITORING_REPORT_DUE_DAY <= 28:  # every month has the day
    raise ImproperlyConfigured("DEAN06_REPORT_DUE_DAY must be between 1 and 28")
# Units without a submitted report are reminded from this many days before the due day.
MONITORING_REPORT_REMINDER_DAYS = env.REPORT_REMINDER_DAYS.value

# The provincial roll-up report (docs/monitoring.md, "Provincial roll-up report"): the header, place and
# recipients of the administrative document (Decree 30/2020/NĐ-CP, Appendix I).
MONITORING_ROLLUP_PROVINCE_NAME = "Vĩnh Long"
MONITORING_ROLLUP_GOVERNING_BODY = "UBND TỈNH VĨNH LONG"
MONITORING_ROLLUP_ISSUING_BODY = "TỔ CÔNG TÁC TRIỂN KHAI ĐỀ ÁN 06"
MONITORING_ROLLUP_NUMBER_SYMBOL = "BC-TCT"  # "Số: …/BC-TCT"; the number is given when the report is issued
MONITORING_ROLLUP_PLACE = "Vĩnh Long"  # "Vĩnh Long, ngày … tháng … năm …"
MONITORING_ROLLUP_SIGNER_AUTHORITY = "TM. TỔ CÔNG TÁC"
MONITORING_ROLLUP_SIGNER_TITLE = "TỔ TRƯỞNG"
MONITORING_ROLLUP_RECIPIENTS = (
    "Chủ tịch UBND tỉnh (b/c);",
    "Bộ Công an (C06) (b/c);",
    "Văn phòng Chính phủ (b/c);",
    "Lưu: VT.",
)
