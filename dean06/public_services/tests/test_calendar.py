"""Deadlines in working days across weekends, fixed holidays, lunar Tết and substitute days."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from dean06.public_services.calendar import (
    add_working_days,
    due_date,
    holiday_name,
    is_working_day,
    working_days_between,
)


def test_weekends_and_holidays_are_not_working_days() -> None:
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 9, 2))  # National Day
    assert holiday_name(date(2026, 2, 17)) == "Tết Nguyên Đán"  # lunar new year 2026
    assert is_working_day(date(2026, 11, 27))


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (date(2026, 11, 23), 3, date(2026, 11, 27)),  # Monday + 3 skips Tuesday 24/11 (Vietnamese Culture Day)
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 → Monday
        (date(2026, 2, 12), 3, date(2026, 2, 24)),  # across lunar Tết 2026 (16–20/02)
        (date(2026, 4, 24), 2, date(2026, 4, 29)),  # Hùng Kings' day 26/04 (Sunday) is made up on Monday 27/04
        (date(2026, 12, 31), 1, date(2027, 1, 4)),  # New Year's Day, then the weekend
    ],
)
def test_working_days_are_added_after_the_start(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days) == due
    assert working_days_between(start, due) == days


def test_a_dossier_received_after_hours_or_on_a_holiday_counts_from_the_next_working_day() -> None:
    vietnam = timezone(timedelta(hours=7))
    assert due_date(datetime(2026, 11, 26, 9, 0, tzinfo=vietnam), 1) == date(2026, 11, 27)
    assert due_date(datetime(2026, 11, 26, 17, 30, tzinfo=vietnam), 1) == date(2026, 11, 30)
    assert due_date(datetime(2026, 11, 28, 10, 0, tzinfo=vietnam), 1) == date(2026, 12, 1)  # Saturday: as Monday
