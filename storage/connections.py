"""つなぎ (Connection) and their follow-ups, and the murmur status they move along.

A connection links a murmur to a resource, to an organisation (free text) or refers it to the
地域包括支援センター. A follow-up (at most one per connection) is an owner and a due date; due
follow-ups are reminded once a day per member, keyed by a unique `FollowUpReminder` row.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from storage.members import next_record_number
from storage.models import Connection, FollowUp, FollowUpReminder, Murmur

TO_RESOURCE = "resource"
TO_ORGANISATION = "organisation"
TO_HOUKATSU = "houkatsu"
TARGET_KINDS: tuple[str, ...] = (TO_RESOURCE, TO_ORGANISATION, TO_HOUKATSU)

# A murmur's status steps (DOMAIN.md §3.7).
MURMUR_STATUSES: tuple[str, ...] = (
    "新規",
    "共有済",
    "検討中",
    "つないだ",
    "資源化",
    "既存資源で対応",
    "個別対応へ引継ぎ",
    "見送り",
)
CONNECTED = "つないだ"
RESOURCE_MADE = "資源化"
HANDED_OVER = "個別対応へ引継ぎ"

Pair = tuple[FollowUp, Connection]


def add_connection(
    session: Session,
    *,
    municipality_id: int,
    created_by: int,
    target_kind: str,
    now: datetime,
    murmur_id: int | None = None,
    resource_id: int | None = None,
    organisation: str | None = None,
    note: str | None = None,
) -> Connection:
    """Record a connection with the next record number."""
    if target_kind not in TARGET_KINDS:
        raise ValueError(f"unknown connection target: {target_kind}")
    connection = Connection(
        municipality_id=municipality_id,
        number=next_record_number(session, municipality_id=municipality_id),
        murmur_id=murmur_id,
        target_kind=target_kind,
        resource_id=resource_id,
        organisation=organisation,
        note=note,
        created_by=created_by,
        created_at=now,
    )
    session.add(connection)
    session.flush()
    return connection


def add_follow_up(
    session: Session, *, connection: Connection, owner_id: int, due_on: date, now: datetime
) -> FollowUp:
    """Add the follow-up of a connection."""
    assert connection.id is not None
    follow_up = FollowUp(
        municipality_id=connection.municipality_id,
        connection_id=connection.id,
        owner_id=owner_id,
        due_on=due_on,
        created_at=now,
    )
    session.add(follow_up)
    session.flush()
    return follow_up


def get_connection(session: Session, *, municipality_id: int, number: int) -> Connection | None:
    """Return connection #number of a municipality, if any."""
    return session.exec(
        select(Connection).where(
            Connection.municipality_id == municipality_id, Connection.number == number
        )
    ).first()


def connections_of_murmur(session: Session, *, murmur_id: int) -> list[Connection]:
    """Return a murmur's connections, oldest first."""
    query = select(Connection).where(Connection.murmur_id == murmur_id)
    return list(session.exec(query.order_by(col(Connection.number))))


def list_connections(
    session: Session, *, municipality_id: int, start: datetime, end: datetime
) -> list[Connection]:
    """Return a municipality's connections made in [start, end), oldest first."""
    query = select(Connection).where(
        Connection.municipality_id == municipality_id,
        col(Connection.created_at) >= start,
        col(Connection.created_at) < end,
    )
    return list(session.exec(query.order_by(col(Connection.number))))


def follow_up_of(session: Session, *, connection_id: int) -> FollowUp | None:
    """Return a connection's follow-up, if it has one."""
    return session.exec(select(FollowUp).where(FollowUp.connection_id == connection_id)).first()


def open_follow_ups(session: Session, *, owner_id: int) -> list[Pair]:
    """Return a member's follow-ups not yet done, soonest due first."""
    query = (
        select(FollowUp, Connection)
        .join(Connection, col(Connection.id) == col(FollowUp.connection_id))
        .where(FollowUp.owner_id == owner_id, col(FollowUp.done_at).is_(None))
        .order_by(col(FollowUp.due_on), col(Connection.number))
    )
    return [(f, c) for f, c in session.exec(query)]


def close_follow_up(session: Session, follow_up: FollowUp, *, now: datetime) -> None:
    """Mark a follow-up done."""
    follow_up.done_at = now
    session.add(follow_up)
    session.flush()


def due_follow_ups(session: Session, *, today: date) -> dict[int, list[Pair]]:
    """Return the open follow-ups due today or earlier, by owner, of every municipality."""
    query = (
        select(FollowUp, Connection)
        .join(Connection, col(Connection.id) == col(FollowUp.connection_id))
        .where(col(FollowUp.done_at).is_(None), col(FollowUp.due_on) <= today)
        .order_by(col(FollowUp.owner_id), col(FollowUp.due_on), col(Connection.number))
    )
    found: dict[int, list[Pair]] = defaultdict(list)
    for follow_up, connection in session.exec(query):
        found[follow_up.owner_id].append((follow_up, connection))
    return dict(found)


def claim_follow_up_reminder(
    session: Session, *, member_id: int, day: date, count: int, now: datetime
) -> bool:
    """Record the day's follow-up reminder of a member unless it is already; return whether taken."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = (
        insert(FollowUpReminder)
        .values([{"member_id": member_id, "day": day, "count": count, "sent_at": now}])
        .on_conflict_do_nothing(index_elements=["member_id", "day"])
        .returning(col(FollowUpReminder.id))
    )
    return len(session.connection().execute(statement).all()) == 1


def set_murmur_status(session: Session, murmur: Murmur, *, status: str, now: datetime) -> None:
    """Move a murmur along its status steps (新規 → … → つないだ / 資源化 / …)."""
    if status not in MURMUR_STATUSES:
        raise ValueError(f"unknown murmur status: {status}")
    murmur.status = status
    murmur.updated_at = now
    session.add(murmur)
    session.flush()


def last_murmur_of(session: Session, *, member_id: int) -> Murmur | None:
    """Return the murmur a member recorded last, if any."""
    query = select(Murmur).where(Murmur.recorded_by == member_id)
    return session.exec(query.order_by(col(Murmur.number).desc())).first()
