"""LINE rendering: quick replies and their pages, Flex cards, message and text limits, privacy."""

from __future__ import annotations

import json
from typing import Any

import pytest
from linebot.v3.messaging import FlexMessage, Message, TextMessage

from bot.channels.line_render import parse_more, render_choice_page, render_replies
from bot.fakes.line_limits import Refused, check_push
from bot.messages import Card, Choice, Reply

USER = "U" + "0" * 32
SHUTTERS = "向かいの一人暮らしの人、このところ雨戸が閉まったままで気になってる"
KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"
VISIT_CARD = Card(
    "訪問記録（下書き）",
    (("日付", "11月23日（月）"), ("場所", "本町公民館"), ("目的", "サロン見学"), ("メモ", "")),
)


def accepted(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the messages after checking LINE (the fake) and the SDK would both take them."""
    check_push({"to": USER, "messages": messages})
    for message in messages:
        model = Message.from_dict(message)
        assert isinstance(model, TextMessage | FlexMessage)
        assert model.to_dict() == message
    return messages


def render(replies: list[Reply], *, in_group: bool = False) -> list[dict[str, Any]]:
    return accepted(render_replies(replies, in_group=in_group))


def items(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [item["action"] for item in message["quickReply"]["items"]]


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def areas(count: int) -> tuple[Choice, ...]:
    return tuple(Choice(f"第{n}自治会", f"a{n}") for n in range(1, count + 1))


def test_choices_are_postback_quick_replies_showing_what_was_tapped():
    choices = (Choice("今日", "today"), Choice("昨日", "yesterday"))
    [message] = render([Reply("いつの訪問ですか？", choices=choices)])
    assert message["text"] == "いつの訪問ですか？"
    assert items(message) == [
        {"type": "postback", "label": "今日", "data": "today", "displayText": "今日"},
        {"type": "postback", "label": "昨日", "data": "yesterday", "displayText": "昨日"},
    ]


def test_long_japanese_labels_are_cut_to_twenty_characters_but_shown_whole_when_tapped():
    label = "北山自治会集会所で毎月開かれるふれあいいきいきサロン"
    [message] = render([Reply("場所は？", choices=(Choice(label, "r7"),))])
    [action] = items(message)
    assert action["label"] == "北山自治会集会所で毎月開かれるふれあい…"
    assert len(action["label"]) == 20
    assert action["displayText"] == label
    assert action["data"] == "r7"


def test_thirteen_choices_fit_without_a_more_button():
    [message] = render([Reply("地区は？", choices=areas(13))])
    assert [a["label"] for a in items(message)] == [f"第{n}自治会" for n in range(1, 14)]


def test_fourteen_choices_show_twelve_and_a_more_button_leading_to_the_rest():
    [message] = render([Reply("地区は？", choices=areas(14))])
    shown = items(message)
    assert len(shown) == 13
    assert shown[-1]["label"] == "もっと見る" and parse_more(shown[-1]["data"]) == 2
    page = accepted([render_choice_page(areas(14), 2)])[0]
    assert page["text"] == "ほかの選択肢（2/2）"
    assert [a["data"] for a in items(page)] == ["a13", "a14"]


def test_thirty_choices_page_through_every_choice_exactly_once():
    choices = areas(30)
    seen, page, titles = [], 1, []
    message = render([Reply("地区は？", choices=choices)])[0]
    while True:
        actions = items(message)
        assert len(actions) <= 13
        more = [a for a in actions if parse_more(a["data"])]
        seen += [a["data"] for a in actions if a not in more]
        if not more:
            break
        page = parse_more(more[0]["data"]) or 0
        message = accepted([render_choice_page(choices, page)])[0]
        titles.append(message["text"])
    assert seen == [c.value for c in choices]
    assert titles == ["ほかの選択肢（2/3）", "ほかの選択肢（3/3）"]


def test_more_postbacks_are_told_apart_from_other_postbacks():
    assert parse_more("tsunagi:more:2") == 2
    assert parse_more("tsunagi:more:12") == 12
    for data in ("tsunagi:more:", "tsunagi:more:0", "tsunagi:more:2x", "a2", "save", ""):
        assert parse_more(data) is None


def test_a_postback_value_over_300_characters_is_a_bug():
    fits = Choice("長い", "x" * 300)
    assert items(render([Reply("選択", choices=(fits,))])[0])[0]["data"] == "x" * 300
    with pytest.raises(ValueError):
        render_replies([Reply("選択", choices=(Choice("長すぎ", "x" * 301),))])


def test_a_card_becomes_a_flex_bubble_with_buttons_and_a_quick_reply():
    choices = (Choice("保存", "save"), Choice("修正する", "fix"))
    [message] = render([Reply("この内容で保存しますか？", choices=choices, card=VISIT_CARD)])
    assert message["type"] == "flex"
    assert message["altText"].startswith(
        "訪問記録（下書き）\n日付: 11月23日（月）\n場所: 本町公民館"
    )
    bubble = message["contents"]
    assert bubble["header"]["contents"][0]["text"] == "訪問記録（下書き）"
    rows = [box["contents"] for box in bubble["body"]["contents"] if box["type"] == "box"]
    assert [(label["text"], value["text"]) for label, value in rows][:2] == [
        ("日付", "11月23日（月）"),
        ("場所", "本町公民館"),
    ]
    label, value = rows[0]
    assert (label["color"], label["flex"], value["wrap"], value["flex"]) == ("#888888", 2, True, 5)
    assert rows[3][1]["text"] == "—"
    assert "この内容で保存しますか？" in json.dumps(bubble["body"], ensure_ascii=False)
    buttons = [b["action"] for b in bubble["footer"]["contents"]]
    assert [(b["label"], b["data"]) for b in buttons] == [("保存", "save"), ("修正する", "fix")]
    assert [a["data"] for a in items(message)] == ["save", "fix"]


def test_a_card_with_many_choices_has_no_buttons_only_a_quick_reply():
    choices = tuple(Choice(f"項目{n}", f"c{n}") for n in range(6))
    [message] = render([Reply("どれを直しますか？", choices=choices, card=VISIT_CARD)])
    assert "footer" not in message["contents"]
    assert len(items(message)) == 6


def test_a_card_with_many_rows_keeps_its_alt_text_under_400_characters():
    card = Card("つぶやき", tuple((f"項目{n}", KNEE) for n in range(30)))
    [message] = render([Reply("保存しますか？", card=card)])
    assert len(message["altText"]) == 400 and message["altText"].endswith("…")


def test_more_than_five_replies_join_the_earlier_ones_and_keep_the_last_with_its_choices():
    replies = [Reply(f"お知らせ{n}") for n in range(1, 7)]
    replies.append(Reply("次はどうしますか？", choices=(Choice("終了", "end"),)))
    messages = render(replies)
    assert len(messages) == 5
    assert messages[0]["text"] == "お知らせ1\n\nお知らせ2\n\nお知らせ3"
    assert [m["text"] for m in messages[1:4]] == ["お知らせ4", "お知らせ5", "お知らせ6"]
    assert messages[-1]["text"] == "次はどうしますか？"
    assert [a["data"] for a in items(messages[-1])] == ["end"]


def test_a_12000_character_text_is_split_at_line_breaks():
    lines = [f"{n:03d}" + "あ" * 96 for n in range(120)]  # 120 lines of 99 characters
    text = "\n".join(lines)
    messages = render([Reply(text, choices=(Choice("次へ", "next"),))])
    assert len(messages) == 3
    assert all(units(m["text"]) <= 5000 for m in messages)
    assert "\n".join(m["text"] for m in messages) == text
    assert "quickReply" not in messages[0] and items(messages[-1])[0]["data"] == "next"


def test_emoji_count_twice_towards_the_text_limit():
    text = "😊" * 3000  # 3,000 characters but 6,000 UTF-16 units, on one line
    messages = render([Reply(text)])
    assert [units(m["text"]) for m in messages] == [5000, 1000]
    assert "".join(m["text"] for m in messages) == text


def test_a_text_too_long_for_five_messages_is_cut_with_a_note():
    text = "\n".join("い" * 999 for _ in range(30))  # 30,000 characters
    messages = render([Reply("検索結果です。"), Reply(text, choices=(Choice("終了", "end"),))])
    assert len(messages) == 5
    assert messages[-1]["text"].endswith("\n…（続きは省略）")
    assert items(messages[-1])[0]["data"] == "end"


def test_restricted_replies_are_replaced_once_in_a_group_chat():
    replies = [
        Reply("つぶやき #3 を記録しました。"),
        Reply(SHUTTERS, restricted=True),
        Reply("閲覧は担当者のみに限定しました。", restricted=True),
    ]
    group = render(replies, in_group=True)
    assert [m["text"] for m in group] == [
        "つぶやき #3 を記録しました。",
        "この内容は個別のトークでのみ表示します。",
    ]
    assert [m["text"] for m in render(replies)][1] == SHUTTERS


def test_a_restricted_card_never_reaches_a_group_chat(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {SHUTTERS}")
    group = json.dumps(render(chat.replies, in_group=True), ensure_ascii=False)
    assert "雨戸" not in group and "この内容は個別のトークでのみ表示します。" in group
    [card] = [m for m in render(chat.replies) if m["type"] == "flex"]
    assert "雨戸" in json.dumps(card, ensure_ascii=False)


def test_the_bots_own_murmur_confirmation_is_accepted_by_line(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    messages = render(chat.replies)
    assert messages[-1]["type"] == "flex"
    assert [a["label"] for a in items(messages[-1])] == chat.choices


def test_the_fake_platform_refuses_what_rendering_avoids():
    six = [{"type": "text", "text": "x"}] * 6
    with pytest.raises(Refused):
        check_push({"to": USER, "messages": six})
