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
from urllib.parse import urlsplit

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
    """Send on keep-alive connections with hand-written HTTP/1.1 over asyncio streams: httpx
    could not keep 500 requests/s even against the bare ceiling app on this box (p50 193 ms), so
    it measured itself, not the server."""
    outcome = Outcome()
    total = int(rate * seconds)
    target = urlsplit(url)
    host, port, path = target.hostname or "127.0.0.1", target.port or 80, target.path or "/"
    prepared = [_request(host, path, *body(i)) for i in range(total)]
    idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(i: int, due: float) -> None:
        async with gate:
            outcome.sent_at[i] = time.time()
            status = None
            for reused in (bool(idle), False):  # a kept-alive connection the server closed:
                connection = idle.pop() if reused else await asyncio.open_connection(host, port)
                try:  # send again once on a new one
                    status = await _exchange(*connection, prepared[i])
                    idle.append(connection)
                    break
                except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                    connection[1].close()
                    if not reused:
                        break
        if status == 200:
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
    for _, writer in idle:
        writer.close()
    return outcome


def _request(host: str, path: str, signature: str, data: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"X-Line-Signature: {signature}\r\nContent-Length: {len(data)}\r\n\r\n"
    )
    return head.encode() + data


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """Send one request on a keep-alive connection; return the response's status code."""
    writer.write(request)
    await writer.drain()
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionResetError("the server closed the connection")
    status = int(status_line.split()[1])
    length, chunked = 0, False
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.decode("latin-1").partition(":")
        name, value = name.strip().lower(), value.strip().lower()
        if name == "content-length":
            length = int(value)
        elif name == "transfer-encoding" and value == "chunked":
            chunked = True
    if not chunked:
        await reader.readexactly(length)
        return status
    while size := int((await reader.readline()).split(b";")[0], 16):
        await reader.readexactly(size + 2)  # the chunk and its CRLF
    await reader.readline()  # the CRLF after the last (empty) chunk
    return status
