"""Load generators: wrk (closed loop, rising concurrency) and an open-loop Python sender at a
fixed rate whose latency counts from the moment each request was due (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.common import percentile

IN_FLIGHT = 128  # open-loop requests in flight at most


@dataclass
class Outcome:
    """What one load step measured."""

    sent: int = 0
    ok: int = 0
    failed: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # seconds, of acknowledged requests
    sent_at: dict[int, float] = field(default_factory=dict)  # request index -> wall-clock send
    reported_ms: dict[str, float] | None = None  # wrk reports percentiles, not samples

    def row(self, **labels: Any) -> dict[str, Any]:
        """Return the step as a table row: events/s acknowledged and latency in ms."""
        ms = [x * 1000 for x in self.latencies]
        latency = self.reported_ms or {
            "p50_ms": percentile(ms, 50),
            "p99_ms": percentile(ms, 99),
            "max_ms": max(ms, default=0.0),
        }
        return {
            **labels,
            "ack_per_s": round(self.ok / self.seconds, 1) if self.seconds else 0.0,
            "ok": self.ok,
            "failed": self.failed,
            **{key: round(value, 2) for key, value in latency.items()},
        }


def wrk(url: str, bodies: Path, *, connections: int, seconds: float, threads: int = 2) -> Outcome:
    """Run wrk against url with the bodies file; return what it measured."""
    threads = min(threads, connections)
    script = Path(__file__).with_name("wrk_line.lua")
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        url,
        "--",
        str(bodies),
        str(threads),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    errors = sum(data[k] for k in ("non2xx", "connect", "read", "write", "timeout"))
    outcome = Outcome(
        sent=data["requests"],
        ok=data["requests"] - data["non2xx"],
        failed=errors,
        seconds=data["duration_us"] / 1e6,
        reported_ms={
            "p50_ms": data["p50_us"] / 1000,
            "p99_ms": data["p99_us"] / 1000,
            "max_ms": data["max_us"] / 1000,
        },
    )
    return outcome


def open_loop(
    url: str, body: Callable[[int], tuple[str, bytes]], *, rate: float, seconds: float
) -> Outcome:
    """POST body(i) at `rate` per second for `seconds`; latency counts from each due time."""
    return asyncio.run(_open_loop(url, body, rate, seconds))


async def _open_loop(
    url: str, body: Callable[[int], tuple[str, bytes]], rate: float, seconds: float
) -> Outcome:
    outcome = Outcome()
    total = int(rate * seconds)
    prepared = [body(i) for i in range(total)]
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    # httpx's pool slows down quadratically with thousands of queued requests: keep at most
    # IN_FLIGHT in it; a request held back still counts its latency from its due time.
    gate = asyncio.Semaphore(IN_FLIGHT)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:

        async def one(i: int, due: float) -> None:
            signature, data = prepared[i]
            try:
                async with gate:
                    outcome.sent_at[i] = time.time()
                    response = await client.post(
                        url,
                        content=data,
                        headers={
                            "x-line-signature": signature,
                            "content-type": "application/json",
                        },
                    )
            except httpx.HTTPError:
                outcome.failed += 1
                return
            if response.status_code == 200:
                outcome.ok += 1
                outcome.latencies.append(time.monotonic() - due)
            else:
                outcome.failed += 1

        start = time.monotonic()
        tasks = []
        for i in range(total):
            due = start + i / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(i, due)))
            outcome.sent += 1
        await asyncio.gather(*tasks)
        outcome.seconds = time.monotonic() - start
    return outcome
