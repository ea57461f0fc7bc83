"""Retention: a daily job deletes or anonymises what passed its period (the clock is moved),
`tsunagi purge` does it now, everything is audited; `削除 #N` is audited too.

Periods (schedules/retention.py): 相談記録 5 years, photos 3 years, processed queues and form links
30 days, audit 5 years, anonymisation off unless configured.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from conftest import TOKYO, World
from sqlmodel import SQLModel, select
from test_cli import ok, tsunagi

from bot.clock import ManualClock
from schedules.retention import RetentionPolicy, purge, run_daily
from schedules.scheduler import Scheduler
from storage.activities import add_activity
from storage.audit import add_audit, list_audit
from storage.consent import record_consent
from storage.db import make_engine, migrate, session_scope
from storage.inbox import DONE, finish_event
from storage.inbox_batch import add_event_batch
from storage.media import add_media
from storage.members import find_member_by_identity
from storage.models import (
    Activity,
    AuditLog,
    FormToken,
    InboundEvent,
    MediaBlob,
    Murmur,
    OutboundMessage,
    SensitiveNote,
)
from storage.murmurs import add_murmur
from storage.outbox import add_outbound
from storage.retention import ANONYMISED_TEXT
from storage.sensitive import add_form_token, add_sensitive_note

COUNTERPART = "民生委員の田中さん"
RESTRICTED = "Aさんの母が認知症で、夜に家を出てしまう"


def seed(world: World, user: str, municipality: str) -> None:
    """Store one row of every kept type for `user` of `municipality`, at the clock's time."""
    world.chat(user, municipality)
    now = world.clock.now()
    with session_scope(world.engine) as s:
        member = find_member_by_identity(s, channel="console", external_id=user)
        mid, who = member.municipality_id, member.id
        consent = record_consent(
            s, municipality_id=mid, member_id=who, subject="本人", purpose="相談",
            wording_version="v1", wording="同意文", record_kind="sensitive_note", now=now,
        )
        add_sensitive_note(
            s, municipality_id=mid, number=900, recorded_by=who, ciphertext=b"x", key_id="a",
            consent_id=consent.id, now=now,
        )
        visit = add_activity(
            s, municipality_id=mid, recorded_by=who, now=now, occurred_on=now.date(),
            counterpart=COUNTERPART, companions=["山本"],
        )
        for source, attached in ((f"{user}-p1", visit.id), (f"{user}-p2", None)):
            blob = add_media(
                s, municipality_id=mid, member_id=who, channel="console", source_id=source,
                content_type="image/png", data=b"png", now=now,
            )
            blob.activity_id = attached
        for text, scope in ((RESTRICTED, "restricted_individual"), ("買い物が大変", "team")):
            add_murmur(
                s, municipality_id=mid, recorded_by=who, text=text, kind="困りごと",
                categories=[], captured_on=now.date(), now=now, sharing_scope=scope,
            )
        add_form_token(s, municipality_id=mid, member_id=who, channel="console",
                       chat_id=user, now=now)
        add_audit(s, at=now, action="record.view", municipality_id=mid, member_id=who)


def seed_queues(world: World) -> None:
    """Store a processed and a pending inbox event, a sent and a pending outbox message."""
    now = world.clock.now()
    with session_scope(world.engine) as s:
        add_event_batch(s, channel="line", events=[("e1", {}, False), ("e2", {}, False)], now=now)
        first = s.exec(select(InboundEvent).where(InboundEvent.event_id == "e1")).one()
        finish_event(s, event_pk=first.id, status=DONE, now=now)
        for key in ("sent", "waiting"):
            add_outbound(s, channel="line", idempotency_key=key, recipient="U1",
                         messages=[], now=now)
        sent = s.exec(select(OutboundMessage).where(OutboundMessage.idempotency_key == "sent")).one()
        sent.status = "sent"


def count(world: World, model: type[SQLModel]) -> int:
    with session_scope(world.engine) as s:
        return len(s.exec(select(model)).all())


def purges(world: World) -> list[AuditLog]:
    with session_scope(world.engine) as s:
        return list_audit(s, action="retention.purge")


@pytest.fixture
def aged(any_engine, clock) -> World:
    world = World(any_engine, clock)
    world.municipality("あおば市")
    seed(world, "sato", "あおば市")
    seed_queues(world)
    return world


def test_the_daily_job_deletes_each_type_after_its_period_once_a_day(aged):
    world, clock = aged, aged.clock
    scheduler = Scheduler(world.engine, clock, retention=RetentionPolicy())
    clock.advance(days=31)  # queues and form links expire; everything else is kept
    clock.set(datetime.combine(clock.now().astimezone(TOKYO).date(), datetime.min.time(), TOKYO)
              + timedelta(hours=2))
    scheduler.tick()
    assert purges(world) == []  # not before 03:00
    clock.advance(hours=1, minutes=5)
    scheduler.tick()
    assert count(world, InboundEvent) == 1 and count(world, OutboundMessage) == 1  # pending kept
    assert count(world, FormToken) == 0
    assert count(world, MediaBlob) == 1  # the photo never attached to a visit went
    assert count(world, SensitiveNote) == 1 and count(world, AuditLog) > 1
    [run] = [a for a in purges(world) if a.municipality_id is None]
    assert run.actor == "scheduler" and run.detail["counts"]["inbox"] == 1
    scheduler.tick()  # the same day: not again
    assert len([a for a in purges(world) if a.municipality_id is None]) == 1
    clock.advance(days=3 * 365 + 1)
    scheduler.tick()
    assert count(world, MediaBlob) == 0 and count(world, SensitiveNote) == 1
    clock.advance(days=2 * 365)
    scheduler.tick()
    assert count(world, SensitiveNote) == 0
    with session_scope(world.engine) as s:
        remaining = [a.action for a in s.exec(select(AuditLog)).all()]
    assert "record.view" not in remaining  # five years old: gone with its consent record
    assert "retention.purge" in remaining  # the purges themselves are kept
    with session_scope(world.engine) as s:  # records themselves are kept as they are
        assert s.exec(select(Activity)).one().counterpart == COUNTERPART
        assert RESTRICTED in [m.text for m in s.exec(select(Murmur)).all()]


