"""Counts behind the charts: murmur categories week by week, category × area, activity by week.

Counts only — murmur texts never leave here, and restricted murmurs are counted like the others
(the charts go to members of the same municipality). `author_id` narrows to one SC's records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from storage.members import list_areas
from storage.models import Activity, Murmur
from storage.records import category_codes_by_murmur

VISIT = "訪問"
NO_AREA = None


@dataclass(frozen=True)
class WeekActivity:
    """One week's activities: visits, other work and the hours recorded."""

    monday: date
    visits: int
    others: int
    minutes: int


def week_starts(last_day: date, weeks: int) -> list[date]:
    """Return the Mondays of the `weeks` weeks that end with the week holding `last_day`."""
    monday = last_day - timedelta(days=last_day.weekday())
    return [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def murmurs_between(
    session: Session, *, municipality_id: int, start: date, end: date, author_id: int | None
) -> list[Murmur]:
    """Return the murmurs captured on [start, end] (one SC's when author_id is given)."""
    on = col(Murmur.captured_on)
    query = select(Murmur).where(Murmur.municipality_id == municipality_id, on >= start, on <= end)
    if author_id is not None:
        query = query.where(Murmur.recorded_by == author_id)
    return list(session.exec(query))


def primary_categories(session: Session, murmurs: list[Murmur]) -> dict[int, str | None]:
    """Return each murmur's primary category code (None when it has none)."""
    codes = category_codes_by_murmur(session, murmur_ids=[m.id for m in murmurs if m.id])
    return {mid: (found[0] if found else None) for mid, found in codes.items()}


def weekly_categories(
    session: Session, *, municipality_id: int, mondays: list[date], author_id: int | None
) -> Counter[tuple[date, str | None]]:
    """Return murmur counts by (week's Monday, primary category) over the given weeks."""
    murmurs = murmurs_between(
        session,
        municipality_id=municipality_id,
        start=mondays[0],
        end=mondays[-1] + timedelta(days=6),
        author_id=author_id,
    )
    primary = primary_categories(session, murmurs)
    return Counter(
        (m.captured_on - timedelta(days=m.captured_on.weekday()), primary.get(m.id or 0))
        for m in murmurs
    )


def top_level_area(session: Session, *, municipality_id: int) -> dict[int, str]:
    """Return, for each area id, the name of its top-level area (a 日常生活圏域 as a rule)."""
    areas = {a.id: a for a in list_areas(session, municipality_id=municipality_id)}
    found: dict[int, str] = {}
    for area_id, area in areas.items():
        top, seen = area, set()
        while top.parent_id is not None and top.parent_id in areas and top.id not in seen:
            seen.add(top.id)
            top = areas[top.parent_id]
        if area_id is not None:
            found[area_id] = top.name
    return found


def category_by_area(
    session: Session, *, municipality_id: int, start: date, end: date, author_id: int | None
) -> Counter[tuple[str | None, str | None]]:
    """Return murmur counts by (primary category, top-level area name) captured on [start, end]."""
    murmurs = murmurs_between(
        session, municipality_id=municipality_id, start=start, end=end, author_id=author_id
    )
    primary = primary_categories(session, murmurs)
    tops = top_level_area(session, municipality_id=municipality_id)
    return Counter(
        (primary.get(m.id or 0), tops.get(m.area_id) if m.area_id is not None else NO_AREA)
        for m in murmurs
    )


def weekly_activity(
    session: Session, *, municipality_id: int, mondays: list[date], author_id: int | None
) -> list[WeekActivity]:
    """Return visits, other activities and minutes recorded in each of the given weeks."""
    on = col(Activity.occurred_on)
    query = select(Activity).where(
        Activity.municipality_id == municipality_id,
        on >= mondays[0],
        on <= mondays[-1] + timedelta(days=6),
    )
    if author_id is not None:
        query = query.where(Activity.recorded_by == author_id)
    weeks = {monday: [0, 0, 0] for monday in mondays}
    for activity in session.exec(query):
        week = weeks[activity.occurred_on - timedelta(days=activity.occurred_on.weekday())]
        week[0 if activity.activity_type == VISIT else 1] += 1
        week[2] += activity.duration_min or 0
    return [WeekActivity(monday, *counts) for monday, counts in weeks.items()]
