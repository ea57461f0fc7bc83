"""After a meeting the bot asks for its 会議記録 once; records are listed and shown by number.

The clock stands at Monday 2026-11-23 10:00 in Tokyo. 「毎月第2火曜 14:00」 meets on Tuesday
10 November (already held when it began in October) and next on Tuesday 8 December.
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time, timedelta

from conftest import TOKYO, Chat, World
from sqlalchemy.engine import Engine
from sqlmodel import select

from schedules.minutes_prompt import send_minutes_prompts
from schedules.reminders import send_due
from storage.db import make_test_engine, session_scope
from storage.meetings import add_series
from storage.members import add_member, get_municipality, link_identity
from storage.models import AuditLog, MeetingSeries
from storage.outbox import list_outbound

MEETING = datetime(2026, 12, 8, 14, 0, tzinfo=TOKYO)


def add_meeting(chat: Chat, starts: str = "") -> int:
    """Set up a 90-minute 定例連絡会 (毎月第2火曜 14:00) through 予定 追加; return its number."""
    for text in ("予定 追加", "定例連絡会", "中央圏域 定例連絡会"):
        chat.send(text)
    chat.send(f"{starts} 毎月第2火曜 14:00".strip())
    for text in ("市役所 3階会議室", "90", "祝日は休み", "あおば市の全員"):
        chat.send(text)
    found = re.search(r"予定 #(\d+) を登録しました", chat.send("保存"))
    assert found
    return int(found[1])


def record(chat: Chat, number: int, day: str, attendance: str = "12人中9名") -> int:
    """Record meeting #number held on `day` with the required answers; return the record's #."""
    chat.send(f"会議記録 #{number}")
    chat.send(day)
    chat.send(chat.choices[0])  # the 回次 offered: earlier records + 1
    chat.send(attendance)
    chat.send("スキップ")
    chat.send("買い物支援の現状")
    for answer in ("スキップ", "スキップ", "スキップ", "スキップ"):
        chat.send(answer)
    found = re.search(r"会議記録 #(\d+) を記録しました", chat.send("保存"))
    assert found, chat.replies
    return int(found[1])


def pushes(world: World, user: str) -> list[str]:
    with session_scope(world.engine) as s:
        queued = list_outbound(s, channel="console")
    return [m.messages[0]["text"] for m in queued if m.recipient == user]


def audit_actions(world: World) -> list[str]:
    with session_scope(world.engine) as s:
        return [a.action for a in s.exec(select(AuditLog))]


def test_the_organiser_is_asked_for_the_minutes_once_when_the_meeting_ends(world):
    sato = world.chat("sato", "あおば市")
    suzuki = world.chat("suzuki", "あおば市")
    number = add_meeting(sato)
    suzuki.send("予定")
    suzuki.send("参加")
    world.clock.set(MEETING + timedelta(minutes=89))  # 90 minutes long: not over yet
    assert send_due(world.engine, world.clock).prompted == 0
    world.clock.set(MEETING + timedelta(minutes=90))
    assert send_due(world.engine, world.clock).prompted == 1
    world.clock.advance(minutes=1)
    assert send_due(world.engine, world.clock).prompted == 0
    asked = [p for p in pushes(world, "sato") if "会議記録を残しましょう" in p]
    assert len(asked) == 1
    assert f"会議記録を残しましょう：会議記録 #{number}" in asked[0]
    assert "12/8(火) 14:00 中央圏域 定例連絡会" in asked[0]
    assert not any("会議記録を残しましょう" in p for p in pushes(world, "suzuki"))
    assert "開催日" in sato.send(f"会議記録 #{number}")  # what its button sends


def test_without_an_organiser_those_who_answered_attending_are_asked(world):
    sato = world.chat("sato", "あおば市")
    suzuki = world.chat("suzuki", "あおば市")
    kimura = world.chat("kimura", "あおば市")
    kato = world.chat("kato", "あおば市", role="officer", area=None)
    world.chat("yamada", "あおば市")
    with session_scope(world.engine) as s:
        aoba = get_municipality(s, name="あおば市")
        assert aoba.id is not None
        series = add_series(
            s,
            municipality_id=aoba.id,
            kind="協議体（第2層）",
            title="中央圏域 協議体",
            rrule="FREQ=MONTHLY;BYDAY=2TU",
            time_of_day=time(14, 0),
            starts_on=date(2026, 11, 24),
            now=world.clock.now(),
        )
        value = f"rsvp:{series.number}:2026-12-08"
    for chat, answer in ((sato, "参加"), (suzuki, "参加"), (kimura, "欠席"), (kato, "参加")):
        assert "と回答しました" in chat.send(f"{value}:{answer}")
    world.clock.set(MEETING + timedelta(hours=2))  # no duration: two hours
    assert send_due(world.engine, world.clock).prompted == 2
    everyone = ("sato", "suzuki", "kimura", "kato", "yamada")
    asked = {u for u in everyone if any("会議記録を残しましょう" in p for p in pushes(world, u))}
    assert asked == {"sato", "suzuki"}  # officers do not record meetings


