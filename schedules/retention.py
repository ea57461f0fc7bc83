"""Retention: every record type has a period; a daily job deletes or anonymises what expired.

| type (setting, days)                      | default   | when it has expired                      |
|-------------------------------------------|-----------|------------------------------------------|
| 相談記録 `TSUNAGI_RETENTION_SENSITIVE_DAYS` | 1826 (5y) | deleted, ciphertext and all              |
| photos `TSUNAGI_RETENTION_MEDIA_DAYS`      | 1096 (3y) | deleted                                  |
| queues `TSUNAGI_RETENTION_QUEUE_DAYS`      | 30        | processed inbox/outbox rows, expired form |
|                                           |           | links, photos never attached, deleted    |
| audit `TSUNAGI_RETENTION_AUDIT_DAYS`       | 1826 (5y) | audit entries and consent records deleted |
| `TSUNAGI_RETENTION_ANONYMISE_DAYS`         | 0 (never) | visits/activities lose counterpart and   |
|                                           |           | companions; restricted murmurs lose text |

A period of 0 keeps that type for ever. Each run writes one audit entry per municipality it
changed and one for the whole run (`retention.purge`, counts only). `tsunagi purge` runs the
same now (bot/purge.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.settings import Settings
from schedules.occurrences import TOKYO
from storage import retention as store
from storage.audit import add_audit
from storage.db import session_scope
from storage.members import list_municipalities

log = logging.getLogger(__name__)
DAILY_AT = time(3, 0)  # local time; the first scheduler tick after it runs the day's purge


@dataclass(frozen=True)
class RetentionPolicy:
    """Retention in days per record type; 0 keeps that type for ever."""

    sensitive_days: int = 1826
    media_days: int = 1096
    queue_days: int = 30
    audit_days: int = 1826
    anonymise_days: int = 0

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        """Return the policy the operator configured."""
        return cls(
            sensitive_days=settings.retention_sensitive_days,
            media_days=settings.retention_media_days,
            queue_days=settings.retention_queue_days,
            audit_days=settings.retention_audit_days,
            anonymise_days=settings.retention_anonymise_days,
        )


@dataclass
class PurgeReport:
    """How many rows of each type a purge removed or anonymised (or would, on a dry run)."""

    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def purge(
    engine: Engine,
    clock: Clock,
    policy: RetentionPolicy,
    *,
    municipality: str | None = None,
    before: date | None = None,
    dry_run: bool = False,
    actor: str = "cli",
    tz: tzinfo = TOKYO,
) -> PurgeReport:
    """Delete or anonymise what has expired (only what is also older than `before`, if given),
    in one municipality or all; audit the counts; return them."""
    now = clock.now()
    limit = datetime.combine(before, time(0), tzinfo=tz) if before else None
    with session_scope(engine) as session:
        targets = [m for m in list_municipalities(session) if municipality in (None, m.name)]
        if municipality is not None and not targets:
            raise LookupError(municipality)
        report = PurgeReport(dry_run)
        for target in targets:
            assert target.id is not None
            counts = _purge_municipality(session, policy, target.id, now, limit, dry_run)
            _add(report, counts)
            if any(counts.values()):
                _audit(session, now, actor, counts, dry_run, municipality_id=target.id)
        if municipality is None:
            _add(report, _purge_queues(session, policy, now, limit, dry_run))
        _audit(session, now, actor, report.counts, dry_run)
    log.info("retention purge (%s, dry run %s): %s", actor, dry_run, report.counts)
    return report


def run_daily(
    engine: Engine, clock: Clock, policy: RetentionPolicy, *, tz: tzinfo = TOKYO
) -> PurgeReport | None:
    """Run the day's purge once, after DAILY_AT local time; return its report, or None."""
    now = clock.now().astimezone(tz)
    if now.time() < DAILY_AT:
        return None
    with session_scope(engine) as session:
        last = store.last_scheduled_purge(session)
    if last is not None and last.astimezone(tz).date() == now.date():
        return None
    return purge(engine, clock, policy, actor="scheduler", tz=tz)


def _cutoff(now: datetime, days: int, limit: datetime | None) -> datetime | None:
    if days <= 0:
        return None
    cutoff = now - timedelta(days=days)
    return min(cutoff, limit) if limit is not None else cutoff


def _purge_municipality(
    session: Session,
    policy: RetentionPolicy,
    municipality_id: int,
    now: datetime,
    limit: datetime | None,
    dry_run: bool,
) -> dict[str, int]:
    scope: dict[str, Any] = {"municipality_id": municipality_id, "dry_run": dry_run}
    counts: dict[str, int] = {}
    if (cut := _cutoff(now, policy.sensitive_days, limit)) is not None:
        counts["sensitive_notes"] = store.expire_sensitive_notes(session, before=cut, **scope)
    if (cut := _cutoff(now, policy.media_days, limit)) is not None:
        counts["media"] = store.expire_media(session, before=cut, **scope)
    if (cut := _cutoff(now, policy.queue_days, limit)) is not None:
        counts["unattached_media"] = store.expire_unattached_media(session, before=cut, **scope)
        counts["form_links"] = store.expire_form_links(session, before=cut, **scope)
    if (cut := _cutoff(now, policy.anonymise_days, limit)) is not None:
        counts["anonymised"] = store.anonymise_records(session, before=cut.date(), **scope)
    if (cut := _cutoff(now, policy.audit_days, limit)) is not None:
        counts["audit"] = store.expire_audit(session, before=cut, **scope)
    return counts


def _purge_queues(
    session: Session, policy: RetentionPolicy, now: datetime, limit: datetime | None, dry_run: bool
) -> dict[str, int]:
    counts: dict[str, int] = {}
    if (cut := _cutoff(now, policy.queue_days, limit)) is not None:
        counts["inbox"] = store.expire_inbox(session, before=cut, dry_run=dry_run)
        counts["outbox"] = store.expire_outbox(session, before=cut, dry_run=dry_run)
    if (cut := _cutoff(now, policy.audit_days, limit)) is not None:
        counts["audit"] = store.expire_unscoped_audit(session, before=cut, dry_run=dry_run)
    return counts


def _add(report: PurgeReport, counts: dict[str, int]) -> None:
    for name, count in counts.items():
        report.counts[name] = report.counts.get(name, 0) + count


def _audit(
    session: Session,
    now: datetime,
    actor: str,
    counts: dict[str, int],
    dry_run: bool,
    municipality_id: int | None = None,
) -> None:
    add_audit(
        session,
        at=now,
        action=store.PURGE_ACTION,
        municipality_id=municipality_id,
        actor=actor,
        detail={"counts": counts, "dry_run": dry_run},
    )
