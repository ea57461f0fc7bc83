"""Each benchmark runs in --quick mode and leaves its JSON line with the keys the docs read.

Speed is never asserted here (benchmarks measure it); only that the scripts work end to end.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMON = {"bench", "at", "quick", "machine"}


def run_quick(name: str, results: Path) -> dict:
    env = {"TSUNAGI_BENCH_RESULTS": str(results), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{name}", "--quick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    lines = (results / f"{name}.jsonl").read_text("utf-8").splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert set(line) >= COMMON and line["quick"] is True and line["bench"] == name
    return line


@pytest.mark.skipif(shutil.which("wrk") is None, reason="needs wrk (apt-get install -y wrk)")
def test_ingest_quick_measures_every_target_and_checks_durability(tmp_path):
    line = run_quick("ingest", tmp_path)
    assert {r["target"] for r in line["rows"]} >= {"ceiling", "sqlite", "peer"}
    for row in line["rows"]:
        assert {"load", "ack_per_s", "ok", "failed", "p50_ms", "p99_ms", "max_ms"} <= set(row)
    assert line["summary"]["all_acked_stored"] is True
    assert {"pct_of_ceiling", "x_peer", "p99_ms_fixed_rate"} <= set(line["summary"])


def test_e2e_quick_answers_every_event_once(tmp_path):
    line = run_quick("e2e", tmp_path)
    assert line["lost"] == 0 and line["duplicated"] == 0
    assert line["answered"] == line["sent"] > 0
    assert {"p50_ms", "p99_ms", "max_ms"} <= set(line)


def test_scheduler_quick_reports_startup_and_a_pass(tmp_path):
    line = run_quick("scheduler", tmp_path)
    assert line["series"] == 200
    passes = {"pass_first_s", "pass_idle_s", "pass_due_s", "pass_settled_s"}
    assert {"startup_s", "worst_lateness_s"} | passes <= set(line)


def test_footprint_quick_reports_cold_start_and_rss(tmp_path):
    line = run_quick("footprint", tmp_path)
    assert line["rss_max_mb"] > 0 and line["acked"] > 0
    assert {"cold_start_first_s", "cold_start_s", "worker_ready_s", "rss_idle_mb"} <= set(line)
    assert line["pss_max_mb"] > 0  # both processes counted, shared pages once
