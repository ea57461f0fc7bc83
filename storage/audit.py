"""The audit log: every query, export, share, edit and deletion, without message text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from storage.models import AuditLog


def add_audit(
    session: Session,
    *,
    at: datetime,
    action: str,
    municipality_id: int | None = None,
    member_id: int | None = None,
    actor: str | None = None,
    target: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditLog:
    """Write one audit entry."""
    entry = AuditLog(
        at=at,
        action=action,
        municipality_id=municipality_id,
        member_id=member_id,
        actor=actor,
        target=target,
        detail=detail or {},
    )
    session.add(entry)
    return entry


def list_audit(
    session: Session, *, municipality_id: int | None = None, action: str | None = None
) -> list[AuditLog]:
    """Return audit entries, oldest first, optionally for one municipality or action."""
    query = select(AuditLog)
    if municipality_id is not None:
        query = query.where(AuditLog.municipality_id == municipality_id)
    if action is not None:
        query = query.where(AuditLog.action == action)
    return list(session.exec(query.order_by(col(AuditLog.id))))
