"""What the scheduler remembers between passes, so a pass over 10,000 series stays cheap.

- Each series' occurrences over the scan window (two days back, HORIZON ahead) are expanded
  once and kept until the series, its cancellations and moves, or the window's day change.
- A reminder (or a minutes prompt) already handed to every member who could receive it is
  *settled*: later passes skip it while the audience fingerprint (storage/meeting_scan.py) is
  unchanged, and look again at least every RECHECK — so a member who joins or links a chat
  account later still gets what is owed to them, as before.

A `Plan` lives as long as the scheduler. `send_due` without one uses a fresh plan: every pass
then looks at everything, exactly as it did before.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sqlmodel import Session

from schedules.occurrences import Occurrence
from storage.meeting_scan import audience_version, exceptions_by_series
from storage.meetings import expand_series
from storage.models import MeetingException, MeetingSeries
from storage.reminders import list_all_series

BACK = timedelta(days=2)  # the longest look back (minutes prompts; reminders look back one day)
AHEAD = timedelta(days=31)  # how far ahead reminders are looked for
RECHECK = timedelta(minutes=10)  # a settled reminder is looked at again after this anyway


@dataclass(frozen=True)
class Scanned:
    """One series and its occurrences within the scan window."""

    series: MeetingSeries
    occurrences: list[Occurrence]


@dataclass
class Plan:
    """The scheduler's memory: expanded occurrences and settled sends (see the module doc)."""

    _expanded: dict[int, tuple[Hashable, list[Occurrence]]] = field(default_factory=dict)
    _version: tuple[int, ...] | None = None  # the audience fingerprint of the last scan
    _settled: dict[Hashable, tuple[tuple[int, ...], datetime]] = field(default_factory=dict)

    def scan(self, session: Session, *, now: datetime, tz: tzinfo) -> list[Scanned]:
        """Return every series with its occurrences from two days back to AHEAD."""
        start, until = (now - BACK).astimezone(tz).date(), now.astimezone(tz).date() + AHEAD
        changes = exceptions_by_series(session)
        found, expanded = [], {}
        for series in list_all_series(session):
            assert series.id is not None
            own = changes.get(series.id, [])
            key = _key(series, own, start, until)
            kept = self._expanded.get(series.id)
            if kept is None or kept[0] != key:
                kept = (key, expand_series(series, own, start=start, until=until))
            expanded[series.id] = kept
            found.append(Scanned(series, kept[1]))
        self._expanded = expanded  # series deleted meanwhile are forgotten
        self._version = audience_version(session)
        return found

    def settled(self, key: Hashable, now: datetime) -> bool:
        """Return whether `key` was handed out to everyone and nothing has changed since."""
        seen = self._settled.get(key)
        if seen is None or self._version is None:
            return False
        return seen[0] == self._version and now - seen[1] < RECHECK

    def settle(self, key: Hashable, now: datetime) -> None:
        """Remember that `key` reached every member who could receive it."""
        if self._version is not None:
            self._settled[key] = (self._version, now)

    def forget_before(self, day: date) -> None:
        """Drop settled keys of occurrences before `day` (keys end with the occurrence date)."""
        self._settled = {
            k: v for k, v in self._settled.items() if not isinstance(k, tuple) or k[2] >= day
        }


def _key(
    series: MeetingSeries, changes: list[MeetingException], start: date, until: date
) -> Hashable:
    return (
        series.rrule,
        series.starts_on,
        series.until,
        series.time_of_day,
        series.holiday_policy,
        series.closed_year_end,
        tuple((c.original, c.cancelled, c.moved_to) for c in changes),
        start,
        until,
    )
