"""Weekly and monthly summaries (DOMAIN.md §6.2): counts over a period for one scope.

A scope is one SC (`author_id`: their own records), one area (`area_id`: the records of the area
and every area below it) or the whole municipality (neither). Only counts and names of
resources and leads come out of here: murmur texts are never part of a summary (restricted
murmurs are counted, never quoted). The murmur breakdown and gaps are in
`storage.summary_murmurs`, meetings and quiet areas in `storage.summary_extra`, connections and
follow-ups in `storage.summary_connections`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from sqlmodel import Session, col, select

from storage.members import area_and_descendant_ids, member_area_ids
from storage.models import Activity, Lead, Member, Murmur, Resource
from storage.records import area_names
from storage.summary_connections import ConnectionCounts, count_connections
from storage.summary_counts import ActivityCounts, MurmurCounts, count_activities, count_murmurs
from storage.summary_extra import (
    Attendance,
    QuietArea,
    Upcoming,
    quiet_areas,
    quiet_weeks,
    sc_attendance,
    upcoming_meetings,
)
from storage.summary_murmurs import (
    MurmurBreakdown,
    area_cells,
    count_by_category,
    find_gaps,
    primary_codes,
)

OPEN_LEAD = "未訪問"


@dataclass(frozen=True)
class Period:
    """A span of local dates, both ends included."""

    start: date
    end: date

    def utc_bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """Return the period as [start, end) instants for timestamp columns."""
        first = datetime.combine(self.start, time(), tzinfo=tz)
        after = datetime.combine(self.end + timedelta(days=1), time(), tzinfo=tz)
        return first, after


def week_of(day: date) -> Period:
    """Return the Monday–Sunday week that contains a day."""
    monday = day - timedelta(days=day.weekday())
    return Period(monday, monday + timedelta(days=6))


def iso_week(year: int, week: int) -> Period:
    """Return ISO week `week` of `year` (2026-W47); ValueError if there is no such week."""
    return week_of(date.fromisocalendar(year, week, 1))


def month_of(year: int, month: int) -> Period:
    """Return a calendar month; ValueError if there is no such month."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(first, following - timedelta(days=1))


def previous_period(period: Period) -> Period:
    """Return the period to compare with: the month before a calendar month, else as long before."""
    if period == month_of(period.start.year, period.start.month):
        last = period.start - timedelta(days=1)
        return month_of(last.year, last.month)
    length = period.end - period.start + timedelta(days=1)
    return Period(period.start - length, period.end - length)


@dataclass
class Summary:
    period: Period
    author_id: int | None
    activities: ActivityCounts
    murmurs: MurmurCounts
    new_resources: list[tuple[int, str, str | None, str | None]]  # number, name, kind, area
    open_leads: list[tuple[int, str, str | None]]  # number, label, area
    area_id: int | None = None
    breakdown: MurmurBreakdown = field(default_factory=MurmurBreakdown)
    connections: ConnectionCounts = field(default_factory=ConnectionCounts)
    upcoming: list[Upcoming] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    quiet_weeks: int = 6
    quiet: list[QuietArea] = field(default_factory=list)


@dataclass(frozen=True)
class Scope:
    """Whose records: one author's, one area's (with the areas below it) or everyone's."""

    municipality_id: int
    author_id: int | None = None
    area_ids: frozenset[int] | None = None


