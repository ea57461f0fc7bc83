"""What a peer group may see: masked text, coarse areas, counts with small cells suppressed.

DOMAIN.md §7.3 (`peer_anonymised`): no names, no fine-grained place, area at the 日常生活圏域
or coarser, and aggregate counts under 3 suppressed. In a chat connected to a peer group only
replies tagged `PEER_TAG` (made for the group: shared copies, trends, worries and tips) may be
posted to everyone; `confine_to_peer` marks every other reply restricted, which the channels
answer ephemerally or not at all.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from bot.messages import Reply
from bot.privacy import mask_pii, needs_restriction
from bot.texts import t
from storage.access import is_author_only
from storage.models import Activity, Area, AreaKind, Murmur

PEER_TAG = "peer"
SUPPRESS_BELOW = 3
AREA_MARK = "[地区]"
PLACE_MARK = "[場所]"
INDIVIDUAL_KIND = "気になる人"
ACTIVITY_FIELDS = ("purpose", "treasures", "outcome")
_AREA_SUFFIXES = ("自治会", "町内会", "小学校区", "中学校区", "校区", "地区", "行政区")


def peer_text(record: Activity | Murmur) -> str:
    """Return what of a record may be shared, before masking: a murmur's text, a visit's notes.

    An activity's place, counterpart and companions are never part of it.
    """
    if isinstance(record, Murmur):
        return record.text
    parts = ((f, getattr(record, f)) for f in ACTIVITY_FIELDS)
    return "\n".join(f"{t(f'records.field.{f}')}: {value}" for f, value in parts if value)


def share_refusal(record: Activity | Murmur) -> str | None:
    """Return why a record may not go to a peer group (scope, individual, sensitive), or None."""
    if isinstance(record, Murmur):
        if is_author_only(record):
            return record.sharing_scope
        if record.kind == INDIVIDUAL_KIND:
            return "individual"
    kind = record.kind if isinstance(record, Murmur) else record.activity_type
    return "sensitive" if needs_restriction(peer_text(record), kind) else None


def coarse_area_label(areas: Sequence[Area], area_id: int | None, municipality: str) -> str:
    """Return the 日常生活圏域 an area lies in (walking up the tree), or the municipality."""
    by_id = {a.id: a for a in areas}
    current = by_id.get(area_id) if area_id is not None else None
    seen: set[int | None] = set()
    while current is not None and current.id not in seen:
        if current.kind == AreaKind.DAILY_LIFE.value:
            return current.name
        seen.add(current.id)
        current = by_id.get(current.parent_id) if current.parent_id is not None else None
    return municipality


def fine_places(areas: Iterable[Area], private_resources: Iterable[str]) -> dict[str, str]:
    """Return the place names peers must not see, each with the mark that replaces it."""
    places: dict[str, str] = {}
    for area in areas:
        if area.kind == AreaKind.DAILY_LIFE.value:
            continue
        name = unicodedata.normalize("NFKC", area.name)
        places[name] = AREA_MARK
        stem = _stem(name)
        if len(stem) >= 2:
            places.setdefault(stem, AREA_MARK)
    for resource in private_resources:
        places[unicodedata.normalize("NFKC", resource)] = PLACE_MARK
    return places


def _stem(name: str) -> str:
    for suffix in _AREA_SUFFIXES:
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def mask_for_peers(text: str, places: Mapping[str, str]) -> str:
    """Return text with names, phone numbers, addresses and fine-grained places masked."""
    masked = mask_pii(text)
    for name in sorted(places, key=len, reverse=True):
        if name:
            masked = masked.replace(name, places[name])
    return masked


@dataclass(frozen=True)
class Cell:
    """One count as peers see it: None when suppressed; `at_least` for a lower bound."""

    value: int | None
    at_least: bool = False


@dataclass(frozen=True)
class TrendRow:
    code: str | None
    cells: tuple[Cell, ...]  # one per municipality, in the group's order
    total: Cell


def suppress(count: int) -> Cell:
    """Return a count, or a suppressed cell when it is under 3 (zero included)."""
    return Cell(count) if count >= SUPPRESS_BELOW else Cell(None)


def total_cell(counts: Sequence[int]) -> Cell:
    """Return a row's total that cannot give a suppressed cell away by subtraction.

    With every cell shown the total is exact; otherwise it is the sum of the shown cells as a
    lower bound ("N以上"), since an exact total minus the shown cells would reveal the rest.
    """
    total = sum(counts)
    if total < SUPPRESS_BELOW:
        return Cell(None)
    if all(c >= SUPPRESS_BELOW for c in counts):
        return Cell(total)
    shown = sum(c for c in counts if c >= SUPPRESS_BELOW)
    return Cell(max(shown, SUPPRESS_BELOW), at_least=True)


def trend_rows(
    counts: Mapping[tuple[int, str | None], int],
    municipality_ids: Sequence[int],
    category_order: Sequence[str],
) -> list[TrendRow]:
    """Return one suppressed row per category with any murmur, in taxonomy order (none last)."""
    present = {code for (_, code), n in counts.items() if n}
    ordered: list[str | None] = [c for c in category_order if c in present]
    ordered += sorted(c for c in present if c is not None and c not in category_order)
    if None in present:
        ordered.append(None)
    rows = []
    for code in ordered:
        values = [counts.get((m, code), 0) for m in municipality_ids]
        rows.append(TrendRow(code, tuple(suppress(v) for v in values), total_cell(values)))
    return rows


def confine_to_peer(replies: list[Reply]) -> list[Reply]:
    """Mark replies made for the peer group public and every other reply restricted (answered
    to its asker only)."""
    return [
        r
        if r.restricted
        else replace(r, public=True)
        if PEER_TAG in r.tags
        else replace(r, restricted=True)
        for r in replies
    ]
