"""活動報告: drafted from the records, edited in chat, submitted to officers, exported to Excel."""

from __future__ import annotations

import io
from datetime import date, time

import pytest
from openpyxl import load_workbook
from records_data import Records
from sqlmodel import select

from bot.cli import main as cli_main
from storage.audit import list_audit
from storage.db import session_scope
from storage.meetings import add_series
from storage.members import get_municipality
from storage.minutes import add_record
from storage.models import ActivityReport, OutboundMessage


@pytest.fixture
def town(world, clock):
    """sato (coordinator) with November records, kato (officer), a 協議体 held and a 定例連絡会."""
    sato = world.chat("sato", "あおば市")
    kato = world.chat("kato", "あおば市", role="officer", area=None)
    r = Records(world.engine, clock, "あおば市")
    r.visit("sato", date(2026, 11, 10), area="本町自治会", minutes=90, ordinal=1, kubun="把握")
    r.visit("sato", date(2026, 11, 12), area="栄町自治会", minutes=60, ordinal=2, kubun="資源開発")
    r.activity("sato", date(2026, 11, 12), type="事務", minutes=30, kubun="資源開発")
    r.activity("sato", date(2026, 11, 13), type="電話・調査", minutes=15, kubun="マッチング")
    r.murmur("sato", date(2026, 11, 12), "スーパーが遠い", categories=("shopping",), area="本町自治会")
    r.murmur("sato", date(2026, 11, 13), "見守りが心配", categories=("watching",), area="本町自治会", scope="restricted_individual")
    officer = r.member_id("kato")
    with session_scope(world.engine) as s:
        m = get_municipality(s, name="あおば市").id
        council = add_series(s, municipality_id=m, kind="協議体（第2層）", title="中央圏域協議体", rrule="FREQ=MONTHLY;BYDAY=2TU", time_of_day=time(14), starts_on=date(2026, 4, 1), now=clock.now())
        add_record(s, municipality_id=m, series_id=council.id, occurrence=date(2026, 11, 10), recorded_by=officer, now=clock.now(), ordinal=8, attendees_total=12, attendees_present=9, agenda="買い物支援について", decisions="移動販売の試行", sc_attended=True)
        add_series(s, municipality_id=m, kind="定例連絡会", title="定例連絡会", rrule="FREQ=MONTHLY;BYDAY=3MO", time_of_day=time(10), starts_on=date(2026, 4, 1), now=clock.now())
    return world, sato, kato


def test_the_draft_carries_every_section_from_the_records(town):
    _, sato, _ = town
    reply = sato.send("活動報告 2026-11")
    assert "生活支援コーディネーター活動報告書（2026年11月分）" in reply
    assert "活動報告 #" in reply and "（下書き）" in reply
    assert "活動日数 3日／活動時間 3.2時間（うち地域での活動 2.5時間、事務 0.8時間）" in reply
    assert "訪問 2件（うち新規 1）" in reply
    assert "電話・調査 1件" in reply
    assert "11/10 協議体（第2層） 第8回 出席 12人中9名" in reply
    assert "決まったこと: 移動販売の試行" in reply
    assert "つぶやき 2件" in reply and "買い物×本町自治会 1件" in reply
    assert "見守りが心配" not in reply and "スーパーが遠い" not in reply  # counts, never texts
    assert "12/8（火）14:00" in reply  # 翌月の予定
    for heading in ("1. 活動実績", "2. 協議体", "3. 主な活動", "5. 地域資源", "6. つなぎ", "7. 今後の課題や提案", "8. 市への相談・依頼事項", "9. 翌月の予定"):
        assert heading in reply


def test_edit_then_submit_notifies_the_officers_who_read_it_as_sent(town):
    world, sato, kato = town
    number = sato.send("活動報告 2026-11").split("活動報告 #")[1].split("（")[0]
    assert "まだ" not in sato.send("活動報告 編集")
    sato.send("1")
    assert "数字" not in sato.send("田中花子さん 090-1234-5678 に電話")  # refused: personal details
    assert "主なトピックス" in sato.send("サロンの立ち上げを支援した")
    sato.send("3")
    sato.send("移動支援について担当課と相談したい")
    assert f"活動報告 #{number} を保存しました" in sato.send("4")
    assert kato.send(f"活動報告 #{number}") == f"活動報告 #{number} は提出されたあとに市町村担当が見られます。"

    assert f"活動報告 #{number} を提出しました。市町村担当 1人に知らせました。" in sato.send("活動報告 提出")
    with session_scope(world.engine) as s:
        [note] = [m for m in s.exec(select(OutboundMessage)).all() if "活動報告" in str(m.messages)]
        assert f"活動報告 #{number}" in str(note.messages) and note.recipient == "kato"
        report = s.exec(select(ActivityReport)).one()
        assert report.status == "submitted"
        assert report.sections == {"topics": "サロンの立ち上げを支援した", "requests": "移動支援について担当課と相談したい"}
    shown = kato.send(f"活動報告 #{number}")
    assert "提出済み" in shown and "サロンの立ち上げを支援した" in shown and "田中" not in shown
    with session_scope(world.engine) as s:
        actions = [a.action for a in list_audit(s)]
    assert {"activity_report.view", "activity_report.edit", "activity_report.submit"} <= set(actions)


def test_since_the_last_regular_meeting(town, clock):
    _, sato, _ = town
    reply = sato.send("活動報告 前回から")  # the 3rd Monday of November is 2026-11-16
    assert "2026-11-16〜2026-11-23" in reply
    assert "活動日数 0日" in reply


def test_bad_words_get_the_usage_and_no_draft_yet_is_explained(town):
    _, sato, _ = town
    assert "まだ活動報告の下書きがありません" in sato.send("活動報告 提出")
    assert "「活動報告 2026-11」" in sato.send("活動報告 来年")


def test_excel_in_chat_and_from_the_cli(town, monkeypatch, tmp_path):
    world, sato, _ = town
    sato.send("活動報告 2026-11")
    for message in ("活動報告 編集", "2", "担い手が不足している", "4"):
        sato.send(message)
    sato.send("活動報告 エクセル")
    [attached] = [r.attachment for r in sato.replies if r.attachment]
    book = load_workbook(io.BytesIO(attached.data))
    assert book.sheetnames == ["活動報告", "区分別", "地域の声"]
    column = [c.value for c in book["活動報告"]["A"]]
    assert "生活支援コーディネーター活動報告書（2026年11月分）" in column
    assert "担い手が不足している" in column
    assert [c.value for c in book["地域の声"][1]][:3] == ["分野", "地区", "件数"]
    assert book["活動報告"].column_dimensions["A"].width == 100

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TSUNAGI_DATABASE_URL", world.engine.url.render_as_string(hide_password=False))
    assert cli_main(["report", "あおば市", "--month", "2026-11", "--member", "sato", "--out", "r.xlsx"]) == 0
    cli_book = load_workbook(tmp_path / "r.xlsx")
    assert "担い手が不足している" in [c.value for c in cli_book["活動報告"]["A"]]
    assert cli_main(["report", "あおば市", "--month", "2026-11", "--out", "r.txt"]) == 1
    assert cli_main(["report", "あおば市", "--month", "2026-11", "--member", "だれか"]) == 1
