"""LINE end to end: `tsunagi serve` as a process, the fake LINE platform, real signed webhooks.

A coordinator registers, records a visit by tapping quick replies, saves a one-shot murmur,
searches and asks for the summary. The server is SIGKILLed mid-visit and the tap sent while it is
down comes back as LINE's redelivery; then every webhook is replayed, once as a redelivery and
ten times concurrently. Each record must be stored once and each message answered once.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import httpx
import pytest
from conftest import World
from e2e_support import LineHarness, LineUser, served_line, wait_until
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from bot.clock import ManualClock
from bot.fakes.line_state import FakeLineState
from storage.db import make_engine, migrate, session_scope
from storage.inbox import count_pending, list_events
from storage.models import Activity, Lead, Member, Murmur
from storage.outbox import SENT, list_outbound

SATO = "U" + "5a70" * 8
SHOPPING = "スーパーが遠くて買い物が大変"
KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"
REPLY = "/v2/bot/message/reply"
PUSH = "/v2/bot/message/push"


@pytest.fixture
def store(tmp_path) -> Iterator[tuple[Engine, str]]:
    """A migrated SQLite store with あおば市 and its areas; yields the engine and its URL."""
    url = f"sqlite:///{tmp_path / 'line-e2e.db'}"
    engine = make_engine(url)
    migrate(engine)
    yield engine, url
    engine.dispose()


@pytest.fixture
def line(tmp_path, store) -> Iterator[LineHarness]:
    """The fake LINE platform in this process and `tsunagi serve` pointed at it."""
    state = FakeLineState()
    state.add_profile(SATO, "佐藤 花子")
    with served_line(tmp_path, store[1], state=state) as harness:
        yield harness


def invite_code(engine: Engine) -> str:
    world = World(engine, ManualClock(datetime.now(UTC)))
    world.municipality("あおば市")
    return world.invite("あおば市", area="中央圏域")


def wait_until_quiet(line: LineHarness, engine: Engine) -> None:
    """Wait until every stored event is processed and every answer is marked sent."""

    def quiet() -> bool:
        with session_scope(engine) as s:
            outbox = list_outbound(s, channel="line")
            return count_pending(s) == 0 and all(m.status == SENT for m in outbox)

    wait_until(quiet, "the inbox and the outbox to drain", explain=line.server.log_tail)


def test_a_visit_on_line_survives_a_crash_and_every_replay_exactly_once(line, store):
    engine = store[0]
    sato = LineUser(line, SATO)
    assert "登録しました" in sato.say(f"登録 {invite_code(engine)}")
    with session_scope(engine) as s:
        assert [m.name for m in s.exec(select(Member))] == ["佐藤 花子"]  # the LINE profile name
    assert "いつの訪問" in sato.say("訪問")
    assert sato.quick_reply_labels() == ["今日", "昨日"]
    assert "どのエリア" in sato.tap("今日")
    assert "訪問先の名前" in sato.tap("中央圏域")
    assert "訪問の目的" in sato.say("本町集会所")
    assert "かかった時間" in sato.tap("宝物さがし")

    wait_until_quiet(line, engine)
    line.server.kill()
    lost = sato.event(postback=sato.quick_reply_data("1時間"))  # tapped while the server is down
    with pytest.raises(httpx.TransportError):
        line.post(lost.body())
    line.server.start()
    assert "参加者は何人" in sato.deliver(lost, redelivery=True)  # LINE redelivers it

    assert "同行者は" in sato.say("10")
    assert "相手方" in sato.tap("なし")
    assert "宝物" in sato.tap("スキップ")
    assert "つぶやきを1つずつ" in sato.tap("なし")
    assert "どんな種類" in sato.say(SHOPPING)
    assert "カテゴリ" in sato.tap("困りごと（おすすめ）")
    assert "記録中" in sato.tap("買い物")
    assert "次に訪ねたい所" in sato.tap("おわり")
    assert "活動区分" in sato.say("角の喫茶店")
    assert "成果" in sato.tap("把握（①）（おすすめ）")
    card = sato.tap("スキップ")
    assert "場所: 本町集会所" in card and "時間: 1時間" in card  # before and after the crash
    assert sato.last_message()["type"] == "flex"
    saved = sato.press("保存")
    assert saved == "訪問記録 #1 を記録しました（つぶやき #2、次の訪問先 #3）"

    assert "種類: 困りごと" in sato.say(f"つぶやき {KNEE}")
    assert "つぶやき #4 を記録しました" in sato.tap("保存")
    found = sato.say("検索 スーパー")
    assert "#4" in found and "#2" in found
    summary = sato.say("まとめ")
    assert "■訪問 1件" in summary and "■つぶやき 2件" in summary

    replay_everything(line)
    calls_before = len(line.state.calls)
    assert sato.say("ヘルプ")  # answered after anything the replays could have caused
    assert [call.path for call in line.state.calls[calls_before:]] == [REPLY]

    wait_until_quiet(line, engine)  # the fake sees the last answer a moment before it is marked sent
    assert_each_record_stored_once(engine, events=len(line.events))
    assert_each_message_answered_once(line, sato, pushed=lost.reply_token)
    line.server.stop()
    assert "Traceback" not in line.server.output()


def replay_everything(line: LineHarness) -> None:
    """Replay every webhook as a redelivery, then each ten times at once (both forms)."""
    events = list(line.events)
    assert [line.post(event.body(redelivery=True)) for event in events] == [200] * len(events)
    bodies = [event.body(redelivery=again) for event in events for again in (False, True)]
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(line.post, bodies * 10))
    assert statuses == [200] * len(bodies) * 10


def assert_each_record_stored_once(engine: Engine, *, events: int) -> None:
    with session_scope(engine) as s:
        activities = s.exec(select(Activity)).all()
        assert [(a.number, a.place_label, a.purpose, a.duration_min) for a in activities] == [
            (1, "本町集会所", "宝物さがし", 60)
        ]
        assert activities[0].participants_count == 10
        murmurs = s.exec(select(Murmur).order_by(col(Murmur.number))).all()
        assert [(m.number, m.text, m.activity_id) for m in murmurs] == [
            (2, SHOPPING, activities[0].id),
            (4, KNEE, None),
        ]
        leads = s.exec(select(Lead)).all()
        assert [(lead.number, lead.label) for lead in leads] == [(3, "角の喫茶店")]
        assert len(list_events(s, channel="line")) == events
        outbox = list_outbound(s, channel="line")
        assert len(outbox) == events and {m.status for m in outbox} == {SENT}


def assert_each_message_answered_once(line: LineHarness, user: LineUser, *, pushed: str) -> None:
    """One accepted reply or push per event: replies by each event's token, one push."""
    assert len(user.answers) == len(line.events)
    replies, pushes = line.state.calls_to(REPLY), line.state.calls_to(PUSH)
    assert {call.status for call in replies + pushes} == {200}
    tokens = sorted(call.body["replyToken"] for call in replies)
    assert tokens == sorted(e.reply_token for e in line.events if e.reply_token != pushed)
    assert [call.body["to"] for call in pushes] == [user.user_id]
    assert "x-line-retry-key" in pushes[0].headers
