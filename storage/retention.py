"""Retention: the rows whose retention period has run out, counted, deleted or anonymised.

Each function takes a cutoff (rows from before it have expired), an optional municipality and
`dry_run` (count only). What each record type keeps is decided in schedules/retention.py.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, delete, func, update
from sqlmodel import Session, SQLModel, col, select

from storage.models import (
    Activity,
    AuditLog,
    ConsentRecord,
    FormToken,
    InboundEvent,
    MediaBlob,
    Murmur,
    OutboundMessage,
    SensitiveNote,
    SharingScope,
)

PURGE_ACTION = "retention.purge"
ANONYMISED_TEXT = "（保存期間を過ぎたため匿名化しました / anonymised after its retention period）"


def _count_or_delete(
    session: Session, model: type[SQLModel], where: list[ColumnElement[bool]], dry_run: bool
) -> int:
    if dry_run:
        query = select(func.count()).select_from(model).where(*where)
        return int(session.exec(query).one())
    return int(session.connection().execute(delete(model).where(*where)).rowcount)


def _count_or_update(
    session: Session,
    model: type[SQLModel],
    where: list[ColumnElement[bool]],
    values: dict[str, Any],
    dry_run: bool,
) -> int:
    if dry_run:
        query = select(func.count()).select_from(model).where(*where)
        return int(session.exec(query).one())
    statement = update(model).where(*where).values(**values)
    return int(session.connection().execute(statement).rowcount)


def _in(column: Any, municipality_id: int | None) -> list[ColumnElement[bool]]:
    return [] if municipality_id is None else [col(column) == municipality_id]


def expire_sensitive_notes(
    session: Session, *, before: datetime, municipality_id: int | None, dry_run: bool
) -> int:
    """Delete 相談記録 (ciphertext and all) stored before `before`; return how many."""
    where = [col(SensitiveNote.created_at) < before]
    where += _in(SensitiveNote.municipality_id, municipality_id)
    return _count_or_delete(session, SensitiveNote, where, dry_run)


def expire_media(
    session: Session, *, before: datetime, municipality_id: int | None, dry_run: bool
) -> int:
    """Delete photos stored before `before`; return how many."""
    where = [col(MediaBlob.created_at) < before, *_in(MediaBlob.municipality_id, municipality_id)]
    return _count_or_delete(session, MediaBlob, where, dry_run)


def expire_unattached_media(
    session: Session, *, before: datetime, municipality_id: int | None, dry_run: bool
) -> int:
    """Delete photos never attached to a record (the visit was cancelled) stored before `before`."""
    where = [col(MediaBlob.created_at) < before, col(MediaBlob.activity_id).is_(None)]
    where += _in(MediaBlob.municipality_id, municipality_id)
    return _count_or_delete(session, MediaBlob, where, dry_run)


def expire_form_links(
    session: Session, *, before: datetime, municipality_id: int | None, dry_run: bool
) -> int:
    """Delete one-time form links that expired before `before`; return how many."""
    where = [col(FormToken.expires_at) < before, *_in(FormToken.municipality_id, municipality_id)]
    return _count_or_delete(session, FormToken, where, dry_run)


def expire_inbox(session: Session, *, before: datetime, dry_run: bool) -> int:
    """Delete processed inbox events (their payloads hold message text) received before `before`."""
    where = [col(InboundEvent.received_at) < before, col(InboundEvent.status) != "pending"]
    return _count_or_delete(session, InboundEvent, where, dry_run)


def expire_outbox(session: Session, *, before: datetime, dry_run: bool) -> int:
    """Delete finished outbox messages (sent or given up) queued before `before`."""
    where = [col(OutboundMessage.created_at) < before, col(OutboundMessage.status) != "pending"]
    return _count_or_delete(session, OutboundMessage, where, dry_run)


def expire_audit(
    session: Session, *, before: datetime, municipality_id: int | None, dry_run: bool
) -> int:
    """Delete audit entries and consent records older than `before`; return how many entries."""
    consents = [col(ConsentRecord.given_at) < before]
    consents += _in(ConsentRecord.municipality_id, municipality_id)
    _count_or_delete(session, ConsentRecord, consents, dry_run)
    where_audit = [col(AuditLog.at) < before, *_in(AuditLog.municipality_id, municipality_id)]
    return _count_or_delete(session, AuditLog, where_audit, dry_run)


def expire_unscoped_audit(session: Session, *, before: datetime, dry_run: bool) -> int:
    """Delete audit entries of no municipality (e.g. delivery alerts) older than `before`."""
    where = [col(AuditLog.at) < before, col(AuditLog.municipality_id).is_(None)]
    return _count_or_delete(session, AuditLog, where, dry_run)


def anonymise_records(
    session: Session, *, before: date, municipality_id: int | None, dry_run: bool
) -> int:
    """Clear who-was-there from visits and activities, and the text of restricted murmurs, dated
    before `before`; statistics (dates, kinds, categories, areas, durations) stay. Return how many."""
    activities = [
        col(Activity.occurred_on) < before,
        col(Activity.counterpart).is_not(None) | (cast(col(Activity.companions), String) != "[]"),
        *_in(Activity.municipality_id, municipality_id),
    ]
    count = _count_or_update(
        session, Activity, activities, {"counterpart": None, "companions": []}, dry_run
    )
    murmurs = [
        col(Murmur.captured_on) < before,
        col(Murmur.sharing_scope) == SharingScope.RESTRICTED.value,
        col(Murmur.text) != ANONYMISED_TEXT,
        *_in(Murmur.municipality_id, municipality_id),
    ]
    return count + _count_or_update(session, Murmur, murmurs, {"text": ANONYMISED_TEXT}, dry_run)


def last_scheduled_purge(session: Session) -> datetime | None:
    """Return when the daily job last ran (its audit entry), or None."""
    query = select(func.max(AuditLog.at)).where(
        AuditLog.action == PURGE_ACTION, AuditLog.actor == "scheduler"
    )
    return session.exec(query).one()
