"""Invite codes and link tokens resist guessing: wrong attempts are counted and lock the guesser out.

登録 CODE: 5 wrong codes from one chat identity (10 from one chat) within 15 minutes lock it out
for 15 minutes after the last; while locked even the right code is refused. Token links over HTTP
(/ical, /forms, /files): 10 unknown tokens from one IP address lock it out with 429.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from conftest import World
from sqlmodel import select

from bot.app import build_runtime, create_asgi_app
from bot.messages import Incoming
from bot.settings import Settings
from storage.calendars import issue_calendar_token
from storage.db import session_scope
from storage.models import AuditLog, Identity, InviteAttempt, Member

WRONG = "ZZZZ-ZZZZ"


@pytest.fixture
def any_world(any_engine, clock) -> World:
    world = World(any_engine, clock)
    world.municipality("あおば市")
    return world


def audit(engine, action: str) -> list[AuditLog]:
    with session_scope(engine) as s:
        rows = list(s.exec(select(AuditLog).where(AuditLog.action == action)))
        s.expunge_all()
        return rows


def members(engine) -> int:
    with session_scope(engine) as s:
        return len(s.exec(select(Member)).all())


def test_five_wrong_codes_lock_the_sender_out_even_for_the_right_code(any_world, clock, caplog):
    chat = any_world.chat("guesser")
    for _ in range(4):
        reply = chat.send(f"登録 {WRONG}")
        assert "見つかりません" in reply and "受け付けません" not in reply
    with caplog.at_level(logging.WARNING):
        fifth = chat.send(f"登録 {WRONG}")
    assert "見つかりません" in fifth
    assert "5回続けて失敗したため、10:15まで登録を受け付けません" in fifth
    assert "登録 ABCD-EFGH" in fifth  # the message shows what to send, with an example

    code = any_world.invite("あおば市")
    clock.advance(minutes=14)
    refused = chat.send(f"登録 {code}")
    assert "10:15まで登録を受け付けません" in refused and "登録しました" not in refused
    assert members(any_world.engine) == 0

    [lockout] = audit(any_world.engine, "invite.lockout")
    assert lockout.actor == "console:guesser" and lockout.detail == {
        "scope": "identity",
        "failures": 5,
    }
    assert len(audit(any_world.engine, "invite.locked")) == 1  # the refused right code
    logged = [r.getMessage() for r in caplog.records if r.name == "handlers.registration"]
    assert logged and "locked out by identity until" in logged[0]
    assert all(WRONG not in m and "guesser" not in m for m in logged)

    clock.advance(minutes=1)  # 15 minutes after the fifth failure
    assert "登録しました" in chat.send(f"登録 {code}")


def test_failures_spread_over_more_than_fifteen_minutes_never_lock(any_world, clock):
    chat = any_world.chat("typist")
    for _ in range(4):
        chat.send(f"登録 {WRONG}")
    clock.advance(minutes=15, seconds=1)
    for _ in range(4):
        assert "受け付けません" not in chat.send(f"登録 {WRONG}")
    assert "登録しました" in chat.send(f"登録 {any_world.invite('あおば市')}")
    assert audit(any_world.engine, "invite.lockout") == []


def test_used_and_expired_codes_count_as_failures_too(any_world, clock):
    used = any_world.invite("あおば市")
    any_world.chat("sato").send(f"登録 {used}")
    chat = any_world.chat("suzuki")
    for _ in range(5):
        reply = chat.send(f"登録 {used}")
    assert "すでに使われています" in reply and "受け付けません" in reply


def test_many_identities_guessing_in_one_group_chat_lock_the_chat(any_world):
    def send(user: str, text: str) -> str:
        incoming = Incoming("console", "console:group-1", user, text=text, is_group=True)
        return "\n".join(r.plain() for r in any_world.bot.handle(incoming))

    for n in range(10):  # ten identities, one wrong code each: none is locked on its own
        send(f"user{n}", f"登録 {WRONG}")
    code = any_world.invite("あおば市")
    reply = send("newcomer", f"登録 {code}")
    assert "10回続けて失敗したため" in reply and "登録しました" not in reply
    [lockout] = audit(any_world.engine, "invite.lockout")
    assert lockout.detail["scope"] == "chat"
    # the same newcomer in their own 1:1 chat is not locked
    assert "登録しました" in any_world.chat("newcomer").send(f"登録 {code}")


def test_attempts_are_kept_hashed_and_only_for_the_window(any_world, clock):
    chat = any_world.chat("U-secret-identity")
    chat.send(f"登録 {WRONG}")
    with session_scope(any_world.engine) as s:
        rows = s.exec(select(InviteAttempt)).all()
        assert {r.scope for r in rows} == {"identity", "chat"}
        assert all("secret" not in r.subject_hash and len(r.subject_hash) == 64 for r in rows)
    clock.advance(minutes=16)
    any_world.chat("someone-else").send(f"登録 {WRONG}")
    with session_scope(any_world.engine) as s:
        assert len(s.exec(select(InviteAttempt)).all()) == 2  # the old pair was deleted
        assert s.exec(select(Identity)).all() == []  # a wrong code registers nothing


# ── token links over HTTP, per IP address ──────────────────────────────────────────────────


@pytest.fixture
def http(tmp_path, clock):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'guard.db'}")
    runtime = build_runtime(settings, clock=clock)
    world = World(runtime.engine, clock)
    world.municipality("あおば市")
    world.chat("sato", "あおば市")
    with session_scope(runtime.engine) as s:
        member = s.exec(select(Member)).one()
        token = issue_calendar_token(s, now=clock.now(), member_id=member.id)
    yield runtime, token
    runtime.engine.dispose()


def get(runtime, path: str, ip: str) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(
            app=create_asgi_app(runtime, start_workers=False), client=(ip, 40000)
        )
        async with httpx.AsyncClient(transport=transport, base_url="http://tsunagi") as client:
            return await client.get(path)

    return asyncio.run(call())


def test_ten_unknown_tokens_from_one_address_lock_it_out_of_every_token_path(http, clock, caplog):
    runtime, token = http
    attacker, office = "203.0.113.7", "198.51.100.20"
    assert get(runtime, f"/ical/{token}.ics", attacker).status_code == 200
    for n in range(10):
        assert get(runtime, f"/ical/guess{n}.ics", attacker).status_code == 404
    with caplog.at_level(logging.WARNING):
        locked = get(runtime, f"/ical/{token}.ics", attacker)  # even the right token
    assert locked.status_code == 429 and locked.headers["retry-after"] == "900"
    assert "無効なリンクが多すぎる" in locked.text and "Too many invalid links" in locked.text
    assert get(runtime, "/forms/guess", attacker).status_code == 429
    assert get(runtime, f"/ical/{token}.ics", office).status_code == 200  # others unaffected
    assert get(runtime, "/healthz", attacker).status_code == 200  # only the token paths

    [lockout] = audit(runtime.engine, "link.lockout")
    assert lockout.actor == f"ip:{attacker}" and lockout.target == "/ical/"
    assert token not in str(lockout.detail) and "guess" not in str(lockout.detail)
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "guess" not in logged and token not in logged

    clock.advance(minutes=15)
    assert get(runtime, f"/ical/{token}.ics", attacker).status_code == 200


def test_a_calendar_app_polling_a_revoked_link_now_and_then_is_not_locked(http, clock):
    runtime, token = http
    for _ in range(12):  # every two hours for a day
        assert get(runtime, "/ical/revoked.ics", "192.0.2.1").status_code == 404
        clock.advance(hours=2)
    assert get(runtime, f"/ical/{token}.ics", "192.0.2.1").status_code == 200
