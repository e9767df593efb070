"""Monitoring (Đề án 06): when the units' monthly reports are due (docs/monitoring.md, "Monthly reports")."""

from __future__ import annotations

# A month's report is due on this day of the following month ("trước ngày 18 hàng tháng", plan task III.1.3).
MONITORING_REPORT_DUE_DAY = 18
# Units without a submitted report are reminded from this many days before the due day.
MONITORING_REPORT_REMINDER_DAYS = 3
