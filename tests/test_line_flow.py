"""Conversations over LINE: registering, a visit by taps, pages of choices, Flex, lifecycle, groups."""

from __future__ import annotations

import json
from typing import Any

import pytest
from line_support import GROUP, SATO, SUZUKI, TANAKA, line_world
from sqlmodel import select

from bot.channels.line_render import MORE_LABEL, PRIVATE_ONLY
from storage.db import session_scope
from storage.members import get_area, get_municipality
from storage.models import Activity, Identity, MediaBlob, Member, Murmur, SharingScope
from storage.murmurs import murmur_category_codes
from storage.resources import add_resource

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
CONTENT = "/v2/bot/message/{}/content"

SALON = "サロンきらり"
KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"
SHUTTERS = "向かいの一人暮らしの人、このところ雨戸が閉まったままで気になってる"


@pytest.fixture
def line(tmp_path, clock):
    with line_world(tmp_path, clock) as line:
        yield line


def add_place(line, name: str, municipality: str = "あおば市", area: str = "本町自治会") -> int:
    """Add a known resource and return its id."""
    with session_scope(line.runtime.engine) as s:
        municipality_id = get_municipality(s, name=municipality).id
        area_id = get_area(s, municipality_id=municipality_id, name=area).id
        resource = add_resource(
            s, municipality_id=municipality_id, name=name, area_id=area_id, now=line.clock.now()
        )
        assert resource.id is not None
        return resource.id


def area_id(line, name: str, municipality: str = "あおば市") -> int:
    with session_scope(line.runtime.engine) as s:
        municipality_id = get_municipality(s, name=municipality).id
        found = get_area(s, municipality_id=municipality_id, name=name).id
        assert found is not None
        return found


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """Return (label, data) of the buttons in a Flex bubble's footer."""
    footer = message["contents"].get("footer", {"contents": []})
    return [(b["action"]["label"], b["action"]["data"]) for b in footer["contents"]]


def tap_first_choices_up_to_the_card(line, user: str) -> dict[str, Any]:
    """Tap the first quick reply of each question until a Flex card arrives; return it."""
    for _ in range(25):
        last = line.messages(user)[-1]
        if last["type"] == "flex":
            return last
        _label, data = line.quick_replies(user)[0]
        line.tap(user, data)
    raise AssertionError("no confirmation card after 25 taps")


def test_registering_over_line_names_the_member_after_the_line_profile(line):
    line.fake.add_profile(SATO, "佐藤 花子")
    code = line.world.invite("あおば市")
    answer = line.say(SATO, f"登録 {code}")
    assert answer == [
        "登録しました。あおば市の生活支援コーディネーターとして利用できます。\n"
        "「訪問」で訪問記録、「つぶやき」でつぶやきの記録、「ヘルプ」で使い方を表示します。"
    ]
    (member,) = line.rows(Member)
    assert member.name == "佐藤 花子"
    (identity,) = line.rows(Identity)
    assert (identity.channel, identity.external_id) == ("line", SATO)
    assert identity.display_name == "佐藤 花子"


def test_an_unregistered_user_is_told_how_to_register(line):
    answer = line.say(SUZUKI, "訪問")
    assert len(answer) == 1 and "招待コードでの登録が必要です" in answer[0]
    assert line.rows(Member) == []


def test_a_visit_recorded_by_tapping_quick_replies_only(line):
    add_place(line, SALON)  # record #1
    line.register(SATO, "佐藤 花子")
    answer = line.say(SATO, "訪問")
    assert "いつの訪問ですか" in answer[-1]
    confirm = tap_first_choices_up_to_the_card(line, SATO)
    assert confirm["altText"].startswith("訪問記録")
    assert f"場所: {SALON}" in confirm["altText"]
    assert buttons(confirm) == [("保存", "save"), ("修正する", "fix")]
    assert line.tap(SATO, "save") == ["訪問記録 #2 を記録しました"]
    (visit,) = line.rows(Activity)
    assert visit.number == 2 and visit.place_label == SALON
    assert visit.area_id == area_id(line, "中央圏域")


