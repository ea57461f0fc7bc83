"""The escapes every flow has: 戻る, キャンセル, ヘルプ, idle expiry — and a broken saved state."""

from __future__ import annotations

import logging

from sqlmodel import select

from storage.db import session_scope
from storage.models import Activity, ConversationState, Lead, Murmur

TO_MURMURS = [
    "訪問", "昨日", "本町自治会", "本町集会所", "宝物さがし", "1時間", "12",
    "民生委員", "完了", "サロン世話役", "手芸の得意な人",
]  # fmt: skip


def send_all(chat, answers: list[str]) -> str:
    reply = ""
    for answer in answers:
        reply = chat.send(answer)
    return reply


def card_rows(chat) -> dict[str, str]:
    cards = [r.card for r in chat.replies if r.card is not None]
    assert cards, "no confirmation card in the last reply"
    return dict(cards[-1].rows)


def saved_state(world) -> ConversationState | None:
    with session_scope(world.engine) as s:
        return s.exec(select(ConversationState)).first()


def test_back_at_the_first_step_says_it_cannot(world):
    chat = world.chat("sato", "あおば市")
    chat.send("訪問")
    reply = chat.send("戻る")
    assert "これより前には戻れません" in reply and "いつの訪問ですか" in reply


def test_back_goes_one_step_back_at_every_kind_of_step(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, ["訪問", "昨日", "本町自治会", "本町集会所"])
    assert "訪問先" in chat.send("戻る")  # from the purpose (a choice step)
    assert "どのエリア" in chat.send("戻る")  # from the place (a free-text step)
    send_all(chat, ["本町自治会", "本町集会所"])
    send_all(chat, ["宝物さがし", "1時間"])
    assert "かかった時間" in chat.send("戻る")  # from the numeric participants step
    send_all(chat, ["1時間", "12", "民生委員"])
    assert "参加者は何人" in chat.send("戻る")  # from the several-choice companions step
    send_all(chat, ["12", "民生委員", "完了", "サロン世話役", "手芸の得意な人"])
    chat.send("買い物に行けない人が多い")
    assert "聞いたつぶやき" in chat.send("戻る")  # from a murmur's kind to its text
    send_all(chat, ["買い物に行けない人が多い", "困りごと"])
    assert "どんな種類" in chat.send("戻る")  # from the category to the kind
    send_all(chat, ["困りごと", "1"])
    assert "カテゴリ" in chat.send("戻る")  # from the next murmur back into the last one
    chat.send("1")
    send_all(chat, ["おわり", "郡山の歩こう会", "把握", "スキップ"])
    assert "成果" in chat.send("戻る")  # from the confirmation
    reply = chat.send("スキップ")
    assert "保存しますか" in reply
    rows = card_rows(chat)
    assert rows["日付"] == "2026年11月22日（日）" and rows["エリア"] == "本町自治会"
    assert rows["場所"] == "本町集会所" and rows["参加者"] == "約12人"
    assert rows["同行者"] == "民生委員" and rows["宝物"] == "手芸の得意な人"
    assert rows["つぶやき1"].startswith("買い物に行けない人が多い〔困りごと")
    assert "つぶやき2" not in rows and rows["次の訪問先"] == "郡山の歩こう会"
    assert chat.send("保存") == "訪問記録 #1 を記録しました（つぶやき #2、次の訪問先 #3）"


def test_cancel_mid_flow_saves_nothing(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, [*TO_MURMURS, "買い物に行けない人が多い", "困りごと", "1", "おわり"])
    reply = chat.send("キャンセル")
    assert "取り消しました" in reply and "何も保存していません" in reply
    with session_scope(world.engine) as s:
        assert s.exec(select(Activity)).all() == []
        assert s.exec(select(Murmur)).all() == []
        assert s.exec(select(Lead)).all() == []
        assert s.exec(select(ConversationState)).all() == []
    assert "いつの訪問ですか" in chat.send("訪問")  # a new visit starts afresh


def test_help_mid_flow_explains_and_asks_the_same_step_again(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, ["訪問", "昨日", "本町自治会", "本町集会所"])
    reply = chat.send("ヘルプ")
    assert "訪問記録の入力中" in reply and "戻る" in reply and "キャンセル" in reply
    assert reply.rstrip().endswith("9. その他") and "訪問の目的は" in reply
    assert "かかった時間" in chat.send("宝物さがし")

    other = world.chat("suzuki", "あおば市")
    other.send("活動")
    assert "活動記録の入力中" in other.send("help")


def test_an_idle_flow_expires_and_the_next_message_is_a_new_command(world, clock):
    chat = world.chat("sato", "あおば市")
    send_all(chat, ["訪問", "昨日", "本町自治会"])
    clock.advance(minutes=29)
    assert "訪問の目的" in chat.send("本町集会所")  # 29 minutes is not idle enough
    clock.advance(minutes=31)
    reply = chat.send("活動")
    assert "30分間操作がなかったため破棄しました" in reply and "どんな活動" in reply
    assert saved_state(world).flow == "activity"
    with session_scope(world.engine) as s:
        assert s.exec(select(Activity)).all() == []


def test_a_saved_state_with_an_unknown_step_fails_loudly_but_politely(world, caplog):
    chat = world.chat("sato", "あおば市")
    send_all(chat, ["訪問", "昨日"])
    with session_scope(world.engine) as s:
        state = s.exec(select(ConversationState)).one()
        state.step = "no_such_step"
        s.add(state)
    with caplog.at_level(logging.ERROR):
        reply = chat.send("本町自治会")
    assert "申し訳ありません" in reply
    assert "Traceback" not in reply and "no_such_step" not in reply and "KeyError" not in reply
    assert any("no_such_step" in (r.exc_text or "") or r.exc_info for r in caplog.records)
    assert "取り消しました" in chat.send("キャンセル")  # the user can still get out
    assert saved_state(world) is None


def test_a_menu_word_mid_entry_is_not_taken_as_the_answer(world):
    sato = world.chat("sato", "あおば市")
    sato.send("訪問")
    sato.send("今日")
    sato.send("中央圏域")
    reply = sato.send("まとめ")  # a rich-menu tap at the place question
    assert "入力の途中です" in reply and "キャンセル" in reply
    assert "訪問先の名前を送ってください" in reply  # asked again, nothing recorded as the place


def test_a_button_of_a_finished_entry_says_so(world):
    sato = world.chat("sato", "あおば市")
    assert "時間切れ" in sato.send("", postback="save")
