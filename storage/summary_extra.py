"""Summary sections beyond records counted in a period: meetings ahead, SC attendance, quiet areas.

- Upcoming meetings (DOMAIN.md §6.2 item 6): the occurrences of the municipality's series in the
  days after the summary's reference day (a coordinator sees the ones they are invited to).
- SC attendance at 地域ケア会議 and 協議体 per layer (PRACTICE.md Part 1 §5.3, both 交付金
  indicators): the meetings recorded (会議記録) in the period and how many an SC attended.
- Quiet areas (issue 6 item 9): the most local areas in scope with no visit in N weeks, N being
  the municipality's setting (`SummarySetting.quiet_weeks`, default 6).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from sqlmodel import Session, col, func, select

from storage.meetings import in_audience, list_series, series_occurrences
from storage.models import Activity, Area, MeetingRecord, MeetingSeries, Member, SummarySetting

VISIT = "訪問"
UPCOMING_DAYS = 14
DEFAULT_QUIET_WEEKS = 6
ATTENDANCE_KINDS = ("協議体（第1層）", "協議体（第2層）", "地域ケア会議")


@dataclass(frozen=True)
class Upcoming:
    """One meeting ahead."""

    at: datetime
    number: int
    title: str
    kind: str


@dataclass(frozen=True)
class Attendance:
    """Meetings of one kind recorded in a period, and how many an SC attended."""

    kind: str
    held: int
    sc_attended: int
    record_numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class QuietArea:
    """An area with no visit in the last weeks, and its last visit (None: never)."""

    name: str
    last_visit: date | None


def upcoming_meetings(
    session: Session,
    *,
    municipality_id: int,
    start: date,
    days: int = UPCOMING_DAYS,
    tz: tzinfo,
    member: Member | None = None,
) -> list[Upcoming]:
    """Return the meetings from `start` for `days` days, soonest first (a member's invitations).

    Each meeting's time is given in `tz`.
    """
    found = []
    for series in list_series(session, municipality_id=municipality_id):
        if member is not None and not in_audience(session, series=series, member=member):
            continue
        for occurrence in series_occurrences(
            session, series=series, start=start, until=start + timedelta(days=days - 1)
        ):
            found.append(
                Upcoming(occurrence.at.astimezone(tz), series.number, series.title, series.kind)
            )
    return sorted(found, key=lambda u: (u.at, u.number))


def sc_attendance(
    session: Session, *, municipality_id: int, start: date, end: date
) -> list[Attendance]:
    """Return, per 協議体 layer and for 地域ケア会議, the meetings recorded and SC attendance."""
    rows = session.exec(
        select(MeetingRecord, MeetingSeries.kind)
        .join(MeetingSeries, col(MeetingSeries.id) == col(MeetingRecord.series_id))
        .where(
            MeetingRecord.municipality_id == municipality_id,
            col(MeetingRecord.occurrence) >= start,
            col(MeetingRecord.occurrence) <= end,
            col(MeetingSeries.kind).in_(ATTENDANCE_KINDS),
        )
        .order_by(col(MeetingRecord.number))
    )
    by_kind: dict[str, list[MeetingRecord]] = defaultdict(list)
    for record, kind in rows:
        by_kind[kind].append(record)
    return [
        Attendance(
            kind,
            len(by_kind[kind]),
            sum(r.sc_attended for r in by_kind[kind]),
            tuple(r.number for r in by_kind[kind]),
        )
        for kind in ATTENDANCE_KINDS
    ]


def quiet_weeks(session: Session, *, municipality_id: int) -> int:
    """Return after how many weeks without a visit an area counts as quiet (default 6)."""
    setting = session.get(SummarySetting, municipality_id)
    return setting.quiet_weeks if setting else DEFAULT_QUIET_WEEKS


def set_quiet_weeks(session: Session, *, municipality_id: int, weeks: int, now: datetime) -> None:
    """Set a municipality's number of weeks without a visit that makes an area quiet."""
    if weeks < 1:
        raise ValueError("quiet weeks must be at least 1")
    setting = session.get(SummarySetting, municipality_id) or SummarySetting(
        municipality_id=municipality_id
    )
    setting.quiet_weeks, setting.updated_at = weeks, now
    session.add(setting)
    session.flush()


def quiet_areas(
    session: Session,
    *,
    municipality_id: int,
    as_of: date,
    weeks: int,
    within: set[int] | None = None,
) -> list[QuietArea]:
    """Return the most local areas (no area below them) without a visit in `weeks` before `as_of`.

    `within` limits the areas looked at (a coordinator's areas, an area and those below it).
    The areas never visited come first, then the longest quiet.
    """
    areas = list(session.exec(select(Area).where(Area.municipality_id == municipality_id)))
    parents = {a.parent_id for a in areas}
    leaves = [a for a in areas if a.id not in parents and (within is None or a.id in within)]
    last_visits = dict(
        session.exec(
            select(Activity.area_id, func.max(Activity.occurred_on))
            .where(
                Activity.municipality_id == municipality_id,
                Activity.activity_type == VISIT,
                col(Activity.occurred_on) <= as_of,
            )
            .group_by(col(Activity.area_id))
        ).all()
    )
    since = as_of - timedelta(weeks=weeks)
    quiet = [
        QuietArea(a.name, last_visits.get(a.id))
        for a in leaves
        if (last_visits.get(a.id) or date.min) <= since
    ]
    quiet.sort(key=lambda q: (q.last_visit or date.min, q.name))
    return quiet
