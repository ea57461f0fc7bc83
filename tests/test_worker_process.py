"""`tsunagi serve` with its workers in a process of their own (bot/processing.py).

The real command, the fake LINE platform and signed webhooks: the worker process answers what
the serving process stored, /healthz and /metrics speak for both, a worker that dies is started
again and loses nothing, and the worker never outlives `serve` — not even a SIGKILL of it.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import psutil
import pytest
from e2e_support import LineHarness, LineUser, served_line, wait_until

from bot.processing import PipeEvent
from storage.db import make_engine, migrate

SATO, SUZUKI = "U" + "5a70" * 8, "U" + "5d2b" * 8


@pytest.fixture
def line(tmp_path: Path) -> Iterator[LineHarness]:
    """`tsunagi serve` (worker process on, the default) pointed at the fake LINE platform."""
    url = f"sqlite:///{tmp_path / 'worker.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    with served_line(tmp_path, url) as harness:
        yield harness


def health(line: LineHarness) -> dict[str, object]:
    answer: dict[str, object] = httpx.get(f"{line.server.url}/healthz", timeout=5).json()
    return answer


def worker_of(line: LineHarness) -> psutil.Process:
    """Return the one worker process `serve` runs (beside multiprocessing's resource tracker)."""
    return only_worker(psutil.Process(line.server._running().pid))


def only_worker(serve: psutil.Process) -> psutil.Process:
    workers = [p for p in serve.children() if "spawn_main" in " ".join(p.cmdline())]
    assert len(workers) == 1, f"serve runs {len(workers)} worker processes, not one"
    return workers[0]


def test_the_worker_process_answers_and_healthz_and_metrics_speak_for_it(line):
    worker = worker_of(line)
    assert worker.pid != line.server._running().pid
    wait_until(lambda: health(line)["worker"] == "ok", "the worker to be ready", explain=str)

    answer = LineUser(line, SATO).say("ヘルプ")

    assert "登録" in answer  # an unregistered user is told how to join
    metrics = httpx.get(f"{line.server.url}/metrics", timeout=5).text
    # Counted in the worker process, shown by the serving one.
    assert 'tsunagi_events_processed_total{channel="line"} 1' in metrics
    assert 'tsunagi_outbox_attempts_total{channel="line",outcome="sent"} 1' in metrics
    assert 'tsunagi_events_received_total{channel="line"} 1' in metrics


def test_a_killed_worker_is_started_again_and_what_came_meanwhile_is_answered(line):
    first = worker_of(line)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    sato = LineUser(line, SATO)
    before = len(sato.answers)

    # Acknowledged while no worker runs: stored, then answered by the next one.
    assert line.post(sato.event(text="ヘルプ").body()) == 200
    wait_until(lambda: len(sato.answers) > before, "the answer after the restart",
               explain=line.server.log_tail)

    second = worker_of(line)
    assert second.pid != first.pid
    assert health(line)["worker"] == "ok"
    assert "worker process" in line.server.output() and "exited" in line.server.output()
    assert len(sato.answers) == before + 1  # answered once


def test_the_worker_dies_with_serve_even_by_sigkill(line):
    worker = worker_of(line)

    line.server.kill()

    worker.wait(timeout=10)  # psutil raises TimeoutExpired if it were still running
    assert not worker.is_running()


def test_serve_stops_its_worker_on_sigterm(line):
    worker = worker_of(line)
    process = line.server._running()
    wait_until(lambda: health(line)["worker"] == "ok", "the worker to be ready", explain=str)

    process.terminate()

    # uvicorn shuts down gracefully, then re-raises the signal: the exit status says SIGTERM.
    assert process.wait(timeout=20) in (0, -signal.SIGTERM)
    worker.wait(timeout=5)
    output = line.server.output()
    assert f"worker process {worker.pid}: stopped" in output  # finished its steps, not killed
    assert output.index(": stopped") < output.index("Application shutdown complete")


def test_without_a_worker_process_serve_answers_from_threads(tmp_path):
    url = f"sqlite:///{tmp_path / 'threads.db'}"
    with served_line(tmp_path, url, env={"TSUNAGI_WORKER_PROCESS": "off"}) as line:
        assert psutil.Process(line.server._running().pid).children() == []
        assert "worker" not in health(line)
        assert "登録" in LineUser(line, SUZUKI).say("ヘルプ")


# ── the wake-up pipe ──────────────────────────────────────────────────────────────────────────


def _set_from_a_child(event: PipeEvent) -> None:
    event.set()


def test_a_pipe_event_set_in_another_process_wakes_the_waiter():
    context = multiprocessing.get_context("spawn")
    reader, writer = context.Pipe(duplex=False)
    event = PipeEvent(reader, writer)
    assert not event.is_set()

    child = context.Process(target=_set_from_a_child, args=(event,))
    child.start()
    child.join(30)

    assert event.wait(10)
    event.clear()
    assert not event.is_set()


def test_setting_a_pipe_event_never_blocks_even_when_nobody_clears_it():
    event = PipeEvent(*multiprocessing.Pipe(duplex=False))
    for _ in range(200_000):  # far more than a pipe holds (64 KiB)
        event.set()
    assert event.is_set()
    event.clear()
    assert not event.is_set()


# ── one SQLite writer across processes ────────────────────────────────────────────────────────

HOLD = """
import sys
from sqlalchemy import text
from storage.db import make_engine
engine = make_engine(sys.argv[1])
with engine.begin() as connection:
    connection.execute(text("UPDATE category SET position = position WHERE code = 'none'"))
    print("holding", flush=True)
    sys.stdin.readline()
print("released", flush=True)
"""


def test_another_process_write_transaction_holds_the_writer_lock_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'lock.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "holding"
        fd = os.open(tmp_path / "lock.db-writer", os.O_RDWR)
        try:
            with pytest.raises(BlockingIOError):  # the other process has the writer's turn
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            holder.stdin.write("\n")
            holder.stdin.flush()
            assert holder.stdout.readline().strip() == "released"
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # committed: free again
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    finally:
        holder.kill()
        holder.wait()
