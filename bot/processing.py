"""The background work of `tsunagi serve`: inbox and outbox workers, checkpoints, the scheduler.

By default `serve` runs them in a worker process of their own beside the one that answers HTTP
(`TSUNAGI_WORKER_PROCESS=on`). Acknowledging a webhook takes well under a millisecond of CPU;
running it through the bot and sending the answer through the LINE SDK takes a few. In one
interpreter the two share a GIL, so a burst of processing delayed the acknowledgements LINE waits
for (2 s at most) and the acknowledgements slowed the answers (docs/performance.md, "one process
or two"). Two processes use both cores and the operating system keeps them apart. (The worker keeps
the same priority: a lower one made it hold SQLite's writer turn while preempted, and the
webhooks waited behind it: docs/performance.md, fix 14.)

    serve (HTTP: webhooks, forms, iCal, /healthz, /metrics; Slack Socket Mode)
      │  commit to the inbox ─ wake ─▶ worker process: inbox workers ─▶ outbox ─▶ LINE / Slack
      │                                                 scheduler, SQLite checkpoints
      └─ restarts the worker if it dies; stops it on shutdown; it dies with serve (SIGKILL too)

The wake-ups are pipes (`PipeEvent`): a byte written by the webhook after its commit wakes the
inbox worker at once. The only memory shared is one number: how many webhooks wait for their
commit, which the worker defers to (acknowledgements first). Everything that must happen once is
claimed through the store as before, so replicas, restarts and crashes behave as with threads.
The counters the worker moves (events processed, outbox attempts) are fetched from it for each
scrape of /metrics.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import select
import signal
import sys
import threading
from datetime import timedelta
from functools import partial
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from bot import metrics
from bot.channels.inbox_writer import SWITCH_INTERVAL, follow_acks_of, share_acks_with
from bot.workers import Loop
from storage.db import checkpoint

if TYPE_CHECKING:
    from bot.app import Runtime
    from bot.channels.line import LineChannel
    from bot.channels.slack import SlackChannel
    from bot.settings import Settings
    from schedules.scheduler import Scheduler

log = logging.getLogger(__name__)
OUTBOX_IDLE = 0.2  # seconds between outbox polls when nothing woke the loop
RESTART_AFTER = 1.0  # seconds before a worker process that died is started again
STOP_WITHIN = 15.0  # seconds a stopping worker process gets to finish its current steps
METRICS_WITHIN = 2.0  # seconds /metrics waits for the worker's counters
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def channels(runtime: Runtime) -> list[tuple[str, LineChannel | SlackChannel]]:
    """Return the enabled channels by name."""
    pairs: list[tuple[str, LineChannel | SlackChannel | None]] = [
        ("line", runtime.line),
        ("slack", runtime.slack),
    ]
    return [(name, channel) for name, channel in pairs if channel is not None]


def worker_loops(runtime: Runtime) -> list[Loop]:
    """Return each channel's inbox and outbox loops (and the SQLite checkpoint loop).

    The outbox loop is woken as soon as the inbox worker commits an answer; its idle poll only
    picks up what others queue (a reminder, a form's confirmation) and retries that fall due.
    """
    loops: list[Loop] = []
    lease = timedelta(seconds=runtime.settings.inbox_lease_seconds)
    outbox_lease = timedelta(seconds=runtime.settings.outbox_lease_seconds)
    for name, channel in channels(runtime):
        inbox = partial(channel.process_pending, lease=lease)
        outbox = partial(channel.deliver_due, lease=outbox_lease)
        loops.append(Loop(f"{name}-inbox", inbox, wakeup=channel.inbox_wakeup))
        loops.append(Loop(f"{name}-outbox", outbox, wakeup=channel.outbox_wakeup, idle=OUTBOX_IDLE))
    if runtime.engine.dialect.name == "sqlite":  # the WAL copied back off the request path
        loops.append(Loop("sqlite-checkpoint", partial(checkpoint, runtime.engine), idle=1.0))
    return loops


def wake_outboxes(runtime: Runtime) -> None:
    """Wake every channel's delivery loop (the scheduler has queued messages)."""
    for _name, channel in channels(runtime):
        channel.outbox_wakeup.set()


class Workers:
    """The background parts of one process, started and stopped together."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self._loops: list[Loop] = []
        self._scheduler: Scheduler | None = None

    def start(self) -> None:
        from schedules.scheduler import Scheduler

        runtime = self.runtime
        self._loops = worker_loops(runtime)
        for loop in self._loops:
            loop.start()
        if runtime.line is not None:  # the SDK import is lazy (cold start); done meanwhile
            threading.Thread(target=runtime.line.api.warm_up, name="line-sdk", daemon=True).start()
        self._scheduler = Scheduler.for_settings(
            runtime.engine,
            runtime.clock,
            runtime.settings,
            on_queued=partial(wake_outboxes, runtime),
        )
        self._scheduler.start()

    def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
        for loop in self._loops:
            loop.stop()


class PipeEvent:
    """A `threading.Event` look-alike that works across processes: a byte in a pipe.

    `set` never blocks (a full pipe already means "set"), so a webhook can wake the worker
    process from the event loop. Only the worker process waits on it.
    """

    def __init__(self, reader: Connection, writer: Connection) -> None:
        self._reader, self._writer = reader, writer
        os.set_blocking(writer.fileno(), False)
        os.set_blocking(reader.fileno(), False)

    def __getstate__(self) -> dict[str, Any]:
        return {"reader": self._reader, "writer": self._writer}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["reader"], state["writer"])  # type: ignore[misc]

    def set(self) -> None:
        with contextlib.suppress(BlockingIOError):
            os.write(self._writer.fileno(), b"\0")

    def clear(self) -> None:
        with contextlib.suppress(BlockingIOError):
            while os.read(self._reader.fileno(), 4096):
                pass

    def is_set(self) -> bool:
        return self.wait(0)

    def wait(self, timeout: float | None = None) -> bool:
        readable, _, _ = select.select([self._reader.fileno()], [], [], timeout)
        return bool(readable)


class WorkerProcess:
    """The workers of `serve` in a child process: started, watched, restarted and stopped here."""

    def __init__(self, runtime: Runtime) -> None:
        self._context = multiprocessing.get_context("spawn")  # a fresh interpreter, no fork
        self._settings = runtime.settings
        self._wakeups: dict[str, tuple[PipeEvent, PipeEvent]] = {}
        for name, channel in channels(runtime):
            inbox, outbox = self._pipe_event(), self._pipe_event()
            channel.inbox_wakeup, channel.outbox_wakeup = inbox, outbox  # type: ignore[assignment]
            self._wakeups[name] = (inbox, outbox)
        self._ready = self._pipe_event()  # set by the worker once it processes
        self._acks_waiting = self._context.RawValue("i", 0)  # webhooks waiting for a commit
        share_acks_with(self._acks_waiting)
        self._process: Any = None
        self._conn: Connection | None = None
        self._conn_lock = threading.Lock()
        self._stopping = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="worker-process", daemon=True)
        self.starts = 0

    def _pipe_event(self) -> PipeEvent:
        reader, writer = self._context.Pipe(duplex=False)
        return PipeEvent(reader, writer)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        self._spawn()
        self._watcher.start()

    def state(self) -> str:
        """Return "ok" (processing), "starting" or "down" (it died; restarting)."""
        process = self._process
        if process is None or process.exitcode is not None:
            return "down"
        return "ok" if self._ready.is_set() else "starting"

    def _spawn(self) -> None:
        ours, theirs = self._context.Pipe()
        self._ready.clear()
        process = self._context.Process(
            target=run_worker_process,
            args=(
                self._settings,
                self._wakeups,
                self._ready,
                self._acks_waiting,
                theirs,
                os.getpid(),
            ),
            name="tsunagi-worker",
            daemon=True,
        )
        process.start()
        theirs.close()
        with self._conn_lock:
            self._process, self._conn = process, ours
        self.starts += 1
        log.info("worker process %s started (inbox, outbox, scheduler)", process.pid)

    def _watch(self) -> None:
        while not self._stopping.wait(0.5):
            if self._process.exitcode is None:
                continue
            log.error(
                "worker process %s exited (code %s); starting it again in %.0f s",
                self._process.pid,
                self._process.exitcode,
                RESTART_AFTER,
            )
            if not self._stopping.wait(RESTART_AFTER):
                self._spawn()
        # Stopped here, not in stop(): a child started by this thread dies with it.
        process = self._process
        if process.exitcode is None:
            process.terminate()
            process.join(STOP_WITHIN)
        if process.exitcode is None:
            log.error("worker process %s did not stop in %.0f s: killed", process.pid, STOP_WITHIN)
            process.kill()
            process.join()

    def stop(self) -> None:
        """Ask the worker to finish its current steps (SIGTERM), killing it if it takes too long."""
        self._stopping.set()
        if self._watcher.is_alive():
            self._watcher.join()

    def counters(self) -> metrics.Snapshot:
        """Return the worker's counters (empty when it does not answer in time)."""
        with self._conn_lock:
            conn = self._conn
            if conn is None:
                return {}
            try:
                conn.send("counters")
                if conn.poll(METRICS_WITHIN):
                    answer: metrics.Snapshot = conn.recv()
                    return answer
            except (OSError, EOFError):
                pass
            log.warning("metrics: the worker process did not report its counters")
            return {}


def run_worker_process(
    settings: Settings,
    wakeups: dict[str, tuple[PipeEvent, PipeEvent]],
    ready: PipeEvent,
    acks_waiting: Any,
    conn: Connection,
    parent: int,
) -> None:
    """The worker process: the same runtime as `serve`, running only the background work."""
    _die_with(parent)
    # A thread holding SQLite's writer lock must get the GIL back quickly from the senders, or
    # every other writer queues behind it (the default switch interval is 5 ms).
    sys.setswitchinterval(SWITCH_INTERVAL)
    follow_acks_of(acks_waiting)  # acknowledgements first, as with threads (fix 9)
    from bot.app import build_runtime
    from bot.logs import configure_logging

    configure_logging(settings, level=logging.INFO)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl-C reaches the whole group
    runtime = build_runtime(settings, migrate_store=False)  # serve has migrated it
    for name, channel in channels(runtime):
        channel.inbox_wakeup, channel.outbox_wakeup = wakeups[name]  # type: ignore[assignment]
    threading.Thread(target=_answer_counters, args=(conn,), name="counters", daemon=True).start()
    workers = Workers(runtime)
    workers.start()
    if runtime.line is not None:
        runtime.line.api.warm_up()  # the first answer would wait for it
    ready.set()
    log.info("worker process %s: processing", os.getpid())
    while not stop.wait(1.0):
        if os.getppid() != parent:  # serve is gone (where PR_SET_PDEATHSIG is not available)
            break
    workers.stop()
    log.info("worker process %s: stopped", os.getpid())


def _answer_counters(conn: Connection) -> None:
    with contextlib.suppress(OSError, EOFError):
        while conn.recv() == "counters":
            conn.send(metrics.REGISTRY.counters())


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when `serve` dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)
