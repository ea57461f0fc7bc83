"""Ingest: signed LINE webhooks (one text event each) at rising concurrency, side by side.

    python -m bench.ingest [--quick] [--postgres URL] [--seconds 5] [--levels 1,16,64,128]

Targets, each a child process on loopback, one at a time, measured by wrk (closed loop):
  ceiling  a bare ASGI callable under uvicorn that verifies the signature and answers 200
  sqlite   `tsunagi serve` on a fresh SQLite file (acknowledged = committed to the inbox)
  postgres `tsunagi serve` on PostgreSQL (with --postgres or TSUNAGI_BENCH_POSTGRES_URL)
  peer     line-bot-sdk's README echo bot (Flask + gunicorn), replying inside the request
then tsunagi at a fixed 500 events/s (open loop). The fake LINE API runs as its own process.
Prints a table; appends a JSON line to bench/results/ingest.jsonl.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.common import (
    PYTHON,
    child,
    count_inbox,
    free_port,
    postgres_url,
    print_table,
    record,
    reset_postgres,
    serve_cmd,
    signed_body,
    tsunagi_env,
    write_bodies,
)
from bench.load import open_loop, wrk

BODIES_PER_SECOND = 8000  # unique events per second of each step (more than tsunagi acknowledges)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--postgres", help="PostgreSQL URL (its database is emptied)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per step")
    parser.add_argument("--levels", default="1,16,64,128", help="wrk connections per step")
    parser.add_argument("--rate", type=float, default=500.0, help="the fixed-rate step, events/s")
    args = parser.parse_args(argv)
    seconds = 1.0 if args.quick else args.seconds
    levels = [8] if args.quick else [int(x) for x in args.levels.split(",")]
    work = Path(tempfile.mkdtemp(prefix="tsunagi-bench-ingest-"))
    rows: list[dict[str, Any]] = []
    with fake_line(work) as line_api:
        rows += run_ceiling(work, levels, seconds)
        rows += run_tsunagi(
            work,
            "sqlite",
            f"sqlite:///{work / 'ingest.db'}",
            line_api,
            levels,
            seconds,
            args.rate,
            args.quick,
        )
        pg = postgres_url(args.postgres)
        if pg:
            reset_postgres(pg)
            rows += run_tsunagi(
                work, "postgres", pg, line_api, levels, seconds, args.rate, args.quick
            )
        rows += run_peer(work, line_api, levels, seconds)
    print_table("Ingest: acknowledged events/s and ack latency", rows)
    verdict = summarize(rows)
    print_table("Against the targets", [verdict])
    result = {"seconds_per_step": seconds, "rows": rows, "summary": verdict}
    record("ingest", result, quick=args.quick)
    return result


def fake_line(work: Path) -> Any:
    port = free_port()
    return _FakeLine(work, port)


class _FakeLine:
    def __init__(self, work: Path, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self._child = child(
            [PYTHON, "-m", "bench.fake_line", "--port", str(port)],
            ready=f"{self.url}/bench/stats",
            log=work / "fake-line.log",
        )

    def __enter__(self) -> str:
        self._child.__enter__()
        return self.url

    def __exit__(self, *exc: Any) -> None:
        self._child.__exit__(*exc)


def run_ceiling(work: Path, levels: list[int], seconds: float) -> list[dict[str, Any]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    bodies = write_bodies(work / "ceiling.txt", "C", 20000)
    cmd = [PYTHON, "-m", "bench.ceiling_app", "--port", str(port)]
    with child(cmd, ready=url, log=work / "ceiling.log"):
        wrk(url + "/line/webhook", bodies, connections=8, seconds=1)  # warm-up
        return [
            wrk(url + "/line/webhook", bodies, connections=c, seconds=seconds).row(
                target="ceiling", load=f"c={c}"
            )
            for c in levels
        ]


def run_peer(work: Path, line_api: str, levels: list[int], seconds: float) -> list[dict[str, Any]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    warm = write_bodies(work / "peer-warm.txt", "PW", 4000)  # reply tokens are single-use
    gunicorn = str(Path(PYTHON).with_name("gunicorn"))
    cmd = [
        gunicorn,
        "-w",
        "5",
        "-b",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "bench.peer_flask:app",
    ]
    env = tsunagi_env("sqlite://", line_api) | {"BENCH_LINE_API": line_api}
    with child(cmd, env=env, ready=url + "/healthz", log=work / "peer.log"):
        wrk(url + "/callback", warm, connections=8, seconds=1)
        rows = []
        for c in levels:
            bodies = write_bodies(work / f"peer-{c}.txt", f"P{c}-", int(2000 * seconds))
            step = wrk(url + "/callback", bodies, connections=c, seconds=seconds)
            rows.append(step.row(target="peer", load=f"c={c}"))
        return rows


def run_tsunagi(
    work: Path,
    name: str,
    database_url: str,
    line_api: str,
    levels: list[int],
    seconds: float,
    rate: float,
    quick: bool,
) -> list[dict[str, Any]]:
    """The closed-loop steps on one server, then the fixed-rate step on a fresh server and store
    (so it measures 500/s on an idle bot, not one still processing the closed loop's events)."""
    rows = []
    with _served(work, name, database_url, line_api) as url:
        acknowledged = count_inbox(database_url)
        for c in levels:
            bodies = write_bodies(
                work / f"{name}-{c}.txt", f"{name[0]}{c}-", int(BODIES_PER_SECOND * seconds)
            )
            outcome = wrk(url + "/line/webhook", bodies, connections=c, seconds=seconds)
            acknowledged += outcome.ok
            rows.append(outcome.row(target=name, load=f"c={c}"))
        stored = count_inbox(database_url)
    rate_url = database_url
    if database_url.startswith("sqlite"):
        rate_url = f"sqlite:///{work / f'{name}-rate.db'}"
    else:
        reset_postgres(database_url)
    with _served(work, f"{name}-rate", rate_url, line_api) as url:
        before = count_inbox(rate_url)
        fixed = open_loop(
            url + "/line/webhook",
            lambda i: signed_body(f"R{name[0]}", i),
            rate=rate / 5 if quick else rate,
            seconds=seconds,
        )
        rows.append(fixed.row(target=name, load=f"{rate / 5 if quick else rate:g}/s"))
        rate_stored = count_inbox(rate_url) - before
    for row in rows[:-1]:
        row["stored_ge_acked"] = stored >= acknowledged  # every 200 was a committed event
    rows[-1]["stored_ge_acked"] = rate_stored >= fixed.ok
    return rows


@contextmanager
def _served(work: Path, name: str, database_url: str, line_api: str) -> Iterator[str]:
    """Run `tsunagi serve` on a store, warmed with 2,000 webhooks; yield its URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with child(
        serve_cmd(port),
        env=tsunagi_env(database_url, line_api),
        ready=url + "/healthz",
        log=work / f"serve-{name}.log",
    ):
        warm = write_bodies(work / f"{name}-warm.txt", f"W{name}", 2000)
        wrk(url + "/line/webhook", warm, connections=8, seconds=1)
        yield url


def summarize(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Compare the best closed-loop throughputs and the fixed-rate step with the targets."""

    def best(target: str) -> float:
        return max(
            (r["ack_per_s"] for r in rows if r["target"] == target and r["load"].startswith("c=")),
            default=0.0,
        )

    sqlite, ceiling, peer = best("sqlite"), best("ceiling"), best("peer")
    fixed = [r for r in rows if r["target"] == "sqlite" and not r["load"].startswith("c=")]
    tsunagi = [r for r in rows if r["target"] in ("sqlite", "postgres")]
    return {
        "sqlite_ev_s": sqlite,
        "postgres_ev_s": best("postgres"),
        "ceiling_req_s": ceiling,
        "peer_req_s": peer,
        "pct_of_ceiling": round(100 * sqlite / ceiling, 1) if ceiling else 0.0,
        "x_peer": round(sqlite / peer, 2) if peer else 0.0,
        "p99_ms_fixed_rate": fixed[0]["p99_ms"] if fixed else None,
        "max_ms_any_load": max((r["max_ms"] for r in tsunagi), default=0.0),
        "all_acked_stored": all(r.get("stored_ge_acked", True) for r in tsunagi),
    }


if __name__ == "__main__":
    main()
