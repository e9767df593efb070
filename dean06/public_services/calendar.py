"""Statutory deadlines in working days: Monday to Friday, less Vietnam's public holidays (with lunar Tết and the
substitute days the government announces, as the `holidays` package lists them). Pure: no Django."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Final

import holidays

# A dossier received after office hours counts from the next working day (Decree 61/2018, Art. 19: the time limit
# runs from the working day after receipt of a complete dossier).
OFFICE_CLOSES: Final = time(17, 0)
WARN_WORKING_DAYS: Final = 1  # officers are warned when a dossier is due within this many working days


@cache
def _holidays(year: int) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year).items())


def holiday_name(day: date) -> str | None:
    return _holidays(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def next_working_day(day: date) -> date:
    """The first working day after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, days: int) -> date:
    """The day on which a time limit of `days` working days, counted from the day after `start`, ends."""
    day = start
    for _ in range(days):
        day = next_working_day(day)
    return day


def due_date(received: datetime, processing_days: int) -> date:
    """When the result is due for a dossier received at `received` (local time)."""
    start = received.date()
    if received.time() >= OFFICE_CLOSES or not is_working_day(start):
        start = next_working_day(start)  # counts as received on the next working day
    return add_working_days(start, processing_days)


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is before `start`)."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count
