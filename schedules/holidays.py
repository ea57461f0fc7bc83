"""Japanese public holidays (incl. 振替休日 and 国民の休日) and the 年末年始 closure (12/29–1/3).

The holiday calendar comes from `jpholiday`, which follows the 国民の祝日に関する法律:
fixed-date holidays, Happy-Monday holidays, the equinoxes, 振替休日 (a holiday on a Sunday
moves to the next non-holiday) and 国民の休日 (a day between two holidays).
"""

from __future__ import annotations

from datetime import date, timedelta

import jpholiday

YEAR_END_NAME = "年末年始"


def holiday_name(d: date) -> str | None:
    """Return the name of the public holiday on `d` (e.g. 「憲法記念日 振替休日」), or None."""
    return jpholiday.is_holiday_name(d)


def is_holiday(d: date) -> bool:
    """Return whether `d` is a Japanese public holiday."""
    return holiday_name(d) is not None


def is_year_end(d: date) -> bool:
    """Return whether `d` falls in 年末年始 (29 December to 3 January)."""
    return (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)


def closure_name(d: date, *, closed_year_end: bool = True) -> str | None:
    """Return why `d` is a day off (a holiday name or 年末年始), or None on an ordinary day."""
    if closed_year_end and is_year_end(d):
        return YEAR_END_NAME
    return holiday_name(d)


def is_working_day(d: date, *, closed_year_end: bool = True) -> bool:
    """Return whether `d` is a weekday that is neither a holiday nor (if closed) 年末年始."""
    return d.weekday() < 5 and closure_name(d, closed_year_end=closed_year_end) is None


def next_working_day(d: date, *, closed_year_end: bool = True) -> date:
    """Return the first working day after `d`."""
    day = d + timedelta(days=1)
    while not is_working_day(day, closed_year_end=closed_year_end):
        day += timedelta(days=1)
    return day


def holidays_between(first: date, last: date) -> list[tuple[date, str]]:
    """Return the public holidays from `first` to `last` inclusive, with their names."""
    found: list[tuple[date, str]] = []
    for year in range(first.year, last.year + 1):
        found.extend((d, name) for d, name in jpholiday.year_holidays(year) if first <= d <= last)
    return sorted(found)
