"""`tsunagi backup` / `tsunagi restore`: a consistent copy taken while the bot writes, put back safely."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from datetime import date
from pathlib import Path

from conftest import Chat
from sqlmodel import select

from bot.app import build_runtime
from bot.backup import backup_sqlite
from bot.settings import Settings
from storage.db import make_engine, session_scope
from storage.members import get_municipality
from storage.models import Member, Murmur
from storage.murmurs import add_murmur

KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"
WRITES = 300


def tsunagi(cwd: Path, database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `tsunagi ARGS` as an operator would, on the given database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TSUNAGI_", "LINE_", "SLACK_"))}
    env.update(TSUNAGI_DATABASE_URL=database_url, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def rows(path: Path, sql: str) -> list[tuple]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def keep_murmuring(world, started: threading.Event) -> None:
    """Record WRITES murmurs, one transaction each, as the bot would; signal after the tenth."""
    with session_scope(world.engine) as s:
        municipality = get_municipality(s, name="あおば市")
        member = s.exec(select(Member)).first()
    assert municipality.id is not None and member is not None and member.id is not None
    for n in range(WRITES):
        with session_scope(world.engine) as s:
            add_murmur(
                s,
                municipality_id=municipality.id,
                recorded_by=member.id,
                text=f"{KNEE} ({n})",
                kind="困りごと",
                categories=["shopping", "mobility"],
                captured_on=date(2026, 11, 23),
                now=world.clock.now(),
            )
        if n == 10:
            started.set()


def test_backup_while_murmurs_are_written_holds_a_consistent_prefix(world, tmp_path):
    world.chat("sato", "あおば市")
    started = threading.Event()
    writer = threading.Thread(target=keep_murmuring, args=(world, started))
    writer.start()
    assert started.wait(timeout=60)
    backups = [tmp_path / f"during-{i}.db" for i in range(3)]
    for out in backups:
        backup_sqlite(tmp_path / "tsunagi.db", out)
    writer.join(timeout=120)

    for out in backups:
        assert rows(out, "PRAGMA integrity_check") == [("ok",)]
        numbers = [n for (n,) in rows(out, "SELECT number FROM murmur ORDER BY number")]
        assert len(numbers) >= 11
        assert numbers == list(range(1, len(numbers) + 1))  # no gap: a committed prefix
        assert rows(out, "SELECT next_record_no FROM municipality") == [(len(numbers) + 1,)]
        assert rows(out, "SELECT count(*) FROM murmurcategory") == [(2 * len(numbers),)]
    with session_scope(world.engine) as s:
        assert len(s.exec(select(Murmur)).all()) == WRITES


def test_backup_then_restore_into_a_fresh_path_keeps_the_records(world, tmp_path):
    sato = world.chat("sato", "あおば市")
    sato.send(f"つぶやき {KNEE}")
    assert "つぶやき #1 を記録しました" in sato.send("保存")
    live = sqlite_url(tmp_path / "tsunagi.db")

    backup = tsunagi(tmp_path, live, "backup", "--out", "nightly.db")
    assert backup.returncode == 0, backup.stderr
    assert "integrity ok" in backup.stdout
    assert "  murmur: 1" in backup.stdout
    assert "  municipality: 1" in backup.stdout

    fresh = tmp_path / "new-server" / "tsunagi.db"
    restore = tsunagi(tmp_path, sqlite_url(fresh), "restore", "nightly.db")
    assert restore.returncode == 0, restore.stderr
    assert f"restored {fresh} from nightly.db" in restore.stdout
    assert "  murmur: 1" in restore.stdout

    engine = make_engine(sqlite_url(fresh))
    runtime = build_runtime(
        Settings(database_url=sqlite_url(fresh)), clock=world.clock, engine=engine
    )
    reply = Chat(runtime.bot, "sato").send("検索 スーパー")
    assert "#1" in reply and "スーパー" in reply
    engine.dispose()


def test_restore_refuses_to_replace_records_without_yes(world, tmp_path):
    world.chat("sato", "あおば市").send(f"つぶやき {KNEE}")
    live = sqlite_url(tmp_path / "tsunagi.db")
    other = tmp_path / "other" / "tsunagi.db"
    other.parent.mkdir()
    empty = tsunagi(tmp_path, sqlite_url(other), "db", "upgrade")
    assert empty.returncode == 0, empty.stderr
    assert tsunagi(tmp_path, sqlite_url(other), "backup", "--out", "empty.db").returncode == 0

    refused = tsunagi(tmp_path, live, "restore", "empty.db")
    assert refused.returncode == 1
    assert "already holds records; add --yes" in refused.stderr
    assert rows(tmp_path / "tsunagi.db", "SELECT count(*) FROM municipality") == [(1,)]

    world.engine.dispose()  # the bot is stopped before a restore
    replaced = tsunagi(tmp_path, live, "restore", "empty.db", "--yes")
    assert replaced.returncode == 0, replaced.stderr
    assert rows(tmp_path / "tsunagi.db", "SELECT count(*) FROM municipality") == [(0,)]


def test_restore_refuses_while_the_database_is_open_elsewhere(world, tmp_path):
    world.chat("sato", "あおば市")
    live = sqlite_url(tmp_path / "tsunagi.db")
    assert tsunagi(tmp_path, live, "backup", "--out", "b.db").returncode == 0
    with session_scope(world.engine) as s:  # the running bot keeps an idle connection open
        s.exec(select(Member)).all()

    busy = tsunagi(tmp_path, live, "restore", "b.db", "--yes")
    assert busy.returncode == 1
    assert "is in use" in busy.stderr


def test_a_damaged_backup_is_refused_and_the_database_is_untouched(world, tmp_path):
    world.chat("sato", "あおば市")
    live = sqlite_url(tmp_path / "tsunagi.db")
    assert tsunagi(tmp_path, live, "backup", "--out", "good.db").returncode == 0
    good = (tmp_path / "good.db").read_bytes()
    (tmp_path / "garbage.db").write_bytes(b"this is not a database" * 100)
    (tmp_path / "truncated.db").write_bytes(good[: len(good) // 2])
    world.engine.dispose()

    for name in ("garbage.db", "truncated.db", "missing.db"):
        refused = tsunagi(tmp_path, live, "restore", name, "--yes")
        assert refused.returncode == 1, name
        assert refused.stdout == ""
        assert refused.stderr.startswith("tsunagi: ") and name in refused.stderr
        assert "Traceback" not in refused.stderr
    assert rows(tmp_path / "tsunagi.db", "SELECT count(*) FROM member") == [(1,)]
    assert not list(tmp_path.glob(".tsunagi.db.*"))  # no temporary file left behind


def test_a_file_without_a_tsunagi_schema_is_refused(tmp_path):
    with closing(sqlite3.connect(tmp_path / "notes.db")) as db:
        db.execute("CREATE TABLE notes (body TEXT)")
    refused = tsunagi(tmp_path, sqlite_url(tmp_path / "t.db"), "restore", "notes.db")
    assert refused.returncode == 1
    assert "not a tsunagi database" in refused.stderr


def test_backup_never_overwrites_a_file(world, tmp_path):
    live = sqlite_url(tmp_path / "tsunagi.db")
    refused = tsunagi(tmp_path, live, "backup", "--out", "tsunagi.db")
    assert refused.returncode == 1
    assert "already exists" in refused.stderr


def test_postgresql_prints_the_commands_without_the_password(tmp_path):
    url = "postgresql+psycopg://sc:s3cret@db.invalid:5433/tsunagi?sslmode=require"

    backup = tsunagi(tmp_path, url, "backup", "--out", "tsunagi.dump")
    assert backup.returncode == 0, backup.stderr
    assert (
        "pg_dump --format=custom --file=tsunagi.dump "
        "'--dbname=postgresql://sc@db.invalid:5433/tsunagi?sslmode=require'"
    ) in backup.stdout

    restore = tsunagi(tmp_path, url, "restore", "tsunagi.dump")
    assert restore.returncode == 0, restore.stderr
    assert "pg_restore --clean --if-exists --no-owner" in restore.stdout
    assert restore.stdout.rstrip().endswith("tsunagi.dump")
    for result in (backup, restore):
        assert "s3cret" not in result.stdout + result.stderr
        assert "PGPASSWORD" in result.stdout
    assert not (tmp_path / "tsunagi.dump").exists()
