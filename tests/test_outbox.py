"""The outbox: one row per idempotency key, and a claimed message is not claimed twice."""

from __future__ import annotations

from datetime import timedelta

from storage.db import session_scope
from storage.outbox import add_outbound, claim_due_outbound, list_outbound, mark_sent


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


def queue(engine, clock, key: str, recipient: str) -> None:
    with session_scope(engine) as s:
        add_outbound(
            s,
            channel="line",
            idempotency_key=key,
            recipient=recipient,
            messages=[{"type": "text", "text": key}],
            now=clock.now(),
        )


def claim(engine, clock) -> list[str]:
    with session_scope(engine) as s:
        return [m.idempotency_key for m in claim_due_outbound(s, channel="line", now=clock.now())]


def test_a_chats_answers_leave_in_order_even_after_a_worker_died_holding_the_first(
    any_engine, clock
):
    queue(any_engine, clock, "card", "U1")  # 「保存しますか？」
    assert claim(any_engine, clock) == ["card"]  # a worker takes it, then dies before sending
    queue(any_engine, clock, "saved", "U1")  # 「つぶやき #1 を記録しました」
    queue(any_engine, clock, "help", "U2")
    assert claim(any_engine, clock) == ["help"]  # U1's next answer waits behind the card
    sent(any_engine, clock, "help")
    clock.advance(seconds=61)  # the dead worker's lease runs out
    assert claim(any_engine, clock) == ["card"]
    sent(any_engine, clock, "card")
    assert claim(any_engine, clock) == ["saved"]


def sent(engine, clock, key: str) -> None:
    with session_scope(engine) as s:
        [row] = [m for m in list_outbound(s, channel="line") if m.idempotency_key == key]
        mark_sent(s, row, via="push", status=200, now=clock.now())