def test_a_meeting_already_recorded_is_not_asked_about(world):
    sato = world.chat("sato", "あおば市")
    number = add_meeting(sato)
    world.clock.set(MEETING + timedelta(minutes=80))
    record(sato, number, "2026/12/8")
    world.clock.set(MEETING + timedelta(hours=3))
    assert send_due(world.engine, world.clock).prompted == 0
    assert not any("会議記録を残しましょう" in p for p in pushes(world, "sato"))


def test_records_are_listed_latest_first_and_shown_by_number_to_the_municipality(world):
    sato = world.chat("sato", "あおば市")
    number = add_meeting(sato, starts="2026-10-01")
    other = add_meeting(sato, starts="2026-10-01")
    first = record(sato, number, "2026/10/13", attendance="10人中7名")
    second = record(sato, number, "2026/11/10")
    third = record(sato, other, "2026/11/10", attendance="5人中5名")
    kato = world.chat("kato", "あおば市", role="officer", area=None)
    listing = kato.send("会議記録")
    lines = listing.splitlines()
    assert lines[0] == "最近の会議記録"
    assert lines[1].startswith(f"・#{third} 2026/11/10 第1回 中央圏域 定例連絡会（定例連絡会）")
    assert f"・#{second} 2026/11/10 第2回" in lines[2] and "出席 12人中9名" in lines[2]
    assert f"・#{first} 2026/10/13 第1回" in lines[3] and "出席 10人中7名" in lines[3]
    of_series = kato.send(f"会議記録 一覧 #{number}")
    assert f"#{third} " not in of_series and f"#{first} " in of_series
    assert f"#{number} 中央圏域 定例連絡会（定例連絡会） の会議記録" in of_series
    card = kato.send(f"#{second}")
    assert f"会議記録 #{second}" in card
    for shown in ("2026/11/10", "第2回", "12人中9名", "買い物支援の現状"):
        assert shown in card
    assert "役割では使えません" in kato.send(f"会議記録 #{number}")  # listing, not recording
    actions = audit_actions(world)
    assert "meeting.record.list" in actions and "meeting.record.view" in actions


def test_another_municipality_never_sees_the_records(world):
    sato = world.chat("sato", "あおば市")
    number = add_meeting(sato, starts="2026-10-01")
    saved = record(sato, number, "2026/11/10")
    world.municipality("みどり町")
    tanaka = world.chat("tanaka", "みどり町")
    assert "会議記録はまだありません" in tanaka.send("会議記録")
    assert "見つかりません" in tanaka.send(f"#{saved}")
    assert "見つかりません" in tanaka.send(f"会議記録 一覧 #{number}")


def test_an_unreadable_list_request_gets_the_usage(world):
    sato = world.chat("sato", "あおば市")
    assert "会議記録 一覧 #予定の番号" in sato.send("会議記録 一覧 そのうち")
    assert "会議記録はまだありません" in sato.send("会議記録 一覧")
    with session_scope(world.engine) as s:
        assert s.exec(select(MeetingSeries)).first() is None


def test_two_processes_ask_each_organiser_once(any_engine, clock):
    World(any_engine, clock).municipality("あおば市")
    with session_scope(any_engine) as s:
        aoba = get_municipality(s, name="あおば市")
        assert aoba.id is not None
        for i in range(20):
            member = add_member(
                s, municipality_id=aoba.id, name=f"m{i}", role="coordinator", now=clock.now()
            )
            assert member.id is not None
            link_identity(
                s,
                channel="console",
                external_id=f"m{i}",
                member_id=member.id,
                display_name=None,
                now=clock.now(),
            )
            add_series(
                s,
                municipality_id=aoba.id,
                kind="研修",
                title=f"研修会{i}",
                rrule="FREQ=MONTHLY;BYDAY=2TU",
                time_of_day=time(14, 0),
                starts_on=clock.now().date(),
                now=clock.now(),
                organiser_id=member.id,
            )
    clock.set(MEETING + timedelta(hours=2))
    url = any_engine.url.render_as_string(hide_password=False)
    engines = [make_test_engine(url) for _ in "ab"]
    start = threading.Barrier(2)
    counts: list[int] = []

    def process(engine: Engine) -> None:
        start.wait()
        counts.append(send_minutes_prompts(engine, clock))

    threads = [threading.Thread(target=process, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert sum(counts) == 20
    with session_scope(any_engine) as s:
        queued = list_outbound(s, channel="console")
    assert sorted(m.recipient for m in queued) == sorted(f"m{i}" for i in range(20))
