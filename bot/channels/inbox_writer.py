"""Group commit for the durable inbox: one writer thread, many webhooks per transaction.

    webhook ─ enqueue its events + a future ─┐
    webhook ─ enqueue its events + a future ─┼─▶ writer thread: take what waits (≤ MAX_BATCH
    webhook ─ enqueue its events + a future ─┘   events), insert in one transaction, commit,
                                                 then resolve every future of the batch
A webhook answers 200 only once its future is resolved, i.e. after the commit. While one batch
commits the next one gathers, so under load the commits grow instead of queueing one by one;
SQLite sees one writer and never contends for its lock (DESIGN.md "Delivery that loses nothing").

When the store fails (unreachable, locked, read-only, full) every future of the batch fails and
the webhook answers 503: nothing is acknowledged, the platform delivers again. The writer itself
survives and takes the next batch. A batch that fails for another reason is retried request by
request, so one bad request cannot refuse the others.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from bot import metrics
from bot.clock import Clock
from storage.db import session_scope
from storage.inbox_batch import add_event_batch

log = logging.getLogger(__name__)
Row = tuple[str, dict[str, Any], bool]  # (event id, payload, redelivery)
MAX_BATCH = 1000  # events per transaction
# An acknowledgement hops event loop -> writer thread -> event loop. While the inbox worker runs
# the bot in another thread, each hop waits for the GIL up to the switch interval (5 ms by
# default); 0.5 ms keeps the ack latency in milliseconds (docs/performance.md, fix 2).
SWITCH_INTERVAL = 0.0005
IDLE_EXIT = 5.0  # seconds without work before the writer thread ends (it restarts on demand)


# Acknowledgements first: while any webhook of this process waits for its commit, the inbox
# workers hold back (up to ACK_FIRST seconds per event) so the GIL and the SQLite writer lock go to
# the acknowledgement; processing catches up between bursts (docs/performance.md, fix 9). With the
# workers in a process of their own (bot/processing.py) the count is also kept in shared memory,
# where the worker process looks at it (`follow_acks_of`).
ACK_FIRST = 0.02
ACK_POLL = 0.0002  # seconds between looks at the other process's count
_waiting_lock = threading.Lock()
_waiting = 0
_no_ack_waiting = threading.Event()
_no_ack_waiting.set()
_shared_waiting: Any = None  # a multiprocessing.RawValue("i"): the webhooks' count, or None
_followed: Any = None  # in the worker process: the serving process's count


def _count_waiting(change: int) -> None:
    global _waiting
    with _waiting_lock:
        _waiting += change
        if _waiting == 0:
            _no_ack_waiting.set()
        else:
            _no_ack_waiting.clear()
        if _shared_waiting is not None:
            _shared_waiting.value = _waiting  # one writer (this process); readers only read


def share_acks_with(value: Any) -> None:
    """Serving process: publish how many webhooks wait for their commit in `value`."""
    global _shared_waiting
    _shared_waiting = value


def follow_acks_of(value: Any) -> None:
    """Worker process: let `let_acks_through` wait for the serving process's webhooks."""
    global _followed
    _followed = value


def let_acks_through(timeout: float = ACK_FIRST) -> None:
    """Wait (at most `timeout`) until no webhook waits for its commit."""
    if _followed is None:
        _no_ack_waiting.wait(timeout)
        return
    deadline = time.monotonic() + timeout
    while _followed.value > 0 and time.monotonic() < deadline:
        time.sleep(ACK_POLL)


class StoreUnavailable(Exception):
    """The inbox could not be committed: answer 503 so the platform delivers again."""


@dataclass
class _Request:
    rows: list[Row]
    done: Future[int] = field(default_factory=Future)


class InboxWriter:
    """Commit a channel's events from one writer thread, batching concurrent webhooks."""

    def __init__(
        self, engine: Engine, clock: Clock, channel: str, *, max_batch: int = MAX_BATCH
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.channel = channel
        self.max_batch = max_batch
        self._queue: queue.SimpleQueue[_Request] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._running = False
        self._unresolved = 0
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))

    def store(self, events: list[Row]) -> int:
        """Commit (event id, payload, redelivery) rows; return how many were new.

        Raises StoreUnavailable when the store cannot take them.
        """
        return self._submit(events).result()

    async def store_async(self, events: list[Row]) -> int:
        """Commit rows through the writer without blocking the event loop; return how many new."""
        return await asyncio.wrap_future(self._submit(events))

    def pending(self) -> int:
        """Return how many requests wait for their commit (queued or being committed)."""
        with self._lock:
            return self._unresolved

    def _submit(self, events: list[Row]) -> Future[int]:
        request = _Request(list(events))
        if not request.rows:
            request.done.set_result(0)
            return request.done
        request.done.add_done_callback(self._resolved)
        _count_waiting(+1)
        with self._lock:
            self._unresolved += 1
            self._queue.put(request)
            if not self._running:
                self._running = True
                name = f"{self.channel}-inbox-writer"
                threading.Thread(target=self._run, name=name, daemon=True).start()
        return request.done

    def _resolved(self, _done: Future[int]) -> None:
        with self._lock:
            self._unresolved -= 1
        _count_waiting(-1)

    def _run(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=IDLE_EXIT)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._running = False
                        return
                continue
            batch = self._gather(first)
            if batch:
                self._commit(batch)

    def _gather(self, first: _Request) -> list[_Request]:
        """Take the requests waiting behind `first`, up to max_batch events in all.

        A request whose webhook has gone (its future cancelled) is left out: it was never
        acknowledged, so the platform sends it again.
        """
        batch, size, request = [], 0, first
        while True:
            if request.done.set_running_or_notify_cancel():
                batch.append(request)
                size += len(request.rows)
            if size >= self.max_batch:
                return batch
            try:
                request = self._queue.get_nowait()
            except queue.Empty:
                return batch

    def _commit(self, batch: list[_Request]) -> None:
        try:
            new = self._insert(batch)
        except Exception as exc:
            if len(batch) > 1 and not _unavailable(exc):
                for request in batch:  # isolate the request that fails
                    self._commit([request])
                return
            reason = _reason(exc)
            log.error(
                "%s inbox: could not commit %d request(s): %s", self.channel, len(batch), reason
            )
            for request in batch:
                request.done.set_exception(StoreUnavailable(reason))
            return
        metrics.EVENTS_RECEIVED.inc(len(new), channel=self.channel)
        for request in batch:
            mine = {event_id for event_id, _, _ in request.rows} & new
            new -= mine  # an event repeated across requests counts for the first only
            request.done.set_result(len(mine))

    def _insert(self, batch: list[_Request]) -> set[str]:
        rows = [row for request in batch for row in request.rows]
        with session_scope(self.engine) as session:
            return add_event_batch(session, channel=self.channel, events=rows, now=self.clock.now())


def _unavailable(exc: BaseException) -> bool:
    """Return whether the store itself failed (not one request's data)."""
    if isinstance(exc, OperationalError | InterfaceError):
        return True
    return isinstance(exc, DBAPIError) and exc.connection_invalidated


def _reason(exc: BaseException) -> str:
    """Describe a failure for the log without the statement's parameters (message text)."""
    if isinstance(exc, DBAPIError):
        detail = str(exc.orig).splitlines()[0][:200] if _unavailable(exc) else ""
        return f"{type(exc).__name__} ({type(exc.orig).__name__}) {detail}".strip()
    return type(exc).__name__
