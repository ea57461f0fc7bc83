"""資源: guided registration, search, detail, status changes and their history, matching, 課題."""

from __future__ import annotations

from datetime import datetime

import pytest
from conftest import TOKYO, World
from sqlmodel import select

from storage.consent import consents_for
from storage.db import session_scope
from storage.members import get_area, get_municipality
from storage.models import AuditLog, Resource
from storage.resources import add_resource, resource_changes

KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"
REGISTRATION = [
    "資源 登録",
    "ふれあいサロン「きらり」",
    "サロン",
    "健康体操・茶話会",
    "本町自治会",
    "1",  # the suggested categories as they are
    "毎週水曜 13:00〜16:00",
    "茶屋町公民館",
    "どなたでも",
    "1回100円",
    "住民団体",
    "代表 山田 090-1111-2222",
]


@pytest.fixture
def aoba(any_engine, clock) -> World:
    world = World(any_engine, clock)
    world.municipality("あおば市")
    return world


def stored(world: World, number: int) -> Resource:
    with session_scope(world.engine) as s:
        municipality_id = get_municipality(s, name="あおば市").id
        row = s.exec(
            select(Resource).where(
                Resource.municipality_id == municipality_id, Resource.number == number
            )
        ).one()
        s.expunge(row)
        return row


def seed(world: World, name: str, area: str | None, categories: list[str], **fields) -> int:
    """Add a resource to あおば市 directly and return its number."""
    with session_scope(world.engine) as s:
        municipality_id = get_municipality(s, name="あおば市").id
        area_id = get_area(s, municipality_id=municipality_id, name=area).id if area else None
        return add_resource(
            s,
            municipality_id=municipality_id,
            name=name,
            area_id=area_id,
            categories=categories,
            now=world.clock.now(),
            **fields,
        ).number


def test_guided_registration_saves_every_field_and_hides_contact_without_consent(aoba):
    chat = aoba.chat("sato", "あおば市")
    for text in REGISTRATION:
        chat.send(text)
    assert "ほかの人に見せる同意" in chat.replies[0].text
    chat.send("2")  # the contact may not be shown
    chat.send("2")  # publish consent: do not list it
    assert "資源 #1（ふれあいサロン「きらり」）を登録しました" in chat.send("保存")

    resource = stored(aoba, 1)
    assert resource.kind == "サロン"
    assert resource.categories[:2] == ["ibasho", "health"]
    assert resource.venue == "茶屋町公民館" and resource.fee == "1回100円"
    assert resource.contact == "代表 山田 090-1111-2222"
    assert resource.contact_consent is False and resource.publish_consent is False
    assert resource.status == "活動中" and resource.status_as_of == aoba.clock.now().date()

    detail = chat.send("資源 #1")
    assert "代表者・問合せ: 登録あり（表示の同意なし）" in detail
    assert "090-1111-2222" not in detail


def test_contact_is_shown_with_its_consent(aoba):
    chat = aoba.chat("sato", "あおば市")
    for text in REGISTRATION:
        chat.send(text)
    chat.send("1")  # consent to show the contact
    chat.send("1")  # publish
    chat.send("保存")
    assert "代表者・問合せ: 代表 山田 090-1111-2222" in chat.send("資源 #1")
    resource = stored(aoba, 1)
    assert resource.publish_consent is True
    with session_scope(aoba.engine) as session:  # who agreed, when, to which wording, for what
        [consent] = consents_for(session, record_kind="resource_contact", record_id=resource.id)
        assert consent.wording_version == "resource-contact-2026-11"
        assert consent.given_at == aoba.clock.now() and consent.wording_hash
        assert consent.purpose.startswith("この問合せ先を、ほかの人に見せる同意")


def test_no_consent_record_for_a_contact_kept_hidden(aoba):
    chat = aoba.chat("sato", "あおば市")
    for text in REGISTRATION:
        chat.send(text)
    chat.send("2")  # the contact may not be shown
    chat.send("2")
    chat.send("保存")
    with session_scope(aoba.engine) as session:
        assert consents_for(session, record_kind="resource_contact", record_id=stored(aoba, 1).id) == []


def test_wrong_answers_reprompt_and_a_twin_in_the_same_area_is_refused(aoba):
    seed(aoba, "ふれあいサロン「きらり」", "本町自治会", ["ibasho"])
    chat = aoba.chat("sato", "あおば市")
    chat.send("資源 登録")
    assert "200文字以内" in chat.send("あ" * 201)
    for text in REGISTRATION[1:4]:
        chat.send(text)
    assert "地区名をそのまま" in chat.send("どこか")
    chat.send("本町自治会")
    assert "カテゴリがわかりませんでした" in chat.send("なんでも")
    for text in [*REGISTRATION[5:11], "なし", "1"]:
        chat.send(text)
    reply = chat.send("保存")
    assert "資源 #1（ふれあいサロン「きらり」）がすでにあります" in reply
    chat.send("名称を直す")
    chat.send("ふれあいサロン「きらり」第2")
    assert "を登録しました" in chat.send("保存")


