"""The outbox: one row per idempotency key, and a claimed message is not claimed twice."""

from __future__ import annotations

from datetime import timedelta

from storage.db import session_scope
from storage.outbox import add_outbound, claim_due_outbound, list_outbound


def test_the_same_key_is_queued_once(any_engine, clock):
    with session_scope(any_engine) as s:
        first = add_outbound(
            s,
            channel="line",
            idempotency_key="reply:e1",
            recipient="U1",
            messages=[{"type": "text", "text": "a"}],
            now=clock.now(),
        )
        again = add_outbound(
            s,
            channel="line",
            idempotency_key="reply:e1",
            recipient="U1",
            messages=[{"type": "text", "text": "a"}],
            now=clock.now(),
        )
    assert (first, again) == (True, False)
    with session_scope(any_engine) as s:
        assert len(list_outbound(s, channel="line")) == 1


def test_a_claimed_message_is_leased_to_one_worker_until_the_lease_ends(any_engine, clock):
    with session_scope(any_engine) as s:
        add_outbound(
            s,
            channel="line",
            idempotency_key="push:1",
            recipient="U1",
            messages=[],
            now=clock.now(),
        )
    with session_scope(any_engine) as s:
        assert [
            m.idempotency_key for m in claim_due_outbound(s, channel="line", now=clock.now())
        ] == ["push:1"]
    with session_scope(any_engine) as s:
        assert (
            claim_due_outbound(s, channel="line", now=clock.now()) == []
        )  # another worker gets nothing
    clock.advance(seconds=61)
    with session_scope(any_engine) as s:
        assert (
            len(claim_due_outbound(s, channel="line", now=clock.now(), lease=timedelta(seconds=60)))
            == 1
        )
