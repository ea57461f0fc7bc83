"""Footprint: cold start of `tsunagi serve` to GET /healthz 200, and its RSS under ingest load.

    python -m bench.footprint [--quick] [--rate 500] [--seconds 20]

Starts twice on a fresh SQLite file: the first start creates the schema (migrations), the
second is a restart on a migrated store. Then webhooks at a fixed rate while the RSS of the
process (and its children) is sampled every 100 ms. Appends to bench/results/footprint.jsonl.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from bench.common import (
    PYTHON,
    child,
    free_port,
    print_table,
    record,
    serve_cmd,
    signed_body,
    tsunagi_env,
    wait_http,
)
from bench.load import open_loop

MB = 1024 * 1024


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--rate", type=float, default=500.0, help="webhooks per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args(argv)
    rate, seconds = (100.0, 1.0) if args.quick else (args.rate, args.seconds)
    work = Path(tempfile.mkdtemp(prefix="tsunagi-bench-footprint-"))
    fake_port = free_port()
    line_api = f"http://127.0.0.1:{fake_port}"
    env = tsunagi_env(f"sqlite:///{work / 'footprint.db'}", line_api)
    fake = [PYTHON, "-m", "bench.fake_line", "--port", str(fake_port)]
    with child(fake, ready=f"{line_api}/bench/stats", log=work / "fake.log"):
        first, first_ready = cold_start(work, env, "first")
        second, second_ready = cold_start(work, env, "second")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with child(serve_cmd(port), env=env, ready=url + "/healthz", log=work / "load.log") as p:
            sampler = RssSampler(p.pid)
            sampler.start()
            idle_mb, idle_pss = sampler.current(), sampler.current_pss()
            outcome = open_loop(
                url + "/line/webhook", lambda i: signed_body("F", i), rate=rate, seconds=seconds
            )
            sampler.stop()
            busy = sampler.by_process()
    row = {
        "cold_start_first_s": round(first, 3),
        "cold_start_s": round(second, 3),
        "worker_ready_first_s": round(first_ready, 3),
        "worker_ready_s": round(second_ready, 3),
        "rss_idle_mb": round(idle_mb, 1),
        "rss_max_mb": round(sampler.peak, 1),
        "pss_idle_mb": round(idle_pss, 1),
        "pss_max_mb": round(sampler.peak_pss, 1),
        "rss_by_process_mb": busy,
        "load_rate": rate,
        "load_seconds": seconds,
        "acked": outcome.ok,
        "failed": outcome.failed,
    }
    print_table("Footprint: cold start and RSS under ingest load", [row])
    record("footprint", row, quick=args.quick)
    return row


def cold_start(work: Path, env: dict[str, str], name: str) -> tuple[float, float]:
    """Return the seconds from starting `tsunagi serve` to its first /healthz 200 (webhooks are
    acknowledged from then on), and to its worker process reported ready (they are answered)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/healthz"
    start = time.monotonic()
    with child(serve_cmd(port), env=env, log=work / f"start-{name}.log") as process:
        wait_http(url, process=process, worker=False)
        up = time.monotonic() - start
        wait_http(url, process=process)
        return up, time.monotonic() - start


class RssSampler:
    """Sample the memory of a process and its children every 100 ms: RSS (a page shared by two
    processes counts twice) and PSS (shared pages split between the processes sharing them)."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0.0
        self.peak_pss = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _processes(self) -> list[psutil.Process]:
        return [self.process, *self.process.children(recursive=True)]

    def current(self) -> float:
        """Return the RSS now, in MB (the process and its children)."""
        return sum(p.memory_info().rss for p in self._processes()) / MB

    def current_pss(self) -> float:
        """Return the PSS now, in MB (the process and its children)."""
        return sum(p.memory_full_info().pss for p in self._processes()) / MB

    def by_process(self) -> str:
        """Return each process's RSS now, e.g. `serve 120 + worker 130 + other 12`."""
        parts = []
        for p in self._processes():
            command = " ".join(p.cmdline())
            kind = (
                "serve" if p == self.process else "worker" if "spawn_main" in command else "other"
            )
            parts.append(f"{kind} {p.memory_info().rss / MB:.0f}")
        return " + ".join(parts)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.current())
            self.peak_pss = max(self.peak_pss, self.current_pss())
            self._stop.wait(0.1)


if __name__ == "__main__":
    main()
