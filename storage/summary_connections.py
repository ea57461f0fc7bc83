"""つなぎ and follow-ups in a summary (DOMAIN.md §6.2 items 4–5): made, opened, closed, overdue.

A connection belongs to an area through its murmur (else its resource); an SC's summary counts
the connections they recorded and the follow-ups they own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session, col, select

from storage.models import Connection, FollowUp, Murmur, Resource

TARGET_KINDS = ("resource", "organisation", "houkatsu")


@dataclass
class ConnectionCounts:
    """Connections made in a period by target, and the follow-ups opened, closed and overdue."""

    made: int = 0
    by_target: dict[str, int] = field(default_factory=dict)
    numbers: list[int] = field(default_factory=list)
    opened: int = 0
    closed: int = 0
    overdue: int = 0
    overdue_numbers: list[int] = field(default_factory=list)  # the connections' numbers


def count_connections(
    session: Session,
    *,
    municipality_id: int,
    first: datetime,
    after: datetime,
    as_of: date,
    author_id: int | None = None,
    area_ids: Collection[int] | None = None,
) -> ConnectionCounts:
    """Return the connections of a scope made in [first, after) and its follow-ups' state."""
    rows = session.exec(
        select(Connection, Murmur.area_id, Resource.area_id)
        .join(Murmur, col(Murmur.id) == col(Connection.murmur_id), isouter=True)
        .join(Resource, col(Resource.id) == col(Connection.resource_id), isouter=True)
        .where(Connection.municipality_id == municipality_id)
        .order_by(col(Connection.number))
    ).all()
    in_scope = {
        c.id: c
        for c, murmur_area, resource_area in rows
        if area_ids is None or (murmur_area or resource_area) in area_ids
    }
    made = [
        c
        for c in in_scope.values()
        if first <= c.created_at < after and (author_id is None or c.created_by == author_id)
    ]
    counts = ConnectionCounts(
        made=len(made),
        by_target=dict(Counter(c.target_kind for c in made)),
        numbers=[c.number for c in made],
    )
    follow_ups = session.exec(
        select(FollowUp).where(FollowUp.municipality_id == municipality_id)
    ).all()
    for follow_up in follow_ups:
        connection = in_scope.get(follow_up.connection_id)
        if connection is None or (author_id is not None and follow_up.owner_id != author_id):
            continue
        counts.opened += first <= follow_up.created_at < after
        done = follow_up.done_at
        counts.closed += done is not None and first <= done < after
        if follow_up.due_on < as_of and (done is None or done >= after):
            counts.overdue += 1
            counts.overdue_numbers.append(connection.number)
    counts.overdue_numbers.sort()
    return counts