def build_summary(
    session: Session,
    *,
    municipality_id: int,
    period: Period,
    tz: tzinfo,
    author_id: int | None = None,
    area_id: int | None = None,
    today: date | None = None,
) -> Summary:
    """Return the summary of a period for one author, one area or the whole municipality.

    `today` is where "upcoming meetings" and "quiet areas" are counted from (default: the day
    after the period, or its last day for quiet areas).
    """
    areas = area_names(session, municipality_id=municipality_id)
    area_ids = (
        frozenset(
            area_and_descendant_ids(session, municipality_id=municipality_id, area_id=area_id)
        )
        if area_id is not None
        else None
    )
    scope = Scope(municipality_id, author_id, area_ids)
    activities = activities_in(session, scope, period)
    murmurs = murmurs_in(session, scope, period)
    first, after = period.utc_bounds(tz)
    resources = _created_rows(session, Resource, scope, first, after)
    leads = _created_rows(session, Lead, scope, first, after)
    author = session.get(Member, author_id) if author_id is not None else None
    weeks = quiet_weeks(session, municipality_id=municipality_id)
    as_of = min(today, period.end) if today else period.end
    return Summary(
        period=period,
        author_id=author_id,
        activities=count_activities(activities, areas),
        murmurs=count_murmurs(session, murmurs),
        new_resources=[(r.number, r.name, r.kind, _area(areas, r.area_id)) for r in resources],
        open_leads=[
            (lead.number, lead.label, _area(areas, lead.area_id))
            for lead in leads
            if lead.status == OPEN_LEAD
        ],
        area_id=area_id,
        breakdown=murmur_breakdown(session, scope, period, murmurs, areas),
        connections=count_connections(
            session,
            municipality_id=municipality_id,
            author_id=author_id,
            area_ids=area_ids,
            first=first,
            after=after,
            as_of=as_of,
        ),
        upcoming=upcoming_meetings(
            session,
            municipality_id=municipality_id,
            start=today or period.end + timedelta(days=1),
            tz=tz,
            member=author,
        ),
        attendance=sc_attendance(
            session, municipality_id=municipality_id, start=period.start, end=period.end
        ),
        quiet_weeks=weeks,
        quiet=quiet_areas(
            session,
            municipality_id=municipality_id,
            as_of=as_of,
            weeks=weeks,
            within=_quiet_scope(session, scope, author),
        ),
    )


def murmur_breakdown(
    session: Session, scope: Scope, period: Period, murmurs: list[Murmur], areas: dict[int, str]
) -> MurmurBreakdown:
    """Return murmurs by category × area × kind, the previous period's counts and the gaps."""
    primary = primary_codes(session, murmurs)
    before = murmurs_in(session, scope, previous_period(period))
    return MurmurBreakdown(
        cells=area_cells(murmurs, primary, areas),
        previous=count_by_category(before, primary_codes(session, before)),
        previous_count=len(before),
        gaps=find_gaps(
            session, municipality_id=scope.municipality_id, murmurs=murmurs, primary=primary
        ),
    )


def _quiet_scope(session: Session, scope: Scope, author: Member | None) -> set[int] | None:
    """Return the areas whose quiet matters: the scope's area, the SC's areas, or all (None)."""
    if scope.area_ids is not None:
        return set(scope.area_ids)
    if author is None or author.id is None:
        return None
    assigned = member_area_ids(session, member_id=author.id)
    if not assigned:
        return None
    within: set[int] = set()
    for area_id in assigned:
        within |= area_and_descendant_ids(
            session, municipality_id=scope.municipality_id, area_id=area_id
        )
    return within


def _area(areas: dict[int, str], area_id: int | None) -> str | None:
    return areas.get(area_id) if area_id is not None else None


def activities_in(session: Session, scope: Scope, period: Period) -> list[Activity]:
    """Return the activities of a scope on the days of a period."""
    on = col(Activity.occurred_on)
    query = select(Activity).where(
        Activity.municipality_id == scope.municipality_id, on >= period.start, on <= period.end
    )
    if scope.author_id is not None:
        query = query.where(Activity.recorded_by == scope.author_id)
    if scope.area_ids is not None:
        query = query.where(col(Activity.area_id).in_(scope.area_ids))
    return list(session.exec(query.order_by(col(Activity.number))))


def murmurs_in(session: Session, scope: Scope, period: Period) -> list[Murmur]:
    """Return the murmurs of a scope captured on the days of a period."""
    on = col(Murmur.captured_on)
    query = select(Murmur).where(
        Murmur.municipality_id == scope.municipality_id, on >= period.start, on <= period.end
    )
    if scope.author_id is not None:
        query = query.where(Murmur.recorded_by == scope.author_id)
    if scope.area_ids is not None:
        query = query.where(col(Murmur.area_id).in_(scope.area_ids))
    return list(session.exec(query.order_by(col(Murmur.number))))


def _created_rows(
    session: Session,
    table: type[Resource] | type[Lead],
    scope: Scope,
    first: datetime,
    after: datetime,
) -> list:
    created = col(table.created_at)
    query = select(table).where(
        table.municipality_id == scope.municipality_id, created >= first, created < after
    )
    if scope.author_id is not None:
        query = query.where(table.created_by == scope.author_id)
    if scope.area_ids is not None:
        query = query.where(col(table.area_id).in_(scope.area_ids))
    return list(session.exec(query.order_by(col(table.number))))
