"""Dates and durations as coordinators type them: 今日, 昨日, 11/20, 1時間30分, ９０分.

Coordinators record work already done, so a month/day later than today means last year, and a
date in the future or more than a year back is refused (most likely a typo).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta

MAX_AGE = timedelta(days=366)
MAX_DURATION_MIN = 24 * 60

_DAYS_AGO = {
    "今日": 0,
    "きょう": 0,
    "本日": 0,
    "today": 0,
    "昨日": 1,
    "きのう": 1,
    "yesterday": 1,
    "一昨日": 2,
    "おととい": 2,
    "おとつい": 2,
}
_FULL_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_MONTH_DAY = re.compile(r"(\d{1,2})[/月](\d{1,2})日?")
_HOURS_MINUTES = re.compile(
    r"(?:(\d+(?:\.\d+)?)(?:時間|h|hours?))?(半)?(?:(\d+)(?:分|m|min|mins|minutes?)?)?"
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "")


def parse_date(text: str, today: date) -> date | None:
    """Return the date a coordinator meant, or None if it is unreadable or out of range."""
    folded = _fold(text)
    if folded in _DAYS_AGO:
        return today - timedelta(days=_DAYS_AGO[folded])
    found = _FULL_DATE.fullmatch(folded)
    if found:
        day = _make_date(int(found[1]), int(found[2]), int(found[3]))
    else:
        found = _MONTH_DAY.fullmatch(folded)
        if not found:
            return None
        month, mday = int(found[1]), int(found[2])
        day = _make_date(today.year, month, mday)
        if day is None or day > today:
            day = _make_date(today.year - 1, month, mday)
    if day is None or day > today or today - day > MAX_AGE:
        return None
    return day


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_duration(text: str) -> int | None:
    """Return a duration in minutes (30分, 1時間30分, 1.5時間, 90), or None if unreadable."""
    folded = _fold(text)
    if not folded:
        return None
    found = _HOURS_MINUTES.fullmatch(folded)
    if not found or not any(found.groups()):
        return None
    hours, half, minutes = found.groups()
    if half and (hours is None or minutes is not None):
        return None
    total = float(hours or 0) * 60 + (30 if half else 0) + int(minutes or 0)
    if total != int(total) or not 0 < total <= MAX_DURATION_MIN:
        return None
    return int(total)


def format_duration(minutes: int, lang: str = "ja") -> str:
    """Return minutes as 1時間30分 (or 1 h 30 min)."""
    hours, rest = divmod(minutes, 60)
    if lang == "en":
        parts = [f"{hours} h" if hours else "", f"{rest} min" if rest else ""]
        return " ".join(p for p in parts if p)
    return (f"{hours}時間" if hours else "") + (f"{rest}分" if rest else "")


_DAYS_AHEAD = {"今日": 0, "きょう": 0, "today": 0, "明日": 1, "あした": 1, "tomorrow": 1}
_AHEAD = re.compile(
    r"(?:today|今日)?\+(\d{1,3})(?:日|d)?|(\d{1,3})日後|(\d{1,2})週間?後|(\d{1,2})(?:か|ヶ|ケ|カ)?月後"
)
MAX_AHEAD = timedelta(days=366)


def parse_due_date(text: str, today: date) -> date | None:
    """Return a date ahead (a follow-up's due date): 明日, +7, 7日後, 2週間後, 1か月後, 12/1."""
    folded = _fold(text)
    if folded in _DAYS_AHEAD:
        return today + timedelta(days=_DAYS_AHEAD[folded])
    if folded in ("来週", "nextweek"):
        return today + timedelta(days=7)
    found = _AHEAD.fullmatch(folded)
    if found:
        days, n_days, weeks, months = found.groups()
        if months:
            day = _add_months(today, int(months))
        else:
            day = today + timedelta(days=int(days or n_days or 0) + 7 * int(weeks or 0))
    elif full := _FULL_DATE.fullmatch(folded):
        day = _make_date(int(full[1]), int(full[2]), int(full[3]))
    elif month_day := _MONTH_DAY.fullmatch(folded):
        month, mday = int(month_day[1]), int(month_day[2])
        day = _make_date(today.year, month, mday)
        if day is not None and day < today:
            day = _make_date(today.year + 1, month, mday)
    else:
        return None
    if day is None or day < today or day - today > MAX_AHEAD:
        return None
    return day


def _add_months(day: date, months: int) -> date | None:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for mday in (day.day, 30, 29, 28):
        found = _make_date(year, month, mday)
        if found is not None:
            return found
    return None
