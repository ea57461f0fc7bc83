"""One-time, expiring invite codes; only their SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from datetime import datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, select

from storage.models import Invite

LINK_TTL = timedelta(minutes=10)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


class InviteProblem(StrEnum):
    INVALID = "invalid"
    USED = "used"
    EXPIRED = "expired"


def normalize_code(code: str) -> str:
    """Return a code in canonical form: NFKC, upper case, without hyphens or spaces."""
    code = unicodedata.normalize("NFKC", code).upper()
    return "".join(ch for ch in code if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def new_code(length: int = 8) -> str:
    """Return a fresh random invite code like ABCD-EFGH."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(length))
    return f"{raw[:4]}-{raw[4:]}"


def add_invite(
    session: Session,
    *,
    municipality_id: int,
    role: str,
    now: datetime,
    expires_days: int = 14,
    area_id: int | None = None,
    layer: int | None = None,
) -> tuple[Invite, str]:
    """Create an invite and return it with its plain code (shown once, never stored)."""
    code = new_code()
    invite = Invite(
        municipality_id=municipality_id,
        role=role,
        layer=layer,
        area_id=area_id,
        code_hash=hash_code(code),
        created_at=now,
        expires_at=now + timedelta(days=expires_days),
    )
    session.add(invite)
    session.flush()
    return invite, code


def add_link_code(
    session: Session, *, municipality_id: int, member_id: int, role: str, now: datetime
) -> tuple[Invite, str]:
    """Create a short-lived code that links another chat account to an existing member (連携)."""
    code = new_code()
    invite = Invite(
        municipality_id=municipality_id,
        role=role,
        code_hash=hash_code(code),
        created_at=now,
        expires_at=now + LINK_TTL,
        link_member_id=member_id,
    )
    session.add(invite)
    session.flush()
    return invite, code


def check_invite(session: Session, *, code: str, now: datetime) -> Invite | InviteProblem:
    """Return the usable invite for a code, or why it cannot be used."""
    invite = session.exec(select(Invite).where(Invite.code_hash == hash_code(code))).first()
    if invite is None:
        return InviteProblem.INVALID
    if invite.used_at is not None:
        return InviteProblem.USED
    if invite.expires_at <= now:
        return InviteProblem.EXPIRED
    return invite


def mark_invite_used(session: Session, invite: Invite, *, member_id: int, now: datetime) -> None:
    invite.used_at = now
    invite.used_by_member_id = member_id
    session.add(invite)
    session.flush()
