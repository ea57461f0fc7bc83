"""The processing path without HTTP in front: N stored LINE text events run through the inbox
worker, then their answers sent by the delivery loop to the benchmark fake LINE (a child
process), each phase timed in CPU seconds of this process.

    python -m bench.inprocess [--events 1000] [--no-api]

`--no-api` answers every LINE call at once without the network and the SDK, leaving the
outbox's own database work. Used for fix 13 in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import ACCESS_TOKEN, PYTHON, SECRET, child, free_port, signed_body
from bot.app import build_runtime
from bot.channels.line_api import Sent
from bot.settings import Settings


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--no-api", action="store_true", help="LINE calls answer 200 at once")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tsunagi-bench-inprocess-"))
    port = free_port()
    api = f"http://127.0.0.1:{port}"
    with child(
        [PYTHON, "-m", "bench.fake_line", "--port", str(port)],
        ready=f"{api}/bench/stats",
        log=work / "fake.log",
    ):
        settings = Settings(
            database_url=f"sqlite:///{work / 'inprocess.db'}",
            line_channel_secret=SECRET,
            line_channel_access_token=ACCESS_TOKEN,
            line_api_base_url=api,
            line_data_api_base_url=api,
        )
        line = build_runtime(settings).line
        assert line is not None
        events = [json.loads(signed_body("P", i)[1])["events"][0] for i in range(args.events)]
        line.store(events)
        line.api.warm_up()
        if args.no_api:
            line.api.reply = lambda *_a, **_k: Sent(200)  # type: ignore[method-assign]
        processed, process_cpu = _timed(line.process_pending)
        sent, send_cpu = _timed(line.deliver_due)
    row = {
        "events": processed,
        "answers": sent,
        "no_api": args.no_api,
        "process_cpu_ms_per_event": round(1000 * process_cpu / max(processed, 1), 2),
        "send_cpu_ms_per_answer": round(1000 * send_cpu / max(sent, 1), 2),
    }
    print(row)
    return row


def _timed(step: Any) -> tuple[int, float]:
    """Run `step` until it finds no work; return what it did and the CPU seconds it took."""
    done, start = 0, time.process_time()
    while count := step():
        done += count
    return done, time.process_time() - start


if __name__ == "__main__":
    main()
