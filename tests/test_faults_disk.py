"""The SQLite store refusing writes: its file made read-only under a running `tsunagi serve`, and
the disk full (`PRAGMA max_page_count` caps the file). The webhook answers 503 with Retry-After
(so LINE redelivers), the process keeps running, nothing earlier is lost, nothing is half-written:
`PRAGMA integrity_check` is ok afterwards and the refused events are taken once on redelivery.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import World
from e2e_support import serve_env
from fault_rig import PatientServer
from fault_support import Event, Platforms, poll
from line_support import SATO, line_world
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.clock import ManualClock
from bot.fakes.line_platform import create_fake_line_app, serve_in_thread
from bot.fakes.line_state import FakeLineState
from bot.fakes.line_webhooks import webhook_body
from bot.fakes.slack_state import FakeSlackState
from storage.db import make_engine, migrate, session_scope
from storage.models import InboundEvent, Murmur

BEFORE = "バス停まで遠くて通院が大変"
DURING = "スーパーが遠くて買い物が大変"


def integrity(engine: Engine) -> str:
    with engine.connect() as connection:
        return str(connection.execute(text("PRAGMA integrity_check")).scalar())


def murmurs(engine: Engine) -> list[str]:
    with session_scope(engine) as s:
        return [m.text for m in s.exec(select(Murmur).order_by(Murmur.id))]  # type: ignore[arg-type]


def chattr(flag: str, *paths: Path) -> None:
    subprocess.run(["chattr", flag, *map(str, paths)], check=True, capture_output=True)


def immutable_files_work(tmp_path: Path) -> bool:
    """Return whether this filesystem and user can make a file immutable (chattr +i)."""
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    if shutil.which("chattr") is None:
        return False
    if subprocess.run(["chattr", "+i", str(probe)], capture_output=True).returncode != 0:
        return False
    try:
        probe.open("ab").close()
        return False  # writable anyway: the flag means nothing here
    except PermissionError:
        return True
    finally:
        chattr("-i", probe)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[PatientServer, FakeLineState, Engine, str]]:
    path = tmp_path / "store.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    world = World(engine, ManualClock(datetime.now(UTC)))
    world.municipality("あおば市")
    fake = FakeLineState()
    fake_url, stop_fake = serve_in_thread(create_fake_line_app(fake))
    server = PatientServer(tmp_path, serve_env(f"sqlite:///{path}", fake_url, fake.access_token))
    invite = world.invite("あおば市")
    try:
        server.start()
        yield server, fake, engine, invite
    finally:
        server.stop()
        stop_fake()
        engine.dispose()


def post(server: PatientServer, platforms: Platforms, event_: Event) -> httpx.Response:
    path, body, headers = platforms.request(event_)
    event_.attempts += 1
    return httpx.post(f"{server.url}{path}", content=body, headers=headers, timeout=30)


def test_a_read_only_database_file_answers_503_keeps_serving_and_loses_nothing(served, tmp_path):
    if not immutable_files_work(tmp_path):
        pytest.skip("chattr +i is not available here (needs root on ext2/3/4, xfs or btrfs)")
    server, fake, engine, invite = served
    platforms = Platforms(fake, FakeSlackState())
    user = "U" + "d15c" * 8
    said = [
        Event("line", user, "text", f"登録 {invite}"),
        Event("line", user, "text", f"つぶやき {BEFORE}"),
        Event("line", user, "tap", "save"),
    ]
    for e in said:
        assert post(server, platforms, e).status_code == 200
    poll(lambda: len(fake.deliveries) == 3, "three answers", within=60, explain=server.log_tail)
    assert murmurs(engine) == [BEFORE]
    engine.dispose()  # the test holds no connection while the file is read-only

    store = [tmp_path / "store.db", tmp_path / "store.db-wal"]
    refused = [
        Event("line", user, "text", f"つぶやき {DURING}"),
        Event("line", user, "tap", "save"),
    ]
    chattr("+i", *store)
    try:
        answers = [post(server, platforms, e) for e in refused]
        health = httpx.get(f"{server.url}/healthz", timeout=30)
    finally:
        chattr("-i", *store)
    assert [a.status_code for a in answers] == [503, 503]
    assert all(a.headers.get("retry-after") for a in answers), "tells LINE when to come back"
    assert health.status_code in (200, 503)  # the process is alive and answers

    for e in refused:  # LINE redelivers: taken now, once
        assert post(server, platforms, e).status_code == 200
    poll(
        lambda: len(fake.deliveries) == 5,
        "the redelivered events' answers",
        within=60,
        explain=server.log_tail,
    )
    assert server.runs == 1, "the same process served throughout"
    server.stop()
    assert integrity(engine) == "ok"
    assert murmurs(engine) == [BEFORE, DURING]
    with session_scope(engine) as s:
        assert len(s.exec(select(InboundEvent)).all()) == 5
    assert "unavailable" in server.output()  # the log says why LINE got 503


def cap_pages(engine: Engine, pages: int) -> None:
    """Make every new connection see a disk that holds `pages` pages (PRAGMA max_page_count)."""

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    engine.dispose()
    event.listen(engine, "connect", on_connect)


def test_a_full_disk_answers_503_and_the_redelivery_is_taken_once_space_is_back(tmp_path, clock):
    with line_world(tmp_path, clock) as line:
        line.register(SATO, "佐藤 花子")
        line.say(SATO, f"つぶやき {BEFORE}")
        assert any("#1 を記録しました" in t for t in line.tap(SATO, "save"))
        engine = line.runtime.engine
        with engine.connect() as connection:
            used = int(connection.execute(text("PRAGMA page_count")).scalar() or 0)
        cap_pages(engine, used)  # not one page more

        bulky = [line.text(SATO, f"つぶやき {DURING} {'とても' * 1500}{n}") for n in range(6)]
        answers = [line.post(webhook_body(e)) for e in bulky]
        statuses = [a.status_code for a in answers]
        assert 503 in statuses, statuses
        assert all(a.headers.get("retry-after") for a in answers if a.status_code == 503)

        cap_pages(engine, used * 4)  # space freed
        again = [
            line.post(webhook_body(e | {"deliveryContext": {"isRedelivery": True}})) for e in bulky
        ]
        assert [a.status_code for a in again] == [200] * len(bulky)
        line.process()
        assert integrity(engine) == "ok"
        with session_scope(engine) as s:
            ids = [r.event_id for r in s.exec(select(InboundEvent))]
        assert len(ids) == len(set(ids)) == 3 + len(bulky)  # each event stored once
        assert murmurs(engine)[0] == BEFORE
