"""Private iCal feed tokens (stored hashed) and the meeting series each feed carries.

A token is shown once, in chat; only its SHA-256 is kept. Issuing a new token for the same
member or peer group revokes the old one, so a leaked URL is stopped by asking again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlmodel import Session, col, select

from storage.meetings import in_audience, list_series, peer_series_for
from storage.models import CalendarToken, MeetingSeries, Member


def hash_token(token: str) -> str:
    """Return the stored form of a feed token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_calendar_token(
    session: Session,
    *,
    now: datetime,
    member_id: int | None = None,
    peer_group_id: int | None = None,
) -> str:
    """Create a feed token for a member or a peer group, revoking their previous one."""
    if (member_id is None) == (peer_group_id is None):
        raise ValueError("a calendar token belongs to one member or one peer group")
    owner = (
        CalendarToken.member_id == member_id
        if member_id is not None
        else CalendarToken.peer_group_id == peer_group_id
    )
    for old in session.exec(
        select(CalendarToken).where(owner, col(CalendarToken.revoked_at).is_(None))
    ):
        old.revoked_at = now
        session.add(old)
    token = secrets.token_urlsafe(32)
    session.add(
        CalendarToken(
            token_hash=hash_token(token),
            member_id=member_id,
            peer_group_id=peer_group_id,
            created_at=now,
        )
    )
    session.flush()
    return token


def active_calendar_token(session: Session, *, token: str) -> CalendarToken | None:
    """Return the unrevoked token row for a feed token, or None."""
    return session.exec(
        select(CalendarToken).where(
            CalendarToken.token_hash == hash_token(token),
            col(CalendarToken.revoked_at).is_(None),
        )
    ).first()


def member_feed_series(session: Session, *, member: Member) -> list[MeetingSeries]:
    """Return the series a member is invited to: their municipality's and their peer groups'."""
    own = list_series(session, municipality_id=member.municipality_id)
    shared = peer_series_for(session, municipality_id=member.municipality_id)
    return [s for s in [*own, *shared] if in_audience(session, series=s, member=member)]


def peer_group_feed_series(session: Session, *, peer_group_id: int) -> list[MeetingSeries]:
    """Return a peer group's meeting series."""
    return list(
        session.exec(
            select(MeetingSeries)
            .where(MeetingSeries.audience == f"peer:{peer_group_id}")
            .order_by(col(MeetingSeries.id))
        )
    )
