"""What every benchmark shares: servers as child processes on loopback, signed LINE webhook
bodies, percentiles, the printed table and the JSON line appended to bench/results/<name>.jsonl.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import httpx

from bot.fakes.line_webhooks import sign, text_event, webhook_body

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("TSUNAGI_BENCH_RESULTS") or ROOT / "bench" / "results")
SECRET = "bench-channel-secret"
ACCESS_TOKEN = "bench-access-token"
PYTHON = sys.executable


def free_port() -> int:
    """Return a free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(
    url: str,
    timeout: float = 30.0,
    process: subprocess.Popen[bytes] | None = None,
    *,
    worker: bool = True,
) -> float:
    """Poll GET url until it answers 200 (and, for `serve`'s /healthz with `worker`, until its
    worker process processes: a benchmark measures the running bot, not its start-up); return
    the seconds it took."""
    start = time.monotonic()
    while True:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before {url} answered")
        try:
            response = httpx.get(url, timeout=1)
            if response.status_code == 200 and (not worker or _worker_ok(response)):
                return time.monotonic() - start
        except httpx.TransportError:
            pass
        if time.monotonic() - start > timeout:
            raise RuntimeError(f"{url} did not answer 200 within {timeout} s")
        time.sleep(0.01)


def _worker_ok(response: httpx.Response) -> bool:
    if "json" not in response.headers.get("content-type", ""):
        return True
    return response.json().get("worker", "ok") == "ok"


@contextmanager
def child(
    cmd: Sequence[str], *, env: dict[str, str] | None = None, ready: str | None = None, log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server process (waiting for `ready` to answer 200); terminate it on exit."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            list(cmd), env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        if ready:
            wait_http(ready, process=process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# Settings of `serve` a benchmark run may compare (e.g. TSUNAGI_WORKER_PROCESS=off).
PASSED_THROUGH = ("TSUNAGI_WORKER_PROCESS", "TSUNAGI_ACCESS_LOG")


def tsunagi_env(database_url: str, line_api: str) -> dict[str, str]:
    """Return the environment of `tsunagi serve` for a benchmark: LINE pointed at a fake."""
    keep = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TSUNAGI_", "LINE_", "SLACK_")) or k in PASSED_THROUGH
    }
    return keep | {
        "TSUNAGI_DATABASE_URL": database_url,
        "LINE_CHANNEL_SECRET": SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": ACCESS_TOKEN,
        "LINE_API_BASE_URL": line_api,
        "LINE_DATA_API_BASE_URL": line_api,
    }


def serve_cmd(port: int) -> list[str]:
    return [PYTHON, "-m", "bot.cli", "serve", "--port", str(port)]


def event_id(prefix: str, i: int) -> str:
    """Return a unique 26-character webhookEventId-like id."""
    return (prefix + hashlib.sha1(f"{prefix}{i}".encode()).hexdigest().upper())[:26]


def user_of(i: int, prefix: str = "") -> str:
    """Return a LINE user id (U + 32 hex) unique per (prefix, i)."""
    return "U" + hashlib.md5(f"{prefix}{i}".encode()).hexdigest()


def signed_body(
    prefix: str, i: int, text: str = "スーパーが遠くて買い物が大変"
) -> tuple[str, bytes]:
    """Return (X-Line-Signature, body) of a webhook with one text event from its own user.

    The reply token names the user (`<user>:<random>`), which the benchmark fake accepts.
    """
    user = user_of(i, prefix)
    event = text_event(
        user,
        text,
        webhook_event_id=event_id(prefix, i),
        reply_token=f"{user}:{secrets.token_hex(8)}",
        timestamp_ms=int(time.time() * 1000),
    )
    body = webhook_body(event)
    return sign(body, SECRET), body


def write_bodies(path: Path, prefix: str, n: int) -> Path:
    """Write n signed bodies, one `signature<TAB>body` a line (read by wrk_line.lua)."""
    with path.open("wb") as out:
        for i in range(n):
            signature, body = signed_body(prefix, i)
            out.write(signature.encode() + b"\t" + body + b"\n")
    return path


def percentile(values: Sequence[float], p: float) -> float:
    """Return the p-th percentile (nearest rank) of values, 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def print_table(title: str, rows: list[dict[str, Any]]) -> None:
    """Print rows as an aligned table under a title."""
    print(f"\n{title}")
    if not rows:
        print("(no rows)")
        return
    columns = list(rows[0])
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return "" if value is None else str(value)


def record(name: str, result: dict[str, Any], *, quick: bool) -> Path:
    """Append one JSON line (machine, versions, date, results) to bench/results/<name>.jsonl."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    line = {
        "bench": name,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "machine": machine(),
        **result,
    }
    path = RESULTS / f"{name}.jsonl"
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(line, ensure_ascii=False, sort_keys=False) + "\n")
    print(f"\nresult appended to {path}")
    return path


def machine() -> dict[str, Any]:
    """Describe the machine and the versions that matter for the numbers."""
    versions: dict[str, str | None] = {}
    for package in ("uvicorn", "starlette", "sqlalchemy", "psycopg", "uvloop", "httptools"):
        try:
            versions[package] = version(package)
        except Exception:
            versions[package] = None
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        **versions,
    }


def postgres_url(arg: str | None) -> str | None:
    """Return the PostgreSQL URL to benchmark (argument, else TSUNAGI_BENCH_POSTGRES_URL)."""
    return arg or os.environ.get("TSUNAGI_BENCH_POSTGRES_URL") or None


def reset_postgres(url: str) -> None:
    """Empty the benchmark's PostgreSQL database (drop and recreate the public schema)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def count_inbox(url: str) -> int:
    """Return how many events the inbox of the store at url holds."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.pool import NullPool

    engine = create_engine(url, poolclass=NullPool)
    with engine.connect() as connection:
        count = int(connection.execute(text("SELECT count(*) FROM inboundevent")).scalar_one())
    engine.dispose()
    return count
