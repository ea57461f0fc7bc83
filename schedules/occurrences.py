"""Expand a series (RRULE) into dated occurrences in Asia/Tokyo.

Each occurrence keeps the date its rule gives (`original`), which identifies it when one is
cancelled or moved. Holidays and 年末年始 are handled by the series' policy:

- "skip": the occurrence is dropped;
- "next_weekday": it moves to the next weekday that is neither a holiday nor 年末年始;
- "keep": it stays (but 年末年始 stays closed unless `closed_year_end=False`).

A per-occurrence move is the organiser's choice and is not second-guessed by the policy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from schedules.holidays import YEAR_END_NAME, closure_name, next_working_day

TOKYO = ZoneInfo("Asia/Tokyo")
Policy = Literal["skip", "next_weekday", "keep"]
POLICIES: tuple[Policy, ...] = ("skip", "next_weekday", "keep")


@dataclass(frozen=True)
class Occurrence:
    """One meeting of a series: when the rule put it and when it really happens."""

    original: dt.date
    at: dt.datetime
    moved: bool = False
    holiday: str | None = None

    @property
    def shifted(self) -> bool:
        """Return whether the holiday policy moved it off its original date."""
        return not self.moved and self.at.date() != self.original


def occurrences(
    rrule: str,
    *,
    start: dt.date,
    until: dt.date,
    time: dt.time,
    policy: Policy = "skip",
    closed_year_end: bool = True,
    cancelled: Collection[dt.date] = frozenset(),
    moved: Mapping[dt.date, dt.datetime] | None = None,
) -> list[Occurrence]:
    """Return the occurrences of `rrule` from `start` to `until` (inclusive), in time order."""
    if policy not in POLICIES:
        raise ValueError(f"unknown holiday policy {policy!r}")
    moved = moved or {}
    found = []
    for day in rule_dates(rrule, start=start, until=until):
        if day in cancelled:
            continue
        if day in moved:
            found.append(Occurrence(day, _in_tokyo(moved[day]), moved=True))
            continue
        occurrence = _apply_policy(day, time, policy, closed_year_end)
        if occurrence is not None:
            found.append(occurrence)
    return sorted(found, key=lambda o: o.at)


def rule_dates(rrule: str, *, start: dt.date, until: dt.date) -> list[dt.date]:
    """Return the dates `rrule` gives from `start` to `until`, before any holiday policy."""
    first = dt.datetime.combine(start, dt.time())
    last = dt.datetime.combine(until, dt.time())
    rule = rrulestr(rrule, dtstart=first)
    return [moment.date() for moment in rule.between(first, last, inc=True)]


def _apply_policy(
    day: dt.date, time: dt.time, policy: Policy, closed_year_end: bool
) -> Occurrence | None:
    closure = closure_name(day, closed_year_end=closed_year_end)
    if closure is None:
        return Occurrence(day, _at(day, time))
    if policy == "skip" or (policy == "keep" and closure == YEAR_END_NAME):
        return None
    if policy == "keep":
        return Occurrence(day, _at(day, time), holiday=closure)
    target = next_working_day(day, closed_year_end=closed_year_end)
    return Occurrence(day, _at(target, time), holiday=closure)


def _at(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=TOKYO)


def _in_tokyo(moment: dt.datetime) -> dt.datetime:
    """Return `moment` in Asia/Tokyo; a naive datetime is read as Tokyo wall-clock time."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=TOKYO)
    return moment.astimezone(TOKYO)
