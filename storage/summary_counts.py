"""The counts of a summary: activities (hours, 活動区分, visits) and murmurs (category × kind)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session

from storage.access import is_author_only
from storage.models import Activity, Murmur
from storage.summary_murmurs import primary_codes

VISIT = "訪問"
KUBUN_ORDER = ("把握", "資源開発", "ネットワーク構築", "マッチング", "協議体運営")


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
    counts.visits_by_area = Counter(areas.get(v.area_id or 0) for v in visits).most_common()
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
    primary = primary_codes(session, murmurs)
    cells: dict[str | None, Counter[str]] = defaultdict(Counter)
    for murmur in murmurs:
        cells[primary.get(murmur.id or 0)][murmur.kind] += 1
    rows = [(code, sum(kinds.values()), dict(kinds)) for code, kinds in cells.items()]
    rows.sort(key=lambda row: (-row[1], row[0] is None, row[0] or ""))
    return MurmurCounts(
        count=len(murmurs),
        restricted=sum(is_author_only(m) for m in murmurs),
        by_category=rows,
    )