def test_anonymising_clears_counterparts_and_restricted_text_but_keeps_the_records(aged):
    world = aged
    world.clock.advance(days=400)
    report = purge(world.engine, world.clock, RetentionPolicy(anonymise_days=365))
    assert report.counts["anonymised"] == 2
    with session_scope(world.engine) as s:
        visit = s.exec(select(Activity)).one()
        assert (visit.counterpart, visit.companions) == (None, [])
        texts = sorted(m.text for m in s.exec(select(Murmur)).all())
    assert texts == sorted([ANONYMISED_TEXT, "買い物が大変"])
    again = purge(world.engine, world.clock, RetentionPolicy(anonymise_days=365))
    assert again.counts["anonymised"] == 0


def test_a_dry_run_counts_changes_nothing_and_is_audited(aged):
    world = aged
    world.clock.advance(days=6 * 365)
    report = purge(world.engine, world.clock, RetentionPolicy(), dry_run=True)
    assert report.counts["sensitive_notes"] == 1 and report.counts["media"] == 2
    assert count(world, SensitiveNote) == 1 and count(world, MediaBlob) == 2
    assert all(a.detail["dry_run"] for a in purges(world))
    assert purges(world)[-1].actor == "cli"


def test_one_municipality_is_purged_alone_and_before_limits_it(aged):
    world = aged
    seed(world, "tanaka", world.municipality("みどり町") and "みどり町")
    world.clock.advance(days=6 * 365)
    purge(world.engine, world.clock, RetentionPolicy(), municipality="みどり町",
          before=date(2020, 1, 1))
    assert count(world, SensitiveNote) == 2  # nothing older than 2020
    purge(world.engine, world.clock, RetentionPolicy(), municipality="みどり町")
    with session_scope(world.engine) as s:
        left = {n.municipality_id for n in s.exec(select(SensitiveNote)).all()}
        aoba = find_member_by_identity(s, channel="console", external_id="sato").municipality_id
    assert left == {aoba}
    assert count(world, InboundEvent) == 2  # queues belong to no municipality: untouched
    [scoped] = [a for a in purges(world) if a.municipality_id not in (None, aoba)]
    assert scoped.detail["counts"]["sensitive_notes"] == 1
    with pytest.raises(LookupError):
        purge(world.engine, world.clock, RetentionPolicy(), municipality="どこにもない町")


def test_run_daily_waits_for_three_in_the_morning(aged):
    world = aged
    world.clock.set(datetime(2026, 11, 24, 2, 59, tzinfo=TOKYO))
    assert run_daily(world.engine, world.clock, RetentionPolicy()) is None
    world.clock.set(datetime(2026, 11, 24, 3, 0, tzinfo=TOKYO))
    assert run_daily(world.engine, world.clock, RetentionPolicy()) is not None
    assert run_daily(world.engine, world.clock, RetentionPolicy()) is None


def test_deleting_a_record_in_chat_is_audited_without_its_text(world):
    sato = world.chat("sato", "あおば市")
    sato.send("つぶやき スーパーが遠くて買い物が大変")
    saved = sato.send("保存")
    number = int(saved.split("#")[1].split()[0])
    assert "削除しますか" in sato.send(f"削除 #{number}") or sato.choices
    assert "削除しました" in sato.send("はい")
    with session_scope(world.engine) as s:
        [entry] = list_audit(s, action="record.delete")
        assert entry.target == f"murmur:#{number}" and entry.member_id is not None
        assert "スーパー" not in str(entry.detail)


def test_tsunagi_purge_prints_counts_and_refuses_bad_input(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrate(engine)
    old = ManualClock(datetime(2015, 4, 1, 10, 0, tzinfo=TOKYO))
    world = World(engine, old)
    world.municipality("あおば市")
    seed(world, "sato", "あおば市")
    dry = ok(tsunagi(tmp_path, "purge", "--dry-run"))
    assert "ドライラン" in dry and "相談記録 / consultation notes: 1" in dry
    assert count(world, SensitiveNote) == 1
    done = ok(tsunagi(tmp_path, "purge", "あおば市"))
    assert "削除・匿名化しました" in done and "相談記録 / consultation notes: 1" in done
    assert count(world, SensitiveNote) == 0
    bad = tsunagi(tmp_path, "purge", "--before", "2021/04/01")
    assert bad.returncode == 1 and "e.g. 2021-04-01" in bad.stderr
    unknown = tsunagi(tmp_path, "purge", "どこにもない町")
    assert unknown.returncode == 1 and "どこにもない町" in unknown.stderr
    engine.dispose()
