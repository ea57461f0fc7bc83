"""Slack rendering: sections, card fields, choice buttons, Block Kit limits, privacy."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.models.blocks import Block

from bot.channels.slack_render import needs_ephemeral, parse_action, render_message
from bot.messages import Card, Choice, Reply

SHUTTERS = "向かいの一人暮らしの人、このところ雨戸が閉まったままで気になってる"
VISIT_CARD = Card(
    "訪問記録（下書き）",
    (("日付", "11月23日（月）"), ("場所", "本町公民館"), ("目的", "サロン見学"), ("メモ", "")),
)
CONFIRM = (
    Choice("保存", "save"),
    Choice("日付を直す", "fix:date"),
    Choice("場所を直す", "fix:place"),
)
PRIVATE = Reply(f"つぶやき #12 を限定で記録しました：{SHUTTERS}", restricted=True)


def accepted(message: dict[str, Any]) -> dict[str, Any]:
    """Return the message after checking slack_sdk parses every block back unchanged, and limits."""
    assert set(message) == {"text", "blocks"}
    assert 0 < len(message["text"]) <= 40_000
    assert 0 < len(message["blocks"]) <= 50
    for block in message["blocks"]:
        assert Block.parse(block).to_dict() == block  # to_dict() validates Slack's limits
    ids = [button["action_id"] for button in buttons(message)]
    assert len(ids) == len(set(ids))
    return message


def render(replies: list[Reply], *, shared: bool = False, lang: str = "ja") -> dict[str, Any]:
    return accepted(render_message(replies, in_shared_channel=shared, lang=lang))


def kinds(message: dict[str, Any]) -> list[str]:
    return [block["type"] for block in message["blocks"]]


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        b for block in message["blocks"] if block["type"] == "actions" for b in block["elements"]
    ]


def texts(message: dict[str, Any]) -> list[str]:
    """Return every text a reader sees in the blocks, in order."""
    found: list[str] = []
    for block in message["blocks"]:
        if "text" in block:
            found.append(block["text"]["text"])
        found.extend(field["text"] for field in block.get("fields", []))
        found.extend(element["text"]["text"] for element in block.get("elements", []))
    return found


def tap(button: dict[str, Any]) -> dict[str, Any]:
    """Return the block_actions payload Slack sends when the button is clicked."""
    action = {"type": "button", "block_id": "b1", "action_ts": "1.2", **button}
    return {"type": "block_actions", "user": {"id": "U1"}, "actions": [action]}


def test_a_question_is_a_plain_text_section_with_buttons_carrying_the_choice_values():
    choices = (Choice("今日", "today"), Choice("昨日", "yesterday"))
    message = render([Reply("いつの訪問ですか？", choices=choices)])
    assert kinds(message) == ["section", "actions"]
    assert message["blocks"][0]["text"] == {"type": "plain_text", "text": "いつの訪問ですか？"}
    assert [(b["text"]["text"], b["value"]) for b in buttons(message)] == [
        ("今日", "today"),
        ("昨日", "yesterday"),
    ]
    assert message["text"] == "いつの訪問ですか？\n1. 今日\n2. 昨日"


def test_a_tapped_button_gives_back_its_choice_value():
    message = render([Reply("いつの訪問ですか？", choices=(Choice("今日", "today"),))])
    [button] = buttons(message)
    assert parse_action(tap(button)) == (button["action_id"], "today")


def test_payloads_that_are_not_a_choice_tap_are_ignored():
    assert parse_action({"type": "view_submission", "view": {}}) is None
    assert parse_action({"type": "block_actions", "actions": []}) is None
    other = {"type": "static_select", "action_id": "visit_area", "selected_option": {}}
    assert parse_action({"type": "block_actions", "actions": [other]}) is None


def test_save_is_the_primary_button_and_the_changes_are_plain():
    message = render([Reply("この内容で保存しますか？", choices=CONFIRM)])
    assert [b.get("style") for b in buttons(message)] == ["primary", None, None]
    message = render([Reply("いつの訪問ですか？", choices=(Choice("今日", "today"),))])
    assert "style" not in buttons(message)[0]
    english = render([Reply("Save this?", choices=(Choice("Save", "save"),))], lang="en")
    assert buttons(english)[0]["style"] == "primary"


def test_thirty_choices_make_two_actions_blocks_with_every_choice_tappable():
    choices = tuple(Choice(f"第{n}自治会", f"a{n}") for n in range(1, 31))
    message = render([Reply("地区は？", choices=choices)])
    assert kinds(message) == ["section", "actions", "actions"]
    assert [len(block.get("elements", [])) for block in message["blocks"]] == [0, 25, 5]
    tapped = [parse_action(tap(button)) for button in buttons(message)]
    assert [value for _, value in tapped] == [f"a{n}" for n in range(1, 31)]


def test_long_japanese_labels_are_cut_to_seventy_five_characters_but_keep_their_value():
    label = "北山自治会集会所で毎月第二水曜日に開かれるふれあいいきいきサロン" * 3
    message = render([Reply("場所は？", choices=(Choice(label, "r7"),))])
    [button] = buttons(message)
    assert len(button["text"]["text"]) == 75 and button["text"]["text"].endswith("…")
    assert label.startswith(button["text"]["text"][:-1])
    assert button["value"] == "r7"


def test_a_choice_slack_cannot_carry_is_refused_loudly():
    with pytest.raises(ValueError):
        render_message([Reply("?", choices=(Choice("長い", "x" * 2001),))], in_shared_channel=False)
    with pytest.raises(ValueError):
        render_message([Reply("?", choices=(Choice(" ", "x"),))], in_shared_channel=False)


def test_a_card_is_a_header_and_label_value_fields_with_a_dash_for_blanks():
    message = render([Reply("この内容で保存しますか？", choices=CONFIRM, card=VISIT_CARD)])
    assert kinds(message) == ["header", "section", "section", "actions"]
    assert message["blocks"][0]["text"]["text"] == "訪問記録（下書き）"
    fields = [field["text"] for field in message["blocks"][1]["fields"]]
    assert fields == [
        "*日付*\n11月23日（月）",
        "*場所*\n本町公民館",
        "*目的*\nサロン見学",
        "*メモ*\n—",
    ]
    assert message["text"].startswith("【訪問記録（下書き）】\n日付: 11月23日（月）")


def test_a_card_with_many_rows_spreads_them_ten_to_a_section():
    rows = tuple((f"項目{n}", f"内容{n}") for n in range(1, 24))
    message = render([Reply("", card=Card("活動記録 #42", rows))])
    assert kinds(message) == ["header", "section", "section", "section"]
    assert [len(block.get("fields", [])) for block in message["blocks"]] == [0, 10, 10, 3]
    assert texts(message)[-1] == "*項目23*\n内容23"


def test_long_card_titles_and_values_are_cut_to_fit():
    card = Card("サロン" * 60, (("メモ", "あ" * 2500),))
    message = render([Reply("", card=card)])
    assert len(message["blocks"][0]["text"]["text"]) == 150
    assert len(message["blocks"][1]["fields"][0]["text"]) == 2000


def test_nobody_can_be_pinged_or_linked_through_what_users_wrote():
    card = Card("メモ <!channel>", (("相手", "<@U123> & <!here|here>"),))
    message = render([Reply("<!everyone> 集まって", card=card)])
    [field] = message["blocks"][1]["fields"]
    assert field == {
        "type": "mrkdwn",
        "text": "*相手*\n&lt;@U123&gt; &amp; &lt;!here|here&gt;",
        "verbatim": True,
    }
    assert message["blocks"][0]["text"]["type"] == "plain_text"
    assert message["blocks"][2]["text"] == {"type": "plain_text", "text": "<!everyone> 集まって"}
    assert "<" not in message["text"]


def test_long_japanese_text_is_split_at_line_breaks_into_sections():
    text = "\n".join(f"{n}. {SHUTTERS}" for n in range(1, 300))
    message = render([Reply(text)])
    sections = texts(message)
    assert len(sections) > 1 and all(len(s) <= 3000 for s in sections)
    assert "\n".join(sections) == text


def test_one_line_longer_than_a_section_is_cut_into_pieces():
    text = "あ" * 7000
    message = render([Reply(text)])
    assert [len(s) for s in texts(message)] == [3000, 3000, 1000]


def test_many_replies_merge_the_oldest_into_one_text_and_keep_the_last_whole():
    older = [Reply(f"つぶやき #{n}: {SHUTTERS}", choices=CONFIRM) for n in range(1, 60)]
    last = Reply("この内容で保存しますか？", choices=CONFIRM, card=VISIT_CARD)
    message = render([*older, last])
    assert kinds(message)[-4:] == ["header", "section", "section", "actions"]
    assert buttons(message)[0]["style"] == "primary"
    shown = "\n".join(texts(message))
    assert "つぶやき #1:" in shown and "つぶやき #59:" in shown


def test_text_beyond_fifty_blocks_is_cut_with_a_note_and_the_choices_stay():
    text = "あ" * 200_000
    message = render([Reply(text, choices=CONFIRM)])
    assert kinds(message)[-2:] == ["section", "actions"]
    assert texts(message)[-4] == "…（続きは省略）"
    assert len(message["text"]) == 40_000


def test_restricted_replies_are_answered_ephemerally_in_a_shared_channel():
    replies = [PRIVATE, Reply("ほかに記録しますか？")]
    assert needs_ephemeral(replies, in_shared_channel=True)
    assert not needs_ephemeral(replies, in_shared_channel=False)
    assert not needs_ephemeral([Reply("ほかに記録しますか？")], in_shared_channel=True)


def test_restricted_content_never_appears_in_a_message_the_whole_channel_sees():
    replies = [PRIVATE, Reply("ほかに記録しますか？")]
    public = render(replies, shared=True)
    assert texts(public) == ["この内容は共有チャンネルには表示しません。", "ほかに記録しますか？"]
    assert SHUTTERS not in public["text"]
    english = render(replies, shared=True, lang="en")
    assert texts(english)[0] == "This content is not shown in shared channels."
    ephemeral = render(replies, shared=False)
    assert SHUTTERS in texts(ephemeral)[0] and SHUTTERS in ephemeral["text"]
