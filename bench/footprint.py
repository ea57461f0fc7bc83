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
        first = cold_start(work, env, "first")
        second = cold_start(work, env, "second")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        with child(serve_cmd(port), env=env, ready=url + "/healthz", log=work / "load.log") as p:
            sampler = RssSampler(p.pid)
            sampler.start()
            idle_mb = sampler.current()
            outcome = open_loop(
                url + "/line/webhook", lambda i: signed_body("F", i), rate=rate, seconds=seconds
            )
            sampler.stop()
    row = {
        "cold_start_first_s": round(first, 3),
        "cold_start_s": round(second, 3),
        "rss_idle_mb": round(idle_mb, 1),
        "rss_max_mb": round(sampler.peak, 1),
        "load_rate": rate,
        "load_seconds": seconds,
        "acked": outcome.ok,
        "failed": outcome.failed,
    }
    print_table("Footprint: cold start and RSS under ingest load", [row])
    record("footprint", row, quick=args.quick)
    return row


def cold_start(work: Path, env: dict[str, str], name: str) -> float:
    """Return the seconds from starting `tsunagi serve` to its first /healthz 200."""
    port = free_port()
    start = time.monotonic()
    with child(serve_cmd(port), env=env, log=work / f"start-{name}.log") as process:
        wait_http(f"http://127.0.0.1:{port}/healthz", process=process)
        return time.monotonic() - start


class RssSampler:
    """Sample the resident memory of a process and its children every 100 ms."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def current(self) -> float:
        """Return the RSS now, in MB (the process and its children)."""
        processes = [self.process, *self.process.children(recursive=True)]
        return sum(p.memory_info().rss for p in processes) / MB

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.current())
            self._stop.wait(0.1)


if __name__ == "__main__":
    main()
