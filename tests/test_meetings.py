"""予定: meetings set up by chat and by the command line, listed with RSVP, cancelled and moved.

The clock stands at Monday 2026-11-23 10:00 in Tokyo, so 「毎月第2火曜 14:00」 next meets on
Tuesday 8 December, then 12 January and 9 February.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import Chat, World
from sqlmodel import select

from storage.db import make_engine, migrate, session_scope
from storage.members import add_municipality
from storage.models import AuditLog, MeetingSeries


def add_meeting(
    chat: Chat, when: str = "毎月第2火曜 14:00", audience: str = "あおば市の全員"
) -> int:
    """Set up a 定例連絡会 through the 予定 追加 flow and return its number."""
    chat.send("予定 追加")
    chat.send("定例連絡会")
    chat.send("中央圏域 定例連絡会")
    chat.send(when)
    chat.send("市役所 3階会議室")
    chat.send("90")
    chat.send("祝日は休み")
    chat.send(audience)
    saved = chat.send("保存")
    found = re.search(r"予定 #(\d+) を登録しました", saved)
    assert found, saved
    return int(found[1])


def audit_actions(world: World) -> list[str]:
    with session_scope(world.engine) as session:
        return [entry.action for entry in session.exec(select(AuditLog))]


def test_the_meetings_button_says_plainly_when_nothing_is_planned(world):
    assert "これからの予定はありません" in world.chat("sato", "あおば市").send("予定")


def test_an_organiser_adds_a_meeting_and_sees_it_in_words_with_its_next_dates(world):
    sato = world.chat("sato", "あおば市")
    assert "どの会議ですか" in sato.send("予定 追加")
    assert "協議体（第2層）" in sato.choices and "地域ケア会議" in sato.choices
    assert "定例連絡会の名前" in sato.send("1")
    assert "いつ開きますか" in sato.send("中央圏域 定例連絡会")
    echoed = sato.send("毎月第２火曜　14:00")
    assert "「毎月 第2火曜日 14:00」ですね" in echoed
    sato.send("市役所 3階会議室")
    assert "年末年始" in sato.send("1時間半")
    assert "誰に案内しますか" in sato.send("1")
    card = sato.send("1")
    assert "あおば市の全員" in card and "1時間30分" in card and "市役所 3階会議室" in card
    assert "12/8(火) 14:00、1/12(火) 14:00、2/9(火) 14:00" in card
    assert re.search(r"予定 #\d+ を登録しました", sato.send("保存"))
    assert "meeting.create" in audit_actions(world)


def test_an_unreadable_schedule_is_asked_again_with_examples(world):
    sato = world.chat("sato", "あおば市")
    sato.send("予定 追加")
    sato.send("定例連絡会")
    sato.send("連絡会")
    again = sato.send("そのうち気が向いたら")
    assert "読み取れませんでした" in again and "毎月第2火曜 14:00" in again
    assert "時刻も書いてください" in sato.send("毎月第2火曜")
    assert "「毎週 水曜日 10:00」ですね" in sato.send("毎週水曜 10:00")


def test_a_date_and_a_time_make_a_one_off_meeting(world):
    sato = world.chat("sato", "あおば市")
    sato.send("予定 追加")
    sato.send("研修")
    sato.send("県のSC研修")
    assert "「一回だけ 13:30」ですね" in sato.send("12/10 13:30")
    for answer in ("スキップ", "スキップ", "1"):
        sato.send(answer)
    card = sato.send("1")
    assert "12/10(木) 13:30" in card and "12/17" not in card


def test_members_see_their_next_meetings_and_answer_by_choice(world):
    sato = world.chat("sato", "あおば市")
    number = add_meeting(sato)
    tanaka = world.chat("tanaka", "あおば市", area="北部圏域")
    listing = tanaka.send("予定")
    assert (
        f"12/8(火) 14:00 #{number} 中央圏域 定例連絡会（定例連絡会） @市役所 3階会議室" in listing
    )
    assert "1/12(火) 14:00" in listing and "出欠: 未回答" in listing
    assert tanaka.choices == ["参加", "欠席", "未定"]
    assert "「参加」と回答しました" in tanaka.send("1")
    assert "12/8(火) 14:00 #" in tanaka.send("予定")
    assert "出欠: 参加" in tanaka.send("予定").splitlines()[1]
    assert "meeting.rsvp" in audit_actions(world)


def test_an_area_meeting_is_listed_only_for_members_of_that_area(world):
    sato = world.chat("sato", "あおば市")
    add_meeting(sato, audience="北部圏域の担当者")
    assert "これからの予定はありません" in world.chat("suzuki", "あおば市").send("予定")
    assert "12/8(火) 14:00" in world.chat("kimura", "あおば市", area="北山自治会").send("予定")


def test_a_forged_rsvp_is_refused(world):
    sato = world.chat("sato", "あおば市")
    number = add_meeting(sato, audience="北部圏域の担当者")
    world.municipality("みどり町")
    outsider = world.chat("ito", "みどり町")
    other_area = world.chat("suzuki", "あおば市")
    invited = world.chat("kimura", "あおば市", area="北部圏域")
    refused = "この出欠は受け付けられませんでした"
    assert refused in outsider.send(f"rsvp:{number}:2026-12-08:参加")
    assert refused in other_area.send(f"rsvp:{number}:2026-12-08:参加")
    assert refused in invited.send(f"rsvp:{number}:2026-12-09:参加")  # not a meeting day
    assert refused in invited.send(f"rsvp:{number}:2026-11-10:参加")  # already past
    assert refused in invited.send(f"rsvp:{number}:2026-12-08:行く")
    assert "「欠席」と回答しました" in invited.send(f"rsvp:{number}:2026-12-08:欠席")
    counts = sato.send(f"出欠 #{number}")
    assert "参加 0名" in counts and "欠席 1名: kimura" in counts
    assert "meeting.rsvp.refused" in audit_actions(world)


def test_the_organiser_sees_who_comes(world):
    sato = world.chat("sato", "あおば市")
    number = add_meeting(sato)
    tanaka = world.chat("tanaka", "あおば市")
    yamada = world.chat("yamada", "あおば市")
    world.chat("kato", "あおば市")
    tanaka.send("予定")
    tanaka.send("参加")
    yamada.send("予定")
    yamada.send("未定")
    counts = sato.send(f"出欠 #{number}")
    assert "12/8(火) 14:00 中央圏域 定例連絡会 の出欠" in counts
    assert "参加 1名: tanaka" in counts and "未定 1名: yamada" in counts
    assert "欠席 0名" in counts and "未回答 2名: sato、kato" in counts
    assert "主催者と管理者だけ" in tanaka.send(f"出欠 #{number}")


def test_a_cancelled_or_moved_meeting_shows_in_the_list(world):
    sato = world.chat("sato", "あおば市")
    number = add_meeting(sato)
    tanaka = world.chat("tanaka", "あおば市")
    assert "中止にしました" in sato.send(f"予定 中止 #{number} 2026-12-08")
    listing = tanaka.send("予定")
    assert "12/8" not in listing and listing.splitlines()[1].startswith("・1/12(火) 14:00")
    moved = sato.send(f"予定 変更 #{number} 2027-01-12 2027-01-13 15:00")
    assert "1/13(水) 15:00 に変更しました" in moved
    listing = tanaka.send("予定")
    assert "1/13(水) 15:00（日程変更）" in listing and "1/12" not in listing
    assert "開催がありません" in sato.send(f"予定 中止 #{number} 2026-12-09")
    assert "主催者と管理者だけ" in tanaka.send(f"予定 中止 #{number} 2027-02-09")
    actions = audit_actions(world)
    assert "meeting.cancel" in actions and "meeting.move" in actions


def test_officers_cannot_add_meetings(world):
    officer = world.chat("suzuki", "あおば市", role="officer", area=None)
    assert "どの会議ですか" not in officer.send("予定 追加")


def tsunagi(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `tsunagi ARGS` on the SQLite file tmp_path/t.db."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TSUNAGI_", "LINE_", "SLACK_"))}
    env.update(TSUNAGI_DATABASE_URL=f"sqlite:///{tmp_path / 't.db'}", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture
def cli_store(tmp_path: Path, clock) -> Path:
    """The command line's SQLite file with あおば市."""
    engine = make_engine(f"sqlite:///{tmp_path / 't.db'}")
    migrate(engine)
    with session_scope(engine) as session:
        add_municipality(session, name="あおば市", prefecture="岡山県", now=clock.now())
    engine.dispose()
    return tmp_path


def test_the_command_line_adds_a_meeting_and_says_it_in_words(cli_store):
    when = ["--when", "隔月 第3木曜 13:30", "--starts", "2026-12-01"]
    args = [
        "meeting",
        "add",
        "あおば市",
        "--kind",
        "協議体（第1層）",
        "--title",
        "ネットワーク会議",
    ]
    result = tsunagi(cli_store, *args, *when, "--place", "市役所", "--duration", "120")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"予定 #\d+: ネットワーク会議 — 2か月ごと 第3木曜日 13:30\n", result.stdout)
    engine = make_engine(f"sqlite:///{cli_store / 't.db'}")
    with session_scope(engine) as session:
        series = session.exec(select(MeetingSeries)).one()
        assert (series.rrule, series.place, series.duration_min) == (
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=3TH",
            "市役所",
            120,
        )
    engine.dispose()


def test_the_command_line_refuses_an_unreadable_schedule_with_examples(cli_store):
    result = tsunagi(
        cli_store,
        "meeting",
        "add",
        "あおば市",
        "--kind",
        "研修",
        "--title",
        "研修",
        "--when",
        "いつか",
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "いつか" in result.stderr and "毎月第2火曜 14:00" in result.stderr
