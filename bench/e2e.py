"""End to end: webhook in -> the reply arriving at the fake LINE API, at a fixed rate.

    python -m bench.e2e [--quick] [--rate 200] [--seconds 60]

`tsunagi serve` (SQLite) runs as a child process; the fake LINE platform runs in this process and
timestamps every reply it accepts. Every event comes from its own (unregistered) LINE user, so
each must get exactly one answer: counted at the fake, lost and duplicated answers are reported.
Latency = the reply's arrival at the fake - the webhook's send. Appends to bench/results/e2e.jsonl.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import (
    ACCESS_TOKEN,
    child,
    free_port,
    percentile,
    print_table,
    record,
    serve_cmd,
    signed_body,
    tsunagi_env,
    user_of,
)
from bench.fake_line import BenchLineState, create_app
from bench.load import open_loop
from bot.fakes.line_platform import serve_in_thread

DRAIN_TIMEOUT = 60.0  # seconds to wait for the last answers after the load stops


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--rate", type=float, default=200.0, help="events per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    rate, seconds = (20.0, 2.0) if args.quick else (args.rate, args.seconds)
    work = Path(tempfile.mkdtemp(prefix="tsunagi-bench-e2e-"))
    state = BenchLineState(access_token=ACCESS_TOKEN)
    line_api, stop_fake = serve_in_thread(create_app(state))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = tsunagi_env(f"sqlite:///{work / 'e2e.db'}", line_api)
    try:
        with child(serve_cmd(port), env=env, ready=url + "/healthz", log=work / "serve.log"):
            outcome = open_loop(
                url + "/line/webhook", lambda i: signed_body("E", i), rate=rate, seconds=seconds
            )
            deadline = time.monotonic() + DRAIN_TIMEOUT
            while len(state.deliveries) < outcome.ok and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.5)  # a late duplicate would arrive now
    finally:
        stop_fake()
    with state.lock:
        arrivals: dict[str, list[float]] = {}
        for delivery in state.deliveries:
            arrivals.setdefault(delivery.to, []).append(delivery.at.timestamp())
    latencies, lost = [], 0
    for i, sent in outcome.sent_at.items():
        got = arrivals.get(user_of(i, "E"))
        if got:
            latencies.append((min(got) - sent) * 1000)
        else:
            lost += 1
    duplicated = sum(len(v) - 1 for v in arrivals.values())
    row = {
        "rate": rate,
        "seconds": seconds,
        "sent": outcome.sent,
        "acked": outcome.ok,
        "answered": len(arrivals),
        "lost": lost,
        "duplicated": duplicated,
        "p50_ms": round(percentile(latencies, 50), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies, default=0.0), 1),
        "replies": sum(1 for d in state.deliveries if d.kind == "reply"),
        "pushes": sum(1 for d in state.deliveries if d.kind == "push"),
    }
    print_table("End to end: webhook -> reply at the fake LINE API", [row])
    record("e2e", row, quick=args.quick)
    return row


if __name__ == "__main__":
    main()
