"""Time as an injected dependency: the real clock in production, a settable one in tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Anything that can tell the current time (always timezone-aware UTC)."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; used by tests and the demo."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._now = start.astimezone(UTC)

    def now(self) -> datetime:
        """Return the clock's current time."""
        return self._now

    def advance(self, **delta: float) -> None:
        """Move the clock forward by a timedelta given as keyword arguments."""
        self._now += timedelta(**delta)

    def set(self, moment: datetime) -> None:
        """Jump to a given (timezone-aware) moment."""
        self._now = moment.astimezone(UTC)


def local_today(clock: Clock, tz: tzinfo) -> date:
    """Return today's date in the configured time zone."""
    return clock.now().astimezone(tz).date()


def zone(name: str) -> ZoneInfo:
    """Return the ZoneInfo for a configured time-zone name."""
    return ZoneInfo(name)