def test_search_by_words_category_area_and_status_marks_inactive_ones(aoba):
    seed(aoba, "いきいき百歳体操の会", "本町自治会", ["health"], venue="本町集会所")
    seed(aoba, "移動販売とくし丸", "栄町自治会", ["shopping"], kind="移動販売・出張販売")
    seed(aoba, "北山ふれあいサロン", "北山自治会", ["ibasho"], status="休止")
    chat = aoba.chat("sato", "あおば市")

    assert "資源 #1 いきいき百歳体操の会" in chat.send("資源 集会所")
    by_category = chat.send("資源 買い物")
    assert "移動販売とくし丸" in by_category and "体操" not in by_category
    by_area = chat.send("資源 茶屋町小学校区")  # the 自治会 below it count
    assert "#1" in by_area and "#2" in by_area and "#3" not in by_area
    assert "北山ふれあいサロン（北山自治会）〔休止〕" in chat.send("資源 サロン")
    only_paused = chat.send("資源 休止")
    assert "地域資源 1件" in only_paused and "#3" in only_paused
    assert "合う地域資源はありません" in chat.send("資源 カラオケ")
    with session_scope(aoba.engine) as s:
        searches = s.exec(select(AuditLog).where(AuditLog.action == "resource.search")).all()
        assert len(searches) == 6
        assert all("カラオケ" not in str(a.detail) for a in searches)


def test_status_changes_are_kept_as_history_for_the_monthly_report(aoba):
    number = seed(aoba, "ひまわりサロン", "本町自治会", ["ibasho"])
    chat = aoba.chat("sato", "あおば市")
    aoba.clock.advance(days=3)
    assert "「休止」にしました（2026-11-26現在）" in chat.send(f"資源 #{number} 休止")
    assert "すでに「休止」" in chat.send(f"資源 #{number} 休止")
    assert "活動中／休止／再開／廃止" in chat.send(f"資源 #{number} お休み")
    aoba.clock.advance(days=10)
    chat.send(f"資源 #{number} 再開")

    officer = aoba.chat("tanaka", "あおば市", role="officer", area=None)
    assert "役割では使えません" in officer.send(f"資源 #{number} 廃止")
    assert stored(aoba, number).status == "再開"

    with session_scope(aoba.engine) as s:
        municipality_id = get_municipality(s, name="あおば市").id
        november = resource_changes(
            s,
            municipality_id=municipality_id,
            start=datetime(2026, 11, 1, tzinfo=TOKYO),
            end=datetime(2026, 12, 1, tzinfo=TOKYO),
        )
        moves = [(c.change, c.status_before, c.status_after) for c in november]
        assert moves == [("created", None, "活動中"), ("status", "活動中", "休止")]
        december = resource_changes(
            s,
            municipality_id=municipality_id,
            start=datetime(2026, 12, 1, tzinfo=TOKYO),
            end=datetime(2027, 1, 1, tzinfo=TOKYO),
        )
        assert [(c.change, c.status_before, c.status_after) for c in december] == [
            ("status", "休止", "再開")  # 12/6, thirteen days after the clock's start
        ]


def test_a_saved_murmur_gets_nearby_active_resources_nearest_first(aoba):
    seed(aoba, "市全域の買物代行", None, ["shopping"])
    seed(aoba, "中央圏域の送迎ボランティア", "中央圏域", ["mobility"])
    seed(aoba, "本町の移動販売", "本町自治会", ["shopping"])
    seed(aoba, "閉じた朝市", "本町自治会", ["shopping"], status="廃止")
    seed(aoba, "北山の買い物ツアー", "北山自治会", ["shopping"])
    chat = aoba.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    chat.send("エリアを変える")
    chat.send("本町自治会")
    reply = chat.send("保存")
    assert "つぶやき #6 を記録しました" in reply
    lines = [line for line in reply.splitlines() if line.startswith("・資源")]
    assert lines == [
        "・資源 #3 本町の移動販売（本町自治会）",
        "・資源 #2 中央圏域の送迎ボランティア（中央圏域）",
        "・資源 #1 市全域の買物代行",
    ]
    assert "「つなぎ #6」" in reply


def test_another_municipalitys_resources_are_never_matched(aoba):
    other = World(aoba.engine, aoba.clock)
    other.municipality("みどり町")
    with session_scope(aoba.engine) as s:
        municipality_id = get_municipality(s, name="みどり町").id
        add_resource(s, municipality_id=municipality_id, name="みどりの移動販売", categories=["shopping"], now=aoba.clock.now())
    chat = aoba.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    assert chat.send("保存") == "つぶやき #1 を記録しました。"  # nothing nearby: no more noise
    assert "合う地域資源はありません" in chat.send("資源 移動販売")
    chat.send("つなぎ")
    assert "みどり" not in " ".join(chat.choices)


def test_a_treasure_murmur_offers_to_register_it_as_a_resource(aoba):
    chat = aoba.chat("sato", "あおば市")
    chat.send("つぶやき 毎朝6時半から公園でラジオ体操をしている人たちがいる")
    chat.send("種類を変える")
    chat.send("宝物")
    assert "「資源 登録 #1」" in chat.send("保存")


def test_issues_group_an_areas_murmurs_and_never_quote_restricted_ones(aoba):
    chat = aoba.chat("sato", "あおば市")
    murmurs = [
        KNEE,
        "スーパーが遠くて買い物が大変",
        "移動販売が来てくれたら助かる",
        "バスが減って病院に行けない",
        "向かいの一人暮らしの人、認知症が進んで心配",
    ]
    for text in murmurs:
        chat.send(f"つぶやき {text}")
        chat.send("保存")
    reply = chat.send("課題 中央圏域")
    assert "つぶやき 5件から" in reply
    first = reply.splitlines()[1]
    assert first.startswith("1. 買い物 3件")
    assert "移動販売・買物代行" in reply
    assert "一人暮らし" not in reply and "心配" not in reply
    assert "地区「南町」が見つかりません" in chat.send("課題 南町")
