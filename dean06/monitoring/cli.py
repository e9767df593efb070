"""What the monitoring commands share: a unit and a period from the command line, refused with exit code 2."""

from __future__ import annotations

from collections.abc import Callable

from django.core.management.base import CommandError

from dean06.monitoring.index766 import PeriodError, UnknownUnitError


def for_unit_and_period[T](
    compute: Callable[[str, str, str | None], T], unit: str, period: str, period_type: str | None
) -> T:
    """`compute(unit, period, period_type)`, with an unknown unit or a malformed period as a clear message."""
    try:
        return compute(unit, period, period_type)
    except UnknownUnitError as error:
        raise CommandError(
            f"Không có xã hoặc tỉnh mã {unit} (đơn vị từ 01/7/2025) / unknown unit {unit}", returncode=2
        ) from error
    except PeriodError as error:
        raise CommandError(
            f"Kỳ không hợp lệ / malformed period “{period}”: dùng / use 2026-10, 2026-Q4 hoặc / or 2026"
            + (f" (--period-type {period_type})" if period_type else ""),
            returncode=2,
        ) from error
