"""Weekly and monthly summaries (DOMAIN.md §6.2): counts over a period, for one SC or a municipality.

Only counts and names of resources and leads come out of here: murmur texts are never part of
a summary (restricted murmurs are counted, never quoted).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from sqlmodel import Session, col, select

from storage.access import is_author_only
from storage.models import Activity, Lead, Murmur, Resource
from storage.records import area_names, category_codes_by_murmur

VISIT = "訪問"
OPEN_LEAD = "未訪問"
KUBUN_ORDER = ("把握", "資源開発", "ネットワーク構築", "マッチング", "協議体運営")


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


@dataclass
class ActivityCounts:
    count: int = 0
    minutes: int = 0
    untimed: int = 0
    visit_minutes: int = 0
    other_minutes: int = 0
    by_type: list[tuple[str, int, int]] = field(default_factory=list)
    by_kubun: list[tuple[str | None, int, int]] = field(default_factory=list)
    visits: int = 0
    visits_by_purpose: list[tuple[str | None, int]] = field(default_factory=list)
    visits_by_area: list[tuple[str | None, int]] = field(default_factory=list)
    first_visits: int = 0
    repeat_visits: int = 0


@dataclass
class MurmurCounts:
    count: int = 0
    restricted: int = 0
    # (primary category code or None, total, {kind: count}), the most frequent first
    by_category: list[tuple[str | None, int, dict[str, int]]] = field(default_factory=list)


@dataclass
class Summary:
    period: Period
    author_id: int | None
    activities: ActivityCounts
    murmurs: MurmurCounts
    new_resources: list[tuple[int, str, str | None, str | None]]  # number, name, kind, area
    open_leads: list[tuple[int, str, str | None]]  # number, label, area


def build_summary(
    session: Session,
    *,
    municipality_id: int,
    period: Period,
    tz: tzinfo,
    author_id: int | None = None,
) -> Summary:
    """Return the summary of a municipality's period, or of one author's records in it."""
    areas = area_names(session, municipality_id=municipality_id)
    activities = _activities_in(session, municipality_id, author_id, period)
    murmurs = _murmurs_in(session, municipality_id, author_id, period)
    first, after = period.utc_bounds(tz)
    resources = _created_rows(session, Resource, municipality_id, author_id, first, after)
    leads = _created_rows(session, Lead, municipality_id, author_id, first, after)
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
    )


def _area(areas: dict[int, str], area_id: int | None) -> str | None:
    return areas.get(area_id) if area_id is not None else None


def _activities_in(
    session: Session, municipality_id: int, author_id: int | None, period: Period
) -> list[Activity]:
    on = col(Activity.occurred_on)
    query = select(Activity).where(
        Activity.municipality_id == municipality_id, on >= period.start, on <= period.end
    )
    if author_id is not None:
        query = query.where(Activity.recorded_by == author_id)
    return list(session.exec(query.order_by(col(Activity.number))))


def _murmurs_in(
    session: Session, municipality_id: int, author_id: int | None, period: Period
) -> list[Murmur]:
    on = col(Murmur.captured_on)
    query = select(Murmur).where(
        Murmur.municipality_id == municipality_id, on >= period.start, on <= period.end
    )
    if author_id is not None:
        query = query.where(Murmur.recorded_by == author_id)
    return list(session.exec(query.order_by(col(Murmur.number))))


def _created_rows(
    session: Session,
    table: type[Resource] | type[Lead],
    municipality_id: int,
    author_id: int | None,
    first: datetime,
    after: datetime,
) -> list:
    created = col(table.created_at)
    query = select(table).where(
        table.municipality_id == municipality_id, created >= first, created < after
    )
    if author_id is not None:
        query = query.where(table.created_by == author_id)
    return list(session.exec(query.order_by(col(table.number))))


def count_activities(activities: list[Activity], areas: dict[int, str]) -> ActivityCounts:
    """Return the activity counts and hours of a list of activities."""
    counts = ActivityCounts(count=len(activities))
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_kubun: dict[str | None, list[int]] = defaultdict(lambda: [0, 0])
    for activity in activities:
        minutes = activity.duration_min or 0
        counts.untimed += activity.duration_min is None
        counts.minutes += minutes
        is_visit = activity.activity_type == VISIT
        counts.visit_minutes += minutes if is_visit else 0
        counts.other_minutes += 0 if is_visit else minutes
        for bucket in (by_type[activity.activity_type], by_kubun[activity.kubun]):
            bucket[0] += 1
            bucket[1] += minutes
    counts.by_type = sorted(((k, n, m) for k, (n, m) in by_type.items()), key=_by_count)
    counts.by_kubun = sorted(((k, n, m) for k, (n, m) in by_kubun.items()), key=_kubun_rank)
    visits = [a for a in activities if a.activity_type == VISIT]
    counts.visits = len(visits)
    counts.visits_by_purpose = Counter(v.purpose for v in visits).most_common()
    counts.visits_by_area = Counter(_area(areas, v.area_id) for v in visits).most_common()
    counts.first_visits = sum(v.visit_ordinal == 1 for v in visits)
    counts.repeat_visits = sum((v.visit_ordinal or 0) > 1 for v in visits)
    return counts


def _by_count(row: tuple[str, int, int]) -> tuple[int, str]:
    return -row[1], row[0]


def _kubun_rank(row: tuple[str | None, int, int]) -> tuple[int, str]:
    kubun = row[0]
    if kubun in KUBUN_ORDER:
        return KUBUN_ORDER.index(kubun), ""
    return len(KUBUN_ORDER) + (kubun is None), kubun or ""


def count_murmurs(session: Session, murmurs: list[Murmur]) -> MurmurCounts:
    """Return murmur counts by primary category × kind, the most frequent category first."""
    ids = [m.id for m in murmurs if m.id is not None]
    codes = category_codes_by_murmur(session, murmur_ids=ids)
    cells: dict[str | None, Counter[str]] = defaultdict(Counter)
    for murmur in murmurs:
        primary = next(iter(codes.get(murmur.id or 0, [])), None)
        cells[primary][murmur.kind] += 1
    rows = [(code, sum(kinds.values()), dict(kinds)) for code, kinds in cells.items()]
    rows.sort(key=lambda row: (-row[1], row[0] is None, row[0] or ""))
    return MurmurCounts(
        count=len(murmurs),
        restricted=sum(is_author_only(m) for m in murmurs),
        by_category=rows,
    )
