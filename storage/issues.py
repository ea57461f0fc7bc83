"""The murmurs behind an area's 課題: kind and primary category of each, never their text."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlmodel import Session, col, select

from storage.models import Murmur, MurmurCategory


def murmur_facets(
    session: Session, *, municipality_id: int, area_ids: Iterable[int] | None, since: date
) -> list[tuple[str, str | None]]:
    """Return (kind, primary category) of every murmur since a date (restricted ones included).

    `area_ids` None means the whole municipality. Only counts are made of these rows, so
    restricted murmurs can be counted without being quoted.
    """
    query = (
        select(Murmur.kind, MurmurCategory.category_code)
        .join(
            MurmurCategory,
            (col(MurmurCategory.murmur_id) == col(Murmur.id)) & (col(MurmurCategory.position) == 0),
            isouter=True,
        )
        .where(Murmur.municipality_id == municipality_id, col(Murmur.captured_on) >= since)
    )
    if area_ids is not None:
        query = query.where(col(Murmur.area_id).in_(list(area_ids)))
    return [(kind, code) for kind, code in session.exec(query)]
