"""Consent records: written before any sensitive field is stored (PLATFORMS.md §6, S5).

A ConsentRecord says who obtained the consent (the member), whose it is (`subject`), for what
(`purpose`), under which wording (its version and the SHA-256 of the text shown, or the
catalogue key of a chat question), when, and for which record. The record is stored after its
consent, in the same transaction, and linked back with `link_consent`. Withdrawing a consent
deletes what it covered; the consent record stays (with `withdrawn_at`) as evidence.

Consent points: the 相談記録 form (bot/forms.py → `add_sensitive_note` refuses to store without
a live consent), photos (storage/media.py `attach_media`), and any other sensitive field, which
calls `record_consent` first (e.g. a resource's contact person, `record_kind="resource_contact"`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlmodel import Session, col, select

from storage.models import ConsentRecord, MediaBlob, SensitiveNote

SENSITIVE_NOTE = "sensitive_note"
MEDIA = "media"
RESOURCE_CONTACT = "resource_contact"


class ConsentMissing(PermissionError):
    """A sensitive field was about to be stored without a live consent for it."""


def wording_hash(wording: str) -> str:
    """Return the SHA-256 of the consent wording exactly as it was shown."""
    return hashlib.sha256(wording.encode("utf-8")).hexdigest()


def record_consent(
    session: Session,
    *,
    municipality_id: int,
    member_id: int,
    subject: str,
    purpose: str,
    wording_version: str,
    wording: str,
    record_kind: str,
    now: datetime,
    record_id: int | None = None,
) -> ConsentRecord:
    """Record a consent (before the record it covers is stored); return it."""
    consent = ConsentRecord(
        municipality_id=municipality_id,
        member_id=member_id,
        subject=subject,
        purpose=purpose,
        wording_version=wording_version,
        wording_hash=wording_hash(wording),
        given_at=now,
        record_kind=record_kind,
        record_id=record_id,
    )
    session.add(consent)
    session.flush()
    return consent


def require_consent(
    session: Session, *, consent_id: int | None, municipality_id: int, record_kind: str
) -> ConsentRecord:
    """Return the live consent a sensitive record is about to be stored under, or raise."""
    consent = session.get(ConsentRecord, consent_id) if consent_id is not None else None
    if (
        consent is None
        or consent.withdrawn_at is not None
        or consent.municipality_id != municipality_id
        or consent.record_kind != record_kind
    ):
        raise ConsentMissing(f"no live {record_kind} consent {consent_id}")
    return consent


def link_consent(session: Session, *, consent: ConsentRecord, record_id: int) -> None:
    """Point a consent at the record stored under it."""
    consent.record_id = record_id
    session.add(consent)
    session.flush()


def consents_for(session: Session, *, record_kind: str, record_id: int) -> list[ConsentRecord]:
    """Return the consents recorded for one record, oldest first."""
    query = select(ConsentRecord).where(
        ConsentRecord.record_kind == record_kind, ConsentRecord.record_id == record_id
    )
    return list(session.exec(query.order_by(col(ConsentRecord.id))))


def withdraw_consent(
    session: Session, *, municipality_id: int, consent_id: int, now: datetime
) -> ConsentRecord | None:
    """Withdraw a consent of a municipality and delete the record it covered (a 相談記録 or a
    photo); return the consent, or None when there is no such live consent."""
    consent = session.get(ConsentRecord, consent_id)
    if consent is None or consent.municipality_id != municipality_id or consent.withdrawn_at:
        return None
    consent.withdrawn_at = now
    session.add(consent)
    row: SensitiveNote | MediaBlob | None = None
    if consent.record_id is not None and consent.record_kind == SENSITIVE_NOTE:
        row = session.get(SensitiveNote, consent.record_id)
    elif consent.record_id is not None and consent.record_kind == MEDIA:
        row = session.get(MediaBlob, consent.record_id)
    if row is not None and row.municipality_id == municipality_id:
        session.delete(row)
    session.flush()
    return consent
