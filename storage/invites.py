"""One-time, expiring invite codes; only their SHA-256 is stored.

Guessing is throttled: every failed attempt to use a code is counted per who tried — the chat
identity and the chat for `登録 CODE`, the IP address for an HTTP link token — and
`ATTEMPT_LIMITS[scope]` failures within `LOCKOUT` lock that subject out for `LOCKOUT` after
the last one. While locked, codes are not even looked up.
"""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete
from sqlmodel import Session, col, select

from storage.models import Invite, InviteAttempt

LINK_TTL = timedelta(minutes=10)
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed
# Failures allowed within LOCKOUT before a subject is locked out for LOCKOUT after the last one.
# A chat and an IP address may stand for several people (a group chat, an office), so allow more.
ATTEMPT_LIMITS = {"identity": 5, "chat": 10, "ip": 10}
LOCKOUT = timedelta(minutes=15)


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


@dataclass(frozen=True)
class Lockout:
    """A subject locked out of trying codes: which scope, until when, after how many failures."""

    scope: str
    until: datetime
    failures: int


def _subject_hash(subject: str) -> str:
    return hashlib.sha256(subject.encode("utf-8")).hexdigest()


def _failures(session: Session, *, scope: str, subject: str, now: datetime) -> list[datetime]:
    rows = session.exec(
        select(InviteAttempt.at).where(
            InviteAttempt.scope == scope,
            InviteAttempt.subject_hash == _subject_hash(subject),
            InviteAttempt.at > now - LOCKOUT,
        )
    )
    return sorted(rows)


def find_lockout(session: Session, *, subjects: dict[str, str], now: datetime) -> Lockout | None:
    """Return the lockout of any of `subjects` ({scope: who}), or None when all may try."""
    for scope, subject in subjects.items():
        failures = _failures(session, scope=scope, subject=subject, now=now)
        if len(failures) >= ATTEMPT_LIMITS[scope]:
            return Lockout(scope, failures[-1] + LOCKOUT, len(failures))
    return None


def note_failed_attempt(
    session: Session, *, subjects: dict[str, str], now: datetime
) -> Lockout | None:
    """Count one failed attempt for each subject; return the lockout it starts, if any.

    Attempts older than the window are deleted on the way, whoever made them.
    """
    session.execute(delete(InviteAttempt).where(col(InviteAttempt.at) <= now - LOCKOUT))
    for scope, subject in subjects.items():
        if scope not in ATTEMPT_LIMITS:
            raise ValueError(f"unknown attempt scope {scope!r}")
        session.add(InviteAttempt(scope=scope, subject_hash=_subject_hash(subject), at=now))
    session.flush()
    return find_lockout(session, subjects=subjects, now=now)

