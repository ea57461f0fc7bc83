"""活動: the quick record of the work that is not a visit (meetings, phone work, desk work…)."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from storage.audit import list_audit
from storage.db import session_scope
from storage.models import Activity


def send_all(chat, answers: list[str]) -> str:
    """Send every answer in turn and return the last reply."""
    reply = ""
    for answer in answers:
        reply = chat.send(answer)
    return reply


def card_rows(chat) -> dict[str, str]:
    cards = [r.card for r in chat.replies if r.card is not None]
    assert cards, "no confirmation card in the last reply"
    return dict(cards[-1].rows)


def only_activity(world) -> Activity:
    with session_scope(world.engine) as s:
        return s.exec(select(Activity)).one()


def test_an_activity_picked_by_numbers(world):
    chat = world.chat("sato", "あおば市")
    reply = chat.send("活動")
    assert "どんな活動" in reply
    assert chat.choices == ["会議・集まり参加", "電話・調査", "来所相談", "研修", "事務"]
    send_all(chat, ["2", "1", "1"])  # 電話・調査, today, 30 min
    assert chat.choices[0] == "把握（①）（おすすめ）"  # what phone surveys usually are
    reply = send_all(chat, ["1", "1", "通いの場5か所の活動状況を確認した"])
    assert "保存しますか" in reply
    assert card_rows(chat) == {
        "種別": "電話・調査",
        "日付": "2026年11月23日（月）",
        "時間": "30分",
        "活動区分": "把握（①）",
        "相手方": "なし",
        "成果": "通いの場5か所の活動状況を確認した",
    }
    assert chat.send("1") == "活動記録 #1 を記録しました。"
    activity = only_activity(world)
    assert (activity.activity_type, activity.occurred_on, activity.duration_min) == (
        "電話・調査",
        date(2026, 11, 23),
        30,
    )
    assert (activity.kubun, activity.counterpart) == ("把握", None)
    assert activity.outcome == "通いの場5か所の活動状況を確認した"
    assert activity.place_label is None and activity.purpose is None
    with session_scope(world.engine) as s:
        assert [a.target for a in list_audit(s, action="activity.create")] == ["activity:1"]


def test_an_activity_answered_in_words_and_fixed_before_saving(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, ["活動", "研修", "11/20", "3時間", "資源開発", "県社会福祉協議会", "スキップ"])
    assert card_rows(chat)["活動区分"] == "資源開発（⑤）"
    send_all(chat, ["修正する", "時間"])
    reply = chat.send("2時間半")
    assert "保存しますか" in reply and card_rows(chat)["時間"] == "2時間30分"
    assert chat.send("保存") == "活動記録 #1 を記録しました。"
    activity = only_activity(world)
    assert (activity.activity_type, activity.occurred_on) == ("研修", date(2026, 11, 20))
    assert (activity.duration_min, activity.kubun) == (150, "資源開発")
    assert (activity.counterpart, activity.outcome) == ("県社会福祉協議会", None)


def test_each_kubun_shows_the_coordinate_functions_it_maps_to(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, ["活動", "会議・集まり参加", "今日", "1時間"])
    assert chat.choices == [
        "ネットワーク構築（②③）（おすすめ）",
        "把握（①）",
        "資源開発（⑤）",
        "マッチング（⑥）",
        "協議体運営（③④）",
    ]


def test_wrong_answers_in_an_activity_are_asked_again(world):
    chat = world.chat("sato", "あおば市")
    chat.send("活動")
    reply = chat.send("散歩")
    assert "活動の種別を一覧から" in reply and "どんな活動" in reply
    assert "1〜5の番号で選んでください" in chat.send("6")
    chat.send("事務")
    assert "日付がわかりませんでした" in chat.send("あさって")
    chat.send("昨日")
    assert "時間がわかりませんでした" in chat.send("少し")
    chat.send("45分")
    assert "活動区分は一覧から" in chat.send("広報")
    chat.send("把握")
    assert "個人の名前・電話番号・住所は記録しません" in chat.send("田中さん")
    assert "相手方" in chat.replies[-1].text
    send_all(chat, ["スキップ", "スキップ"])
    assert "「保存」か「修正する」を選んでください" in chat.send("たぶん")
    assert chat.send("保存") == "活動記録 #1 を記録しました。"
    assert only_activity(world).duration_min == 45


def test_editing_an_activity_updates_the_same_record(world):
    chat = world.chat("sato", "あおば市")
    send_all(
        chat, ["活動", "来所相談", "今日", "30分", "マッチング", "スキップ", "スキップ", "保存"]
    )
    reply = chat.send("修正 #1")
    assert "活動記録 #1（修正）" in reply
    send_all(chat, ["修正する", "成果", "担い手の登録につないだ"])
    assert chat.send("保存") == "活動記録 #1 を修正しました。"
    activity = only_activity(world)
    assert (activity.number, activity.outcome) == (1, "担い手の登録につないだ")
    with session_scope(world.engine) as s:
        assert [a.target for a in list_audit(s, action="activity.edit")] == ["activity:1"]


def test_an_english_member_gets_english_questions(world):
    from conftest import Chat

    chat = Chat(world.bot, "emma")
    assert "Registered" in chat.send(f"register {world.invite('あおば市')}")
    assert "What kind of work" in chat.send("activity")
    send_all(chat, ["Training", "yesterday", "90"])
    assert chat.choices[0] == "Resource development (⑤) (suggested)"
    send_all(chat, ["1", "skip", "skip"])
    assert card_rows(chat)["Duration"] == "1 h 30 min"
    assert chat.send("Save") == "Activity record #1 saved."