def test_a_forged_postback_naming_another_municipalitys_area_or_place_is_refused(line):
    line.world.municipality("みどり町")
    foreign_place = add_place(line, "みどり町の集会所", municipality="みどり町")
    foreign_area = area_id(line, "栄町自治会", municipality="みどり町")
    line.register(SATO, "佐藤 花子")
    line.say(SATO, "訪問")
    line.tap(SATO, "today")
    answer = line.tap(SATO, str(foreign_area))
    assert answer[0] == "エリアがわかりませんでした。一覧から番号で選んでください。"
    assert "どのエリアですか" in answer[-1]
    own = dict(line.quick_replies(SATO))["栄町自治会"]
    assert own != str(foreign_area)
    assert "訪問先の名前" in line.tap(SATO, own)[-1]
    answer = line.tap(SATO, f"r{foreign_place}")
    assert answer[0] == "文字で答えてください。"
    assert "訪問先の名前" in answer[-1]
    line.say(SATO, "本町集会所")
    tap_first_choices_up_to_the_card(line, SATO)
    line.tap(SATO, "save")
    (visit,) = line.rows(Activity)
    assert visit.area_id == area_id(line, "栄町自治会") and visit.resource_id is None
    seen = json.dumps(line.messages(SATO), ensure_ascii=False)
    assert "みどり町" not in seen


def test_more_pages_through_a_long_list_of_choices(line):
    line.register(SATO, "佐藤 花子")
    line.say(SATO, "つぶやき")
    line.say(SATO, KNEE)
    line.tap(SATO, line.quick_replies(SATO)[0][1])  # the suggested kind
    line.tap(SATO, "more")  # every category: 24 of them
    first = line.quick_replies(SATO)
    assert len(first) == 13
    assert first[-1] == (MORE_LABEL, "tsunagi:more:2")
    assert line.tap(SATO, "tsunagi:more:2") == ["ほかの選択肢（2/2）"]
    second = line.quick_replies(SATO)
    assert len(second) == 12
    assert not set(second) & set(first)
    label, code = second[-1]
    assert "エリア" in line.tap(SATO, code)[-1]
    line.tap(SATO, line.quick_replies(SATO)[0][1])
    assert line.tap(SATO, "save") == ["つぶやき #1 を記録しました。"]
    with session_scope(line.runtime.engine) as s:
        murmur = s.exec(select(Murmur)).one()
        assert murmur_category_codes(s, murmur_id=murmur.id)[0] == code


def test_a_stale_or_forged_page_number_shows_the_nearest_page(line):
    line.register(SATO, "佐藤 花子")
    line.say(SATO, "つぶやき")
    line.say(SATO, KNEE)
    line.tap(SATO, line.quick_replies(SATO)[0][1])
    line.tap(SATO, "more")
    assert line.tap(SATO, "tsunagi:more:99") == ["ほかの選択肢（2/2）"]
    assert line.tap(SATO, "tsunagi:more:x") == []


def test_follow_is_welcomed_with_how_to_register(line):
    answer = line.exchange(SATO, line.event("follow", SATO, follow={"isUnblocked": False}))
    assert len(answer) == 1
    assert "友だち追加ありがとうございます" in answer[0] and "登録" in answer[0]


def test_unfollow_deactivates_the_identity_but_keeps_the_member_and_records(line):
    line.register(SATO, "佐藤 花子")
    line.say(SATO, f"つぶやき {KNEE}")
    line.tap(SATO, "save")
    calls = len(line.fake.calls)
    line.send(line.event("unfollow", SATO, reply_token=False))
    line.run()
    assert len(line.fake.calls) == calls  # nothing is sent to someone who blocked the bot
    (identity,) = line.rows(Identity)
    assert identity.active is False
    (member,) = line.rows(Member)
    assert member.active is True
    assert [m.number for m in line.rows(Murmur)] == [1]
    assert "招待コードでの登録が必要です" in line.say(SATO, "訪問")[0]


def test_in_a_group_the_bot_ignores_people_who_are_not_registered(line):
    assert line.say(TANAKA, "こんにちは", group=GROUP) == []
    assert line.say(TANAKA, "訪問", group=GROUP) == []
    assert [e.status for e in line.inbox()] == ["done", "done"]
    assert line.outbox() == []


def test_in_a_group_a_member_is_answered_but_restricted_content_stays_out(line):
    line.register(SATO, "佐藤 花子")
    answer = line.say(SATO, "ヘルプ", group=GROUP)
    assert answer and "訪問" in answer[0]
    answer = line.say(SATO, f"つぶやき {SHUTTERS}", group=GROUP)
    assert answer == [PRIVATE_ONLY]
    answer = line.say(SATO, "保存", group=GROUP)
    assert answer == ["つぶやき #1 を記録しました。", PRIVATE_ONLY]
    (murmur,) = line.rows(Murmur)
    assert murmur.sharing_scope == SharingScope.RESTRICTED.value
    shown = json.dumps(line.messages(GROUP), ensure_ascii=False)
    assert SHUTTERS not in shown and "限定" not in shown
    assert all(m["type"] == "text" for m in line.messages(GROUP))
    assert line.fake.messages_to(SATO)[-1].startswith("登録しました")  # nothing went 1:1 either


