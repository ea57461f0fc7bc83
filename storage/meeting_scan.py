"""What the scheduler's pass reads in bulk: every series' cancellations and moves in one query,
and a fingerprint of who can receive a reminder (schedules/timeline.py)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from storage.models import Identity, MeetingException, Member, MemberArea, PeerGroupMunicipality


def exceptions_by_series(session: Session) -> dict[int, list[MeetingException]]:
    """Return every cancelled or moved occurrence, by series id."""
    found: dict[int, list[MeetingException]] = {}
    rows = session.exec(select(MeetingException).order_by(col(MeetingException.id)))
    for change in rows:
        found.setdefault(change.series_id, []).append(change)
    return found


def audience_version(session: Session) -> tuple[int, ...]:
    """Return a fingerprint that changes when anyone could start to receive a reminder.

    It covers members joining, leaving or changing role, areas assigned, chat accounts linked
    or unlinked and peer groups joined (counts and sums of ids, in one round trip).
    """
    members = select(
        func.count(),
        func.coalesce(func.sum(Member.id), 0),
        func.coalesce(func.sum(col(Member.id) * func.length(Member.role)), 0),
    ).where(col(Member.active).is_(True))
    areas = select(
        func.count(), func.coalesce(func.sum(MemberArea.member_id * 7919 + MemberArea.area_id), 0)
    )
    chats = select(func.count(), func.coalesce(func.sum(Identity.id), 0)).where(
        col(Identity.active).is_(True)
    )
    groups = select(
        func.count(),
        func.coalesce(
            func.sum(PeerGroupMunicipality.group_id * 7919 + PeerGroupMunicipality.municipality_id),
            0,
        ),
    )
    row: list[int] = []
    for query in (members, areas, chats, groups):
        row.extend(int(value or 0) for value in session.exec(query).one())
    return tuple(row)
