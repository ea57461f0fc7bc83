"""Murmurs in a summary (DOMAIN.md §6.2 item 3): category × area × kind, change, and gaps.

A gap is a category residents murmured about in an area where no active resource serves that
category: not in the area itself, not in an area above or below it, and not municipality-wide.
Murmurs without an area cannot show a gap and are left out of that list. Only counts come out of
here; murmur texts never do.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from storage.models import Area, Murmur, Resource
from storage.records import category_codes_by_murmur

ACTIVE_RESOURCE = ("活動中", "再開")


@dataclass(frozen=True)
class AreaCell:
    """Murmurs of one primary category in one area, split by kind."""

    code: str | None
    area: str | None
    total: int
    kinds: dict[str, int]


@dataclass(frozen=True)
class Gap:
    """A category murmured about in an area that no active resource serves."""

    code: str
    area: str
    murmurs: int


@dataclass
class MurmurBreakdown:
    """The parts of a summary's murmur section beyond the per-category counts."""

    cells: list[AreaCell] = field(default_factory=list)
    previous: dict[str | None, int] = field(default_factory=dict)
    previous_count: int = 0
    gaps: list[Gap] = field(default_factory=list)


def primary_codes(session: Session, murmurs: Iterable[Murmur]) -> dict[int, str | None]:
    """Return each murmur's primary category code (None when it has none), by murmur id."""
    ids = [m.id for m in murmurs if m.id is not None]
    codes = category_codes_by_murmur(session, murmur_ids=ids)
    return {murmur_id: next(iter(found), None) for murmur_id, found in codes.items()}


def area_cells(
    murmurs: list[Murmur], primary: dict[int, str | None], areas: dict[int, str]
) -> list[AreaCell]:
    """Return murmur counts by primary category × area × kind, the largest cell first."""
    cells: dict[tuple[str | None, str | None], Counter[str]] = defaultdict(Counter)
    for murmur in murmurs:
        area = areas.get(murmur.area_id) if murmur.area_id is not None else None
        cells[(primary.get(murmur.id or 0), area)][murmur.kind] += 1
    rows = [
        AreaCell(code, area, sum(kinds.values()), dict(kinds))
        for (code, area), kinds in cells.items()
    ]
    rows.sort(key=lambda c: (-c.total, c.code is None, c.code or "", c.area is None, c.area or ""))
    return rows


def count_by_category(
    murmurs: list[Murmur], primary: dict[int, str | None]
) -> dict[str | None, int]:
    """Return murmur counts by primary category."""
    return dict(Counter(primary.get(m.id or 0) for m in murmurs))


def find_gaps(
    session: Session,
    *,
    municipality_id: int,
    murmurs: list[Murmur],
    primary: dict[int, str | None],
) -> list[Gap]:
    """Return the (category, area) pairs with murmurs and no active resource serving them."""
    rows = list(session.exec(select(Area).where(Area.municipality_id == municipality_id)))
    parent = {a.id: a.parent_id for a in rows if a.id is not None}
    names = {a.id: a.name for a in rows if a.id is not None}
    served: dict[int | None, set[str]] = defaultdict(set)  # area id (None: everywhere) → codes
    for resource in session.exec(
        select(Resource).where(
            Resource.municipality_id == municipality_id,
            col(Resource.status).in_(ACTIVE_RESOURCE),
        )
    ):
        served[resource.area_id].update(resource.categories)
    wanted: Counter[tuple[str, int]] = Counter()
    for murmur in murmurs:
        code = primary.get(murmur.id or 0)
        if code is not None and murmur.area_id is not None:
            wanted[(code, murmur.area_id)] += 1
    gaps = [
        Gap(code, names[area_id], n)
        for (code, area_id), n in wanted.items()
        if not any(code in served[a] for a in _related(area_id, parent))
    ]
    gaps.sort(key=lambda g: (-g.murmurs, g.code, g.area))
    return gaps


def _related(area_id: int, parent: dict[int, int | None]) -> set[int | None]:
    """Return an area, the areas above it, the areas below it, and None (municipality-wide)."""
    related: set[int | None] = {None}
    current: int | None = area_id
    while current is not None and current not in related:
        related.add(current)
        current = parent.get(current)
    for candidate in parent:
        above = parent.get(candidate)
        while above is not None:
            if above == area_id:
                related.add(candidate)
                break
            above = parent.get(above)
    return related
