"""The store at national scale: one municipality's weekly summary, monthly Excel files and word
searches over `tsunagi demo --size large` (100 municipalities, 1,000,000 murmurs), per backend.

    python -m bench.store [--quick] [--postgres URL] [--rebuild] [--repeat 30]

The data set is built once per backend and kept: SQLite in bench/.data/store-large-seed1.db,
PostgreSQL in the database named by --postgres or TSUNAGI_BENCH_POSTGRES_URL (emptied when it
does not hold the data set yet, or with --rebuild). --quick uses the small set in a temporary
directory. Measured for the first municipality, as its officer, in-process (no interpreter
start): the weekly summary (build + render), `tsunagi summary --month --format xlsx` and
`tsunagi report --month --out`, and 検索 for each word through the trigram index and by scan
(SQLite: the LIKE path alone; PostgreSQL: bitmap scans, the only way GIN is read, switched off).
Appends to bench/results/store.jsonl.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stdout
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

import storage.search
from bench.common import (
    ROOT,
    percentile,
    postgres_url,
    print_table,
    record,
    reset_postgres,
)
from bot.app import build_runtime
from bot.cli import build_parser
from bot.clock import ManualClock
from bot.demo_data import SIZES, generate, municipality_names
from bot.settings import Settings
from handlers.summary_render import render_summary
from storage.db import make_engine, migrate
from storage.members import get_municipality
from storage.models import Member, Murmur, Role
from storage.records import category_labels
from storage.search import SearchQuery, search_records
from storage.summaries import build_summary, week_of

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TOKYO)  # Monday, as the tests' clock
LAST_WEEK = week_of(date(2026, 11, 16))
MONTH = "2026-10"  # the last whole month of the data set
WORDS = ("買物", "足腰", "ゴミ出し", "見守り", "移動販売", "スーパー")
SEED = 1
DATA = ROOT / "bench" / ".data"
TARGET_MS = {"weekly_summary": 200, "summary_xlsx": 5_000, "report_xlsx": 5_000, "search": 100}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small data set, few repeats")
    parser.add_argument("--postgres", help="PostgreSQL URL (else TSUNAGI_BENCH_POSTGRES_URL)")
    parser.add_argument("--rebuild", action="store_true", help="generate the data set again")
    parser.add_argument("--repeat", type=int, default=30, help="runs per search word/summary")
    args = parser.parse_args(argv)
    size = "small" if args.quick else "large"
    repeat = 3 if args.quick else args.repeat
    work = Path(tempfile.mkdtemp(prefix="tsunagi-bench-store-"))
    sqlite_path = work / "store.db" if args.quick else DATA / f"store-large-seed{SEED}.db"
    targets = {"sqlite": f"sqlite:///{sqlite_path}"}
    pg = postgres_url(args.postgres)
    if pg:
        targets["postgresql"] = pg
    rows: list[dict[str, Any]] = []
    builds: dict[str, float | None] = {}
    for backend, url in targets.items():
        engine, builds[backend] = open_data_set(url, size, rebuild=args.rebuild)
        try:
            rows += measure(engine, backend, url, repeat, work)
        finally:
            engine.dispose()
    print_table(f"Store at national scale ({size}), one municipality, ms", rows)
    result = {"size": size, "repeat": repeat, "build_s": builds, "rows": rows}
    record("store", result, quick=args.quick)
    return result


def open_data_set(url: str, size: str, *, rebuild: bool) -> tuple[Engine, float | None]:
    """Open the store at url holding the data set; build it first when missing.

    Return the engine and the seconds the build took (None when the data set was there).
    """
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        if rebuild:
            path.unlink(missing_ok=True)
    elif rebuild:
        reset_postgres(url)
    engine = make_engine(url)
    migrate(engine)
    plan = SIZES[size]
    if _holds(engine, plan.municipalities * plan.murmurs):
        return engine, None
    if url.startswith("postgresql"):
        engine.dispose()
        reset_postgres(url)
        engine = make_engine(url)
        migrate(engine)
    elif _count(engine, Murmur):
        raise SystemExit(f"{url} holds other data: remove it or pass --rebuild")
    start = time.monotonic()
    generate(engine, size=size, seed=SEED, now=NOW, progress=_progress)
    built = time.monotonic() - start
    print(f"\nbuilt the {size} data set in {built:.0f} s")
    return engine, built


def _holds(engine: Engine, murmurs: int) -> bool:
    return _count(engine, Murmur) == murmurs


def _count(engine: Engine, table: Any) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def _progress(done: int, total: int) -> None:
    print(f"\rgenerating {done:,}/{total:,}", end="", flush=True)


def measure(
    engine: Engine, backend: str, url: str, repeat: int, work: Path
) -> list[dict[str, Any]]:
    """Time each operation for the first municipality; return one row per operation."""
    name = municipality_names(1)[0]
    with Session(engine) as session:
        municipality = get_municipality(session, name=name)
        officer = session.exec(
            select(Member).where(
                col(Member.municipality_id) == municipality.id, col(Member.role) == Role.OFFICER
            )
        ).first()
    assert municipality.id is not None and officer is not None
    summary = partial(_summary, engine, municipality.id)
    rows = [_row(backend, "weekly_summary", "", _times(repeat, summary))]
    runtime = build_runtime(Settings(database_url=url), clock=ManualClock(NOW), engine=engine)
    cli = build_parser()
    for op, argv in (
        ("summary_xlsx", ["summary", name, "--month", MONTH, "--format", "xlsx"]),
        ("report_xlsx", ["report", name, "--month", MONTH]),
    ):
        args = cli.parse_args([*argv, "--out", str(work / f"{op}.xlsx")])
        with redirect_stdout(io.StringIO()):  # the commands print where they wrote the file
            times = _times(max(1, repeat // 6), partial(args.handler, args, runtime))
        rows.append(_row(backend, op, "", times))
    for word in WORDS:
        query = SearchQuery(words=(word,))
        for path in ("index", "scan"):
            with _search_path(engine, path) as session:
                hits = search_records(session, viewer=officer, query=query)[1]
                times = _times(
                    repeat, partial(search_records, session, viewer=officer, query=query)
                )
            rows.append(_row(backend, "search", f"{word} ({path})", times, hits=hits))
    return rows


def _summary(engine: Engine, municipality_id: int) -> str:
    with Session(engine) as session:
        summary = build_summary(
            session, municipality_id=municipality_id, period=LAST_WEEK, tz=TOKYO, today=NOW.date()
        )
        return render_summary(summary, lang="ja", scope="全体", categories=category_labels(session))


@contextmanager
def _search_path(engine: Engine, path: str) -> Iterator[Session]:
    """Open a session whose searches go through the trigram index or scan without it."""
    with Session(engine) as session:
        if path == "index":
            yield session
            return
        if engine.dialect.name == "postgresql":
            session.connection().execute(text("SET LOCAL enable_bitmapscan = off"))
            yield session
            return
        indexed_min = storage.search.INDEXED_WORD_MIN
        storage.search.INDEXED_WORD_MIN = 10**9
        try:
            yield session
        finally:
            storage.search.INDEXED_WORD_MIN = indexed_min


def _times(repeat: int, run: Callable[[], object]) -> list[float]:
    run()  # warm caches and the connection first
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _row(
    backend: str, op: str, what: str, times: list[float], hits: int | None = None
) -> dict[str, Any]:
    p50 = percentile(times, 50)
    return {
        "backend": backend,
        "op": op,
        "what": what,
        "hits": hits,
        "runs": len(times),
        "p50_ms": round(p50, 1),
        "p99_ms": round(percentile(times, 99), 1),
        "target_ms": TARGET_MS[op],
        "met": p50 < TARGET_MS[op],
    }


if __name__ == "__main__":
    main()
