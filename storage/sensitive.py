"""One-time form links and the sensitive notes (要配慮個人情報) entered through them.

Only a link token's SHA-256 is stored. Notes hold ciphertext only (bot/crypto.py encrypts), and
only under a consent recorded first (storage/consent.py); whoever reads a note writes the audit
entry.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from storage.consent import SENSITIVE_NOTE, link_consent, require_consent
from storage.models import FormToken, Member, Municipality, Murmur, SensitiveNote

FORM_TTL = timedelta(minutes=30)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def add_form_token(
    session: Session,
    *,
    municipality_id: int,
    member_id: int,
    channel: str,
    chat_id: str,
    now: datetime,
    purpose: str = "consult",
    murmur_id: int | None = None,
    ttl: timedelta = FORM_TTL,
) -> tuple[FormToken, str]:
    """Create a one-time form link and return it with its plain token (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    row = FormToken(
        token_hash=hash_token(token),
        municipality_id=municipality_id,
        member_id=member_id,
        channel=channel,
        chat_id=chat_id,
        purpose=purpose,
        murmur_id=murmur_id,
        created_at=now,
        expires_at=now + ttl,
    )
    session.add(row)
    session.flush()
    return row, token


def get_form_token(session: Session, *, token: str) -> FormToken | None:
    """Return the form link for a plain token, used or not, expired or not."""
    return session.exec(select(FormToken).where(FormToken.token_hash == hash_token(token))).first()


def is_form_token_open(form: FormToken, *, now: datetime) -> bool:
    """Whether the link can still be used: not used and not expired."""
    return form.used_at is None and now < form.expires_at


def form_owner(session: Session, *, form: FormToken) -> tuple[Member, Municipality] | None:
    """Return who asked for the link and their municipality, or None once the member is revoked."""
    member = session.get(Member, form.member_id)
    municipality = session.get(Municipality, form.municipality_id)
    if member is None or not member.active or municipality is None:
        return None
    return member, municipality


def murmur_number(session: Session, *, murmur_id: int | None) -> int | None:
    """Return the number (#N) of the murmur a link was asked for, if any."""
    murmur = session.get(Murmur, murmur_id) if murmur_id is not None else None
    return murmur.number if murmur is not None else None


def claim_form_token(session: Session, *, token_id: int, now: datetime) -> bool:
    """Mark the link used unless it already is (or expired); return whether this call won.

    One conditional UPDATE, so of two concurrent submissions exactly one succeeds.
    """
    statement = (
        update(FormToken)
        .where(
            col(FormToken.id) == token_id,
            col(FormToken.used_at).is_(None),
            col(FormToken.expires_at) > now,
        )
        .values(used_at=now)
    )
    return session.connection().execute(statement).rowcount == 1


def add_sensitive_note(
    session: Session,
    *,
    municipality_id: int,
    number: int,
    recorded_by: int,
    ciphertext: bytes,
    key_id: str,
    consent_id: int | None,
    now: datetime,
    murmur_id: int | None = None,
) -> SensitiveNote:
    """Store an encrypted note under its consent, recorded before it (storage/consent.py);
    without a live consent for a 相談記録 of this municipality, raise ConsentMissing."""
    consent = require_consent(
        session, consent_id=consent_id, municipality_id=municipality_id, record_kind=SENSITIVE_NOTE
    )
    note = SensitiveNote(
        municipality_id=municipality_id,
        number=number,
        recorded_by=recorded_by,
        murmur_id=murmur_id,
        ciphertext=ciphertext,
        key_id=key_id,
        consent_version=consent.wording_version,
        consent_purpose=consent.purpose,
        consent_at=consent.given_at,
        created_at=now,
    )
    session.add(note)
    session.flush()
    assert note.id is not None
    link_consent(session, consent=consent, record_id=note.id)
    return note


def get_sensitive_note(
    session: Session, *, municipality_id: int, number: int
) -> SensitiveNote | None:
    """Return the sensitive note #number of a municipality (the caller audits the read)."""
    query = select(SensitiveNote).where(
        SensitiveNote.municipality_id == municipality_id, SensitiveNote.number == number
    )
    return session.exec(query).first()


def list_sensitive_notes(session: Session, *, municipality_id: int) -> list[SensitiveNote]:
    """Return a municipality's sensitive notes, oldest first (the caller audits the read)."""
    query = select(SensitiveNote).where(SensitiveNote.municipality_id == municipality_id)
    return list(session.exec(query.order_by(col(SensitiveNote.id))))
