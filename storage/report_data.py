"""The numbers of a monthly 活動報告 (PRACTICE.md Part 2(b)), drawn from the records of a period.

1 活動実績: days with an activity, hours in the field vs at the desk (事務, 電話・調査 and
来所相談 count as desk work, everything else as time in the area), counts by 活動区分, visits
(new ones), meetings attended (地域ケア会議 from the 会議記録), phone calls and surveys, training.
2 協議体: the 会議記録 of 協議体 meetings held in the period. 4 地域の声: murmurs by 分野 × 地区
and the top categories. 5 地域資源: new / updated / paused / resumed / closed (ResourceChange).
6 つなぎ. 9 翌月の予定: the meetings of the following month. Sections 3, 7 and 8 are written by
the member (ActivityReport.sections).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo

from sqlmodel import Session, col, select

from storage.meetings import in_audience, list_series, series_occurrences
from storage.models import Activity, MeetingRecord, MeetingSeries, Member, Municipality
from storage.resources import resource_changes
from storage.summaries import Period, Scope, Summary, activities_in, build_summary, month_of
from storage.summary_extra import Upcoming, upcoming_meetings

DESK_TYPES = ("事務", "電話・調査", "来所相談")
MEETING_TYPE = "会議・集まり参加"
PHONE_TYPE = "電話・調査"
TRAINING_TYPE = "研修"
COUNCIL_KINDS = ("協議体（第1層）", "協議体（第2層）")
CARE_MEETING = "地域ケア会議"
RESOURCE_CHANGES = ("new", "updated", "paused", "resumed", "closed")
STATUS_CHANGE = {"休止": "paused", "再開": "resumed", "廃止": "closed"}
TOP_ISSUES = 5
LOOK_BACK_DAYS = 400


@dataclass(frozen=True)
class Council:
    """One 協議体 meeting held, from its 会議記録."""

    number: int
    day: date
    kind: str
    title: str
    ordinal: int
    present: int
    total: int
    agenda: str
    decisions: str | None
    follow_up: str | None


@dataclass
class ReportData:
    """Everything of a 活動報告 that comes from the records."""

    municipality: str
    member_name: str | None  # None: the whole municipality
    layer: int | None
    period: Period
    summary: Summary
    days: int = 0
    field_minutes: int = 0
    desk_minutes: int = 0
    meetings: int = 0
    care_meetings: int = 0
    phone: int = 0
    training: int = 0
    councils: list[Council] = field(default_factory=list)
    top_issues: list[tuple[str | None, int]] = field(default_factory=list)
    resources: dict[str, int] = field(default_factory=dict)
    next_month: list[Upcoming] = field(default_factory=list)


def build_report_data(
    session: Session,
    *,
    municipality_id: int,
    period: Period,
    tz: tzinfo,
    member: Member | None = None,
) -> ReportData:
    """Return the numbers of a 活動報告: one SC's (`member`) or the whole municipality's."""
    author_id = member.id if member is not None else None
    summary = build_summary(
        session, municipality_id=municipality_id, period=period, tz=tz, author_id=author_id
    )
    municipality = session.get(Municipality, municipality_id)
    data = ReportData(
        municipality=municipality.name if municipality else "",
        member_name=member.name if member is not None else None,
        layer=member.layer if member is not None else None,
        period=period,
        summary=summary,
    )
    activities = activities_in(session, Scope(municipality_id, author_id), period)
    _count_work(data, activities)
    data.care_meetings = sum(a.sc_attended for a in summary.attendance if a.kind == CARE_MEETING)
    data.councils = councils_held(session, municipality_id=municipality_id, period=period)
    data.top_issues = [(code, total) for code, total, _ in summary.murmurs.by_category][:TOP_ISSUES]
    data.resources = count_resource_changes(
        session, municipality_id=municipality_id, period=period, tz=tz, member_id=author_id
    )
    following = month_of(*_next_month(period.end))
    days = (following.end - following.start).days + 1
    data.next_month = upcoming_meetings(
        session,
        municipality_id=municipality_id,
        start=following.start,
        days=days,
        tz=tz,
        member=member,
    )
    return data


def _next_month(day: date) -> tuple[int, int]:
    return (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)


def _count_work(data: ReportData, activities: list[Activity]) -> None:
    """Count the days, the hours in the field and at the desk, and the kinds of work."""
    data.days = len({a.occurred_on for a in activities})
    for activity in activities:
        minutes = activity.duration_min or 0
        if activity.activity_type in DESK_TYPES:
            data.desk_minutes += minutes
        else:
            data.field_minutes += minutes
    types = Counter(a.activity_type for a in activities)
    data.meetings = types[MEETING_TYPE]
    data.phone = types[PHONE_TYPE]
    data.training = types[TRAINING_TYPE]


def councils_held(session: Session, *, municipality_id: int, period: Period) -> list[Council]:
    """Return the 協議体 meetings recorded in a period, oldest first."""
    rows = session.exec(
        select(MeetingRecord, MeetingSeries)
        .join(MeetingSeries, col(MeetingSeries.id) == col(MeetingRecord.series_id))
        .where(
            MeetingRecord.municipality_id == municipality_id,
            col(MeetingRecord.occurrence) >= period.start,
            col(MeetingRecord.occurrence) <= period.end,
            col(MeetingSeries.kind).in_(COUNCIL_KINDS),
        )
        .order_by(col(MeetingRecord.occurrence), col(MeetingRecord.number))
    )
    return [
        Council(
            record.number,
            record.occurrence,
            series.kind,
            series.title,
            record.ordinal,
            record.attendees_present,
            record.attendees_total,
            record.agenda,
            record.decisions,
            record.follow_up,
        )
        for record, series in rows
    ]


def count_resource_changes(
    session: Session,
    *,
    municipality_id: int,
    period: Period,
    tz: tzinfo,
    member_id: int | None = None,
) -> dict[str, int]:
    """Return resources new / updated / paused / resumed / closed in a period (by a member)."""
    first, after = period.utc_bounds(tz)
    counts = dict.fromkeys(RESOURCE_CHANGES, 0)
    for change in resource_changes(
        session, municipality_id=municipality_id, start=first, end=after
    ):
        if member_id is not None and change.member_id != member_id:
            continue
        if change.change == "created":
            counts["new"] += 1
        elif change.change == "updated":
            counts["updated"] += 1
        elif change.change == "status" and change.status_after in STATUS_CHANGE:
            counts[STATUS_CHANGE[change.status_after]] += 1
    return counts


def last_regular_meeting(
    session: Session, *, member: Member, now: datetime, tz: tzinfo, kind: str = "定例連絡会"
) -> date | None:
    """Return the day of the latest 定例連絡会 (the member is invited to) already begun, or None."""
    today = now.astimezone(tz).date()
    held: list[datetime] = []
    for series in list_series(session, municipality_id=member.municipality_id):
        if series.kind != kind or not in_audience(session, series=series, member=member):
            continue
        found = series_occurrences(
            session, series=series, start=today - timedelta(days=LOOK_BACK_DAYS), until=today
        )
        held += [o.at for o in found if o.at <= now]
    return max(held).astimezone(tz).date() if held else None
