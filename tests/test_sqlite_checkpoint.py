"""SQLite's WAL is copied back by a background checkpoint, not by the commit that acknowledges a
webhook (a commit crossing the auto-checkpoint threshold stalled its writer 100 ms or more)."""

from __future__ import annotations

from sqlalchemy import text

from bot.app import build_runtime
from bot.processing import worker_loops
from bot.settings import Settings
from storage.db import WAL_AUTOCHECKPOINT_PAGES, checkpoint, make_engine


def test_commits_leave_the_wal_to_the_background_checkpoint(tmp_path, clock):
    path = tmp_path / "t.db"
    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        threshold = connection.execute(text("PRAGMA wal_autocheckpoint")).scalar()
    assert threshold == WAL_AUTOCHECKPOINT_PAGES  # far above what a burst of webhooks writes
    connection = engine.raw_connection()
    try:
        connection.cursor().execute("CREATE TABLE t (x)")
        for i in range(2000):  # committed one by one, as webhooks are
            connection.cursor().execute("INSERT INTO t VALUES (?)", (f"event {i:06d}" * 10,))
    finally:
        connection.close()
    before = path.stat().st_size  # the commits went to the WAL only
    assert checkpoint(engine) == 0
    assert path.stat().st_size > before + 100_000  # now the rows are in the database file
    engine.dispose()


def test_serve_runs_the_checkpoint_loop_on_sqlite(tmp_path, clock):
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 't.db'}"), clock=clock)
    assert "sqlite-checkpoint" in [loop.name for loop in worker_loops(runtime)]
    runtime.engine.dispose()
