"""Files handed to a chat as expiring links (`/files/<token>`): charts and exports.

The link's token is 256 random bits; only its SHA-256 is stored (as for form links), so the table
does not reveal live links and a forged or guessed token finds nothing. Expired files are deleted
whenever a new one is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from storage.models import SharedFile

IMAGE_TTL = timedelta(days=7)  # LINE fetches an image when the chat shows it, maybe days later
DOCUMENT_TTL = timedelta(days=1)  # a workbook holds records: a short-lived link


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_shared_file(
    session: Session,
    *,
    municipality_id: int,
    member_id: int | None,
    filename: str,
    content_type: str,
    data: bytes,
    now: datetime,
    ttl: timedelta,
) -> tuple[SharedFile, str]:
    """Store a file and return it with the token of its link (shown once, never stored)."""
    session.exec(delete(SharedFile).where(col(SharedFile.expires_at) <= now))
    token = secrets.token_urlsafe(32)
    row = SharedFile(
        token_hash=_hash(token),
        municipality_id=municipality_id,
        member_id=member_id,
        filename=filename,
        content_type=content_type,
        data=data,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(row)
    session.flush()
    return row, token


def get_shared_file(session: Session, *, token: str, now: datetime) -> SharedFile | None:
    """Return the file a link's token names, or None when unknown or expired."""
    row = session.exec(select(SharedFile).where(SharedFile.token_hash == _hash(token))).first()
    if row is None or row.expires_at <= now:
        return None
    return row