def test_a_sticker_gets_a_friendly_answer(line):
    line.register(SATO, "佐藤 花子")
    sticker = line.message(SATO, "sticker", packageId="446", stickerId="1988")
    answer = line.exchange(SATO, sticker)
    assert answer == [
        "スタンプありがとうございます。記録するときは「訪問」「つぶやき」などと送ってください。"
    ]


def test_an_image_outside_a_visit_gets_a_polite_note_and_is_not_kept(line):
    line.register(SATO, "佐藤 花子")
    image = line.message(SATO, "image", contentProvider={"type": "line"})
    line.fake.add_content(image["message"]["id"], PNG, "image/png")
    (answer,) = line.exchange(SATO, image)
    assert answer.startswith("写真は訪問記録の途中で送ると")
    assert line.rows(MediaBlob) == []
    assert line.fake.calls_to(CONTENT.format(image["message"]["id"])) == []  # not even downloaded


def test_an_image_during_a_visit_is_attached_after_the_consent_question(line):
    add_place(line, SALON)
    line.register(SATO, "佐藤 花子")
    line.say(SATO, "訪問")
    line.tap(SATO, "today")
    image = line.message(SATO, "image", contentProvider={"type": "line"})
    line.fake.add_content(image["message"]["id"], PNG, "image/png")
    (question,) = line.exchange(SATO, image)
    assert "了承" in question
    assert [label for label, _ in line.quick_replies(SATO)] == [
        "了承なし（保存しない）",
        "内部のみ",
        "公開可",
    ]
    answer = line.tap(SATO, "media:公開可")
    assert answer[0] == "写真を添付しました（了承: 公開可）。" and "どのエリア" in answer[1]
    card = tap_first_choices_up_to_the_card(line, SATO)
    assert "写真: 1枚（公開可 1）" in json.dumps(card, ensure_ascii=False)
    assert line.tap(SATO, "save") == ["訪問記録 #2 を記録しました"]
    (blob,) = line.rows(MediaBlob)
    (activity,) = line.rows(Activity)
    assert (blob.activity_id, blob.consent, blob.data, blob.content_type) == (
        activity.id,
        "公開可",
        PNG,
        "image/png",
    )


def test_a_location_with_a_title_fills_the_place_of_a_visit(line):
    line.register(SATO, "佐藤 花子")
    line.say(SATO, "訪問")
    line.tap(SATO, "today")
    line.tap(SATO, str(area_id(line, "本町自治会")))
    location = line.message(
        SATO,
        "location",
        title="本町公民館",
        address="岡山県あおば市本町1-2-3",
        latitude=34.6,
        longitude=133.9,
    )
    answer = line.exchange(SATO, location)
    assert "訪問の目的は" in answer[-1]
    card = tap_first_choices_up_to_the_card(line, SATO)
    assert "場所: 本町公民館" in card["altText"]


def test_a_location_without_a_title_asks_for_the_place_name(line):
    line.register(SATO, "佐藤 花子")
    location = line.message(SATO, "location", address="", latitude=34.6, longitude=133.9)
    (answer,) = line.exchange(SATO, location)
    assert "場所の名前がありませんでした" in answer


def test_in_a_group_small_talk_from_a_member_gets_no_answer(line):
    line.register(SATO, "佐藤 花子")
    assert line.say(SATO, "今日は暑いですね", group=GROUP) == []
    assert line.say(SATO, "ヘルプ", group=GROUP)  # a command is still answered


def test_following_again_after_blocking_restores_the_registration(line):
    line.register(SATO, "佐藤 花子")
    line.send(line.event("unfollow", SATO, reply_token=False))
    line.run()
    answer = line.exchange(SATO, line.event("follow", SATO, follow={"isUnblocked": True}))
    assert answer == ["おかえりなさい。登録はそのまま有効です。「ヘルプ」で使い方を表示します。"]
    assert "訪問記録をつけます" in line.say(SATO, "訪問")[-1]
    (identity,) = line.rows(Identity)
    assert identity.active is True


def test_a_murmur_confirmation_is_a_flex_card_with_its_buttons(line):
    line.register(SATO, "佐藤 花子")
    line.say(SATO, f"つぶやき {KNEE}")
    card = line.messages(SATO)[-1]
    assert card["type"] == "flex"
    assert [label for label, _ in buttons(card)][0] == "保存"
    assert len(buttons(card)) == 5
