"""訪問: the guided visit record, from the first question to the rows in the store."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from storage.activities import get_activity, list_open_leads
from storage.audit import list_audit
from storage.db import session_scope
from storage.members import get_area, get_municipality
from storage.models import Activity, Category, Lead, Murmur, MurmurCategory
from storage.murmurs import murmur_category_codes
from storage.resources import add_resource

SALON = "地域ふれあいサロン「きらり」"


def visit_answers(
    *,
    date: str = "今日",
    area: str = "中央圏域",
    place: str = "本町集会所",
    purpose: str = "宝物さがし",
    duration: str = "1時間",
    participants: str = "10",
    companions: tuple[str, ...] = ("なし",),
    counterpart: str = "スキップ",
    treasures: str = "なし",
    murmurs: tuple[str, ...] = ("なし",),
    leads: str = "なし",
    kubun: str = "把握",
    outcome: str = "スキップ",
) -> list[str]:
    """Return the answers of a whole visit, up to the confirmation."""
    return [
        "訪問", date, area, place, purpose, duration, participants, *companions,
        counterpart, treasures, *murmurs, leads, kubun, outcome,
    ]  # fmt: skip


def send_all(chat, answers: list[str]) -> str:
    """Send every answer in turn and return the last reply."""
    reply = ""
    for answer in answers:
        reply = chat.send(answer)
    return reply


def add_salon(world, name: str = SALON, area: str = "本町自治会") -> int:
    """Add a known resource to あおば市 and return its number."""
    with session_scope(world.engine) as s:
        municipality_id = get_municipality(s, name="あおば市").id
        area_id = get_area(s, municipality_id=municipality_id, name=area).id
        resource = add_resource(
            s, municipality_id=municipality_id, name=name, area_id=area_id, now=world.clock.now()
        )
        return resource.number


def card_rows(chat) -> dict[str, str]:
    """Return the rows of the confirmation card in the last replies."""
    cards = [r.card for r in chat.replies if r.card is not None]
    assert cards, "no confirmation card in the last reply"
    return dict(cards[-1].rows)


def only_activity(world) -> Activity:
    with session_scope(world.engine) as s:
        return s.exec(select(Activity)).one()


def test_a_whole_visit_picked_by_numbers_is_stored_with_its_murmurs_and_leads(world):
    add_salon(world)  # record #1
    chat = world.chat("sato", "あおば市")
    send_all(chat, ["訪問", "2", "3"])  # yesterday, 本町自治会
    assert chat.choices == [SALON]
    reply = send_all(
        chat, ["1", "1", "3", "15", "2,4", "きらり 世話役", "手芸の得意な参加者が多い"]
    )
    assert "聞いたつぶやきを1つずつ" in reply
    chat.send("スーパーが遠くて買い物が大変")
    kind = chat.choices[0].removesuffix("（おすすめ）")
    chat.send("1")
    category = chat.choices[0]
    assert "つぶやき1件を記録中" in chat.send("1")
    chat.send("バスが減って病院に行きにくい")
    second_kind = chat.choices[2]  # not the suggested one
    send_all(chat, ["3", "1"])
    reply = send_all(
        chat, ["おわり", "郡山のラジオ体操、角の喫茶店", "1", "次回は写真を撮らせてもらう"]
    )
    rows = card_rows(chat)
    assert rows["日付"] == "2026年11月22日（日）"
    assert rows["エリア"] == "本町自治会"
    assert rows["場所"] == f"{SALON}（1回目の訪問）"
    assert rows["目的"] == "宝物さがし"
    assert rows["時間"] == "1時間30分"
    assert rows["参加者"] == "約15人"
    assert rows["同行者"] == "社協地区担当、民生委員"
    assert rows["相手方"] == "きらり 世話役"
    assert rows["宝物"] == "手芸の得意な参加者が多い"
    assert rows["つぶやき1"] == f"スーパーが遠くて買い物が大変〔{kind}・{category}〕"
    assert rows["つぶやき2"].startswith("バスが減って病院に行きにくい〔")
    assert rows["次の訪問先"] == "郡山のラジオ体操、角の喫茶店"
    assert rows["活動区分"] == "把握（①）"
    assert rows["成果"] == "次回は写真を撮らせてもらう"
    assert "保存しますか" in reply

    assert chat.send("1") == "訪問記録 #2 を記録しました（つぶやき #3, #4、次の訪問先 #5, #6）"
    with session_scope(world.engine) as s:
        activity = s.exec(select(Activity)).one()
        assert activity.number == 2 and activity.activity_type == "訪問"
        assert activity.occurred_on == date(2026, 11, 22)
        assert activity.place_label == SALON and activity.resource_id is not None
        assert activity.visit_ordinal == 1
        assert (activity.purpose, activity.duration_min, activity.participants_count) == (
            "宝物さがし",
            90,
            15,
        )
        assert activity.companions == ["社協地区担当", "民生委員"]
        assert activity.counterpart == "きらり 世話役"
        assert activity.treasures == "手芸の得意な参加者が多い"
        assert (activity.kubun, activity.outcome) == ("把握", "次回は写真を撮らせてもらう")
        murmurs = s.exec(select(Murmur).order_by(Murmur.number)).all()
        assert [m.number for m in murmurs] == [3, 4]
        assert all(m.activity_id == activity.id for m in murmurs)
        assert all(
            m.captured_on == date(2026, 11, 22) and m.area_id == activity.area_id for m in murmurs
        )
        assert (murmurs[0].kind, murmurs[1].kind) == (kind, second_kind)
        primary = murmur_category_codes(s, murmur_id=murmurs[0].id)[0]
        assert s.get(Category, primary).label_ja == category
        assert all(murmur_category_codes(s, murmur_id=m.id) for m in murmurs)
        leads = s.exec(select(Lead).order_by(Lead.number)).all()
        assert [(lead.number, lead.label) for lead in leads] == [
            (5, "郡山のラジオ体操"),
            (6, "角の喫茶店"),
        ]
        assert all(lead.activity_id == activity.id and lead.status == "未訪問" for lead in leads)
        open_leads = list_open_leads(s, municipality_id=activity.municipality_id)
        assert [lead.label for lead in open_leads] == ["郡山のラジオ体操", "角の喫茶店"]
        audit = list_audit(s, action="activity.create")
        assert [a.target for a in audit] == ["activity:2"]
        assert "手芸" not in str(audit[0].detail)


def test_a_whole_visit_answered_in_words(world):
    chat = world.chat("sato", "あおば市")
    answers = visit_answers(
        place="本町集会所",
        purpose="あいさつ",
        duration="30分",
        participants="スキップ",
        companions=("民生委員", "自治会長", "完了"),
    )
    send_all(chat, answers[:-2])
    assert chat.choices[0] == "ネットワーク構築（②③）（おすすめ）"  # fits あいさつ
    send_all(chat, ["ネットワーク構築", "スキップ"])
    assert chat.send("保存") == "訪問記録 #1 を記録しました"
    activity = only_activity(world)
    assert activity.place_label == "本町集会所" and activity.resource_id is None
    assert activity.visit_ordinal is None and activity.participants_count is None
    assert activity.companions == ["民生委員", "自治会長"]
    assert (activity.purpose, activity.duration_min, activity.kubun) == (
        "あいさつ",
        30,
        "ネットワーク構築",
    )
    assert (activity.treasures, activity.counterpart, activity.outcome) == (None, None, None)
    with session_scope(world.engine) as s:
        assert s.exec(select(Murmur)).all() == [] and s.exec(select(Lead)).all() == []


def test_known_resources_nearby_are_offered_and_visits_to_them_are_counted(world):
    add_salon(world)
    add_salon(world, "北山いきいき百歳体操", area="北山自治会")
    chat = world.chat("sato", "あおば市")
    send_all(chat, ["訪問", "今日", "中央圏域"])
    assert chat.choices == [SALON]  # in a child area of 中央圏域; 北山 is elsewhere
    send_all(chat, visit_answers(area="中央圏域", place="1")[3:])
    chat.send("保存")

    send_all(chat, visit_answers(area="本町自治会", place=SALON))  # typed by name
    assert card_rows(chat)["場所"] == f"{SALON}（2回目の訪問）"
    chat.send("保存")
    with session_scope(world.engine) as s:
        visits = s.exec(select(Activity).order_by(Activity.number)).all()
        assert [v.visit_ordinal for v in visits] == [1, 2]
        assert visits[0].resource_id == visits[1].resource_id is not None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("昨日", date(2026, 11, 22)), ("11/20", date(2026, 11, 20)), ("2", date(2026, 11, 22))],
)
def test_visit_dates_are_stored_as_meant(world, typed, stored):
    chat = world.chat("sato", "あおば市")
    send_all(chat, visit_answers(date=typed))
    chat.send("保存")
    assert only_activity(world).occurred_on == stored


def test_fixing_a_field_from_the_confirmation_returns_to_the_confirmation(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, visit_answers())
    chat.send("修正する")
    assert "場所" in chat.choices and "つぶやき" in chat.choices and len(chat.choices) == 13
    chat.send("場所")
    reply = chat.send("栄町公民館")
    assert "保存しますか" in reply and card_rows(chat)["場所"] == "栄町公民館"

    send_all(chat, ["修正する", "日付", "11/20"])
    assert card_rows(chat)["日付"] == "2026年11月20日（金）"
    send_all(chat, ["修正する", "つぶやき", "移動販売が来なくなって困っている", "1"])
    assert "つぶやき1件を記録中" in chat.send("1")
    reply = chat.send("おわり")
    assert "保存しますか" in reply and card_rows(chat)["つぶやき1"].startswith(
        "移動販売が来なくなって"
    )
    assert chat.send("保存") == "訪問記録 #1 を記録しました（つぶやき #2）"
    activity = only_activity(world)
    assert (activity.place_label, activity.occurred_on) == ("栄町公民館", date(2026, 11, 20))
    with session_scope(world.engine) as s:
        assert s.exec(select(Murmur)).one().captured_on == date(2026, 11, 20)


def test_wrong_answers_are_asked_again_with_a_clear_message(world):
    chat = world.chat("sato", "あおば市")
    chat.send("訪問")
    for wrong in ("来週", "2026-12-01", "2024-11-20"):
        reply = chat.send(wrong)
        assert "日付がわかりませんでした" in reply and "いつの訪問ですか" in reply
    chat.send("今日")
    reply = chat.send("9")
    assert "1〜5の番号で選んでください" in reply and "どのエリアですか" in reply
    send_all(chat, ["中央圏域", "本町集会所"])
    reply = chat.send("12")
    assert "1〜9の番号で選んでください" in reply and "訪問の目的は" in reply
    reply = chat.send("散歩")
    assert "目的を一覧から" in reply
    send_all(chat, ["宝物さがし"])
    assert "時間がわかりませんでした" in chat.send("長め")
    assert "1〜5の番号で選んでください" in chat.send("7")
    chat.send("1時間")
    reply = chat.send("たくさん")
    assert "人数は数字で送ってください" in reply and "参加者は何人くらい" in reply
    chat.send("約20人")
    assert "1〜9の番号で選んでください" in chat.send("2,12")
    assert "相手方" in chat.send("なし")
    with session_scope(world.engine) as s:
        assert s.exec(select(Activity)).all() == []


def test_any_category_can_be_picked_from_the_full_list(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, visit_answers(murmurs=())[:-3])
    send_all(chat, ["手芸を教えられる人がいる", "宝物"])
    assert chat.choices[-1] == "ほかのカテゴリ"
    reply = chat.send("ほかのカテゴリ")
    assert "カテゴリの一覧です" in reply and len(chat.choices) == 24
    assert "1〜24の番号で選んでください" in chat.send("25")
    send_all(chat, ["多世代交流・子ども・子育て", "おわり", "なし", "把握", "スキップ", "保存"])
    with session_scope(world.engine) as s:
        murmur = s.exec(select(Murmur)).one()
        assert murmur.kind == "宝物"
        assert murmur_category_codes(s, murmur_id=murmur.id) == ["intergenerational"]


def test_the_last_murmur_can_be_taken_back(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, visit_answers(murmurs=())[:-3])
    send_all(chat, ["買い物が大変", "1", "1", "ゴミ出しがつらい", "1", "1"])
    assert "最後のつぶやきを取り消しました" in chat.send("最後のつぶやきを取り消す")
    assert "つぶやき1件を記録中" in chat.replies[-1].text
    send_all(chat, ["おわり", "なし", "把握", "スキップ"])
    assert "つぶやき2" not in card_rows(chat)
    assert chat.send("保存") == "訪問記録 #1 を記録しました（つぶやき #2）"


def test_a_murmur_with_a_name_is_offered_masked(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, visit_answers(murmurs=())[:-3])
    reply = chat.send("田中さんが最近買い物に行けていない")
    assert "伏せた版" in reply and "田中" not in reply.split("伏せた版")[1].split("」")[0]
    send_all(chat, ["伏せた版で記録", "1", "1", "おわり", "なし", "把握", "スキップ"])
    assert "田中" not in card_rows(chat)["つぶやき1"]
    chat.send("保存")
    with session_scope(world.engine) as s:
        murmur = s.exec(select(Murmur)).one()
        assert "田中" not in murmur.text and murmur.pii_masked


def test_the_reply_names_restricted_murmurs(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, visit_answers(murmurs=())[:-3])
    send_all(
        chat,
        [
            "向かいの人が認知症で息子と二人暮らし",
            "気になる人",
            "1",
            "おわり",
            "なし",
            "把握",
            "スキップ",
        ],
    )
    assert "〔限定〕" in card_rows(chat)["つぶやき1"]
    reply = chat.send("保存")
    assert "つぶやき #2 は" in reply and "限定" in reply and "地域包括支援センター" in reply
    with session_scope(world.engine) as s:
        assert s.exec(select(Murmur)).one().sharing_scope == "restricted_individual"


def test_an_officer_cannot_record_visits(world):
    chat = world.chat("ito", "あおば市", role="officer")
    assert "役割では使えません" in chat.send("訪問")


def test_editing_a_visit_updates_it_and_keeps_its_murmurs(world):
    chat = world.chat("sato", "あおば市")
    send_all(chat, visit_answers(murmurs=("スーパーが遠い", "1", "1", "おわり")))
    chat.send("保存")
    reply = chat.send("修正 #1")
    assert (
        "訪問記録 #1（修正）" in reply
        and card_rows(chat)["つぶやき（保存済み）"] == "#2 スーパーが遠い"
    )
    send_all(chat, ["修正する", "成果", "サロンの代表に協議体を紹介した"])
    assert chat.send("保存").startswith("訪問記録 #1 を修正しました")
    with session_scope(world.engine) as s:
        activity = get_activity(s, municipality_id=activity_municipality(world), number=1)
        assert activity is not None and activity.outcome == "サロンの代表に協議体を紹介した"
        assert len(s.exec(select(Murmur)).all()) == 1
        assert len(s.exec(select(MurmurCategory)).all()) >= 1
        assert [a.target for a in list_audit(s, action="activity.edit")] == ["activity:1"]


def activity_municipality(world) -> int:
    with session_scope(world.engine) as s:
        return get_municipality(s, name="あおば市").id


def test_an_english_member_records_a_visit_in_english(world):
    from conftest import Chat

    chat = Chat(world.bot, "emma")
    chat.send(f"register {world.invite('あおば市')}")
    assert "When was it?" in chat.send("visit")
    send_all(chat, ["yesterday", "中央圏域", "community hall", "Courtesy visit", "90", "skip"])
    send_all(chat, ["Welfare commissioner", "Done", "skip", "none"])
    send_all(
        chat, ["The bus comes only twice a day", "1", "1", "Done", "none", "Networking", "skip"]
    )
    rows = card_rows(chat)
    assert rows["Date"] == "Sun 2026/11/22" and rows["Purpose"] == "Courtesy visit"
    assert rows["Duration"] == "1 h 30 min" and rows["Companions"] == "Welfare commissioner"
    assert rows["Activity category"] == "Networking (②③)"
    assert chat.send("Save") == "Visit record #1 saved (murmurs #2)"
    activity = only_activity(world)
    assert (activity.purpose, activity.companions, activity.kubun) == (
        "あいさつ",
        ["民生委員"],
        "ネットワーク構築",
    )
