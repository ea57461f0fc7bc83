"""つぶやき: one-message and guided murmurs, confirmation changes, PII masking, restriction."""

from __future__ import annotations

from sqlmodel import select

from storage.db import session_scope
from storage.members import get_area, get_municipality
from storage.models import AuditLog, Murmur, SharingScope
from storage.murmurs import get_murmur, murmur_category_codes

KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"
SHUTTERS = "向かいの一人暮らしの人、このところ雨戸が閉まったままで気になってる"
EATING_ALONE = "一人だとご飯つくる気にならん。誰かと食べたらおいしいのにね"


def stored(world, number: int) -> tuple[Murmur, list[str]]:
    """Return murmur #number of あおば市 and its category codes."""
    with session_scope(world.engine) as s:
        municipality = get_municipality(s, name="あおば市")
        assert municipality.id is not None
        murmur = get_murmur(s, municipality_id=municipality.id, number=number)
        assert murmur is not None and murmur.id is not None
        s.expunge(murmur)
        return murmur, murmur_category_codes(s, murmur_id=murmur.id)


def area_id(world, name: str) -> int | None:
    with session_scope(world.engine) as s:
        municipality = get_municipality(s, name="あおば市")
        assert municipality.id is not None
        return get_area(s, municipality_id=municipality.id, name=name).id


def murmur_count(world) -> int:
    with session_scope(world.engine) as s:
        return len(s.exec(select(Murmur)).all())


def test_one_message_murmur_is_saved_with_number_and_categories(world):
    chat = world.chat("sato", "あおば市")
    reply = chat.send(f"つぶやき {KNEE}")
    assert "【つぶやき】" in reply
    assert "カテゴリ: 買い物、移動・外出（交通）" in reply
    assert "種類: 困りごと" in reply
    assert "エリア: 中央圏域" in reply  # the member's own area
    assert chat.choices == [
        "保存",
        "種類を変える",
        "カテゴリを変える",
        "エリアを変える",
        "本文を直す",
    ]

    assert "つぶやき #1 を記録しました" in chat.send("保存")
    murmur, categories = stored(world, 1)
    assert murmur.text == KNEE
    assert murmur.kind == "困りごと"
    assert categories == ["shopping", "mobility"]
    assert murmur.area_id == area_id(world, "中央圏域")
    assert murmur.sharing_scope == SharingScope.TEAM.value


def test_murmur_numbers_follow_each_other(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    assert "#1 を" in chat.send("1")
    chat.send("murmur 台所の電球が切れたまま。脚立に上るのはもう無理だわ")
    assert "#2 を" in chat.send("1")
    assert stored(world, 2)[1] == ["repairs"]


def test_guided_murmur_asks_kind_category_and_area(world):
    chat = world.chat("sato", "あおば市")
    assert "内容を送ってください" in chat.send("つぶやき")
    assert "どんな種類" in chat.send(EATING_ALONE)
    assert chat.choices[0] == "願い（おすすめ）"
    chat.send("1")
    assert "カテゴリを選んでください" in chat.replies[0].text
    assert chat.choices[:2] == ["食事・会食・配食", "話し相手・交流・孤立"]
    assert chat.choices[-1] == "ほかのカテゴリ"
    chat.send("1")
    assert "どのエリア" in chat.replies[0].text
    assert "本町自治会" in chat.choices
    reply = chat.send("本町自治会")
    assert "種類: 願い" in reply and "エリア: 本町自治会" in reply
    assert "つぶやき #1 を記録しました" in chat.send("保存")

    murmur, categories = stored(world, 1)
    assert (murmur.kind, categories) == ("願い", ["meals", "companionship"])
    assert murmur.area_id == area_id(world, "本町自治会")


def test_kind_and_category_changed_at_confirm_return_to_confirm(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    chat.send("種類を変える")
    assert chat.choices[0] == "困りごと（おすすめ）"
    reply = chat.send("宝物")
    assert "種類: 宝物" in reply and "保存しますか" in reply  # straight back to the card

    chat.send("カテゴリを変える")
    chat.send("ほかのカテゴリ")
    assert len(chat.choices) == 24 and chat.choices[-1] == "その他"
    reply = chat.send("見守り・安否確認")
    assert "カテゴリ: 見守り・安否確認" in reply and "保存しますか" in reply

    chat.send("エリアを変える")
    assert "エリア: 北部圏域" not in chat.send("栄町自治会")
    chat.send("保存")
    murmur, categories = stored(world, 1)
    assert (murmur.kind, categories) == ("宝物", ["watching"])
    assert murmur.area_id == area_id(world, "栄町自治会")


def test_picking_a_suggested_category_keeps_the_others_behind_it(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    chat.send("カテゴリを変える")
    assert chat.choices[:2] == ["買い物", "移動・外出（交通）"]
    assert "カテゴリ: 移動・外出（交通）、買い物" in chat.send("2")


def test_masked_version_is_stored_without_the_name(world):
    chat = world.chat("sato", "あおば市")
    reply = chat.send("つぶやき 田中さんが買い物に困っている。電話は090-1234-5678")
    assert "名前・電話番号・住所のようなもの" in reply
    assert "伏せた版:「Aさんが買い物に困っている。電話は[電話番号]」" in reply
    assert chat.choices == ["伏せた版で記録", "そのまま記録", "書き直す"]
    assert "内容: Aさんが買い物に困っている" in chat.send("伏せた版で記録")
    chat.send("保存")
    murmur, _ = stored(world, 1)
    assert "田中" not in murmur.text and "090" not in murmur.text
    assert murmur.pii_masked


def test_rewriting_asks_for_the_text_again(world):
    chat = world.chat("sato", "あおば市")
    chat.send("つぶやき 本町1-2-3の家の庭が荒れている")
    assert "内容を送ってください" in chat.send("書き直す")
    reply = chat.send("近所の空き家の庭が荒れている")
    assert "内容: 近所の空き家の庭が荒れている" in reply
    chat.send("保存")
    assert stored(world, 1)[1][0] == "yard"


def test_third_person_with_sensitive_topic_is_restricted(world):
    chat = world.chat("sato", "あおば市")
    reply = chat.send(f"つぶやき {SHUTTERS}")
    assert "種類: 気になる人" in reply
    assert "共有: 限定（記録した本人のみ）" in reply
    reply = chat.send("保存")
    assert "つぶやき #1 を記録しました" in reply
    assert "「限定」として記録しました" in reply
    assert "地域包括支援センター" in reply
    assert "チャットには書かないでください" in reply
    assert any(r.restricted for r in chat.replies)
    murmur, categories = stored(world, 1)
    assert murmur.sharing_scope == SharingScope.RESTRICTED.value
    assert categories[0] == "watching"
    assert "family" in murmur.sensitive_flags


def test_own_difficulty_is_not_restricted(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    assert "限定" not in chat.send("保存")
    assert stored(world, 1)[0].sharing_scope == SharingScope.TEAM.value


def test_wrong_answers_are_asked_again(world):
    chat = world.chat("sato", "あおば市")
    chat.send("つぶやき")
    chat.send(EATING_ALONE)
    reply = chat.send("たぶんそれ")
    assert "種類は一覧の番号か名前" in reply and "どんな種類" in reply
    chat.send("願い")  # the kind's name works as well as its number
    reply = chat.send("天気")
    assert "そのカテゴリは見つかりません" in reply and "カテゴリを選んでください" in reply
    chat.send("食事・会食・配食")
    assert "そのエリアは見つかりません" in chat.send("火星")
    chat.send("1")
    reply = chat.send("どうしよう")
    assert "一覧から番号で選んでください" in reply and "保存しますか" in reply
    assert murmur_count(world) == 0


def test_back_returns_to_the_previous_step(world):
    chat = world.chat("sato", "あおば市")
    chat.send("つぶやき")
    chat.send(EATING_ALONE)
    chat.send("1")
    assert "どんな種類" in chat.send("戻る")
    chat.send("意見")
    chat.send("1")
    chat.send("1")
    assert "種類: 意見" in chat.replies[0].plain()


def test_cancel_saves_nothing(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    assert "何も保存していません" in chat.send("キャンセル")
    assert murmur_count(world) == 0
    assert "わかりませんでした" in chat.send("保存")  # the flow is gone


def test_audit_has_the_murmur_but_not_its_text(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    chat.send("保存")
    with session_scope(world.engine) as s:
        entry = s.exec(select(AuditLog).where(AuditLog.action == "murmur.create")).one()
        assert entry.target == "murmur:1"
        assert "スーパー" not in str(entry.detail)


def test_edit_reopens_the_murmur_and_updates_it(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    chat.send("保存")
    reply = chat.send("修正 #1")
    assert "種類: 困りごと" in reply and "保存しますか" in reply
    chat.send("種類を変える")
    chat.send("願い")
    assert "つぶやき #1 を修正しました" in chat.send("保存")
    assert stored(world, 1)[0].kind == "願い"
    assert murmur_count(world) == 1
    with session_scope(world.engine) as s:
        assert s.exec(select(AuditLog).where(AuditLog.action == "murmur.edit")).one()


def test_english_member_gets_english_texts(world):
    chat = world.chat("emma")
    assert "Registered" in chat.send(f"register {world.invite('あおば市')}")
    reply = chat.send(f"murmur {KNEE}")
    assert "【Murmur】" in reply
    assert "Categories: Shopping, Mobility & transport" in reply
    assert "Kind: a difficulty" in reply
    assert chat.choices[0] == "Save"
    assert "Murmur #1 recorded" in chat.send("1")


def test_new_text_at_confirm_keeps_what_the_user_chose(world):
    chat = world.chat("sato", "あおば市")
    chat.send(f"つぶやき {KNEE}")
    chat.send("カテゴリを変える")
    chat.send("ほかのカテゴリ")
    chat.send("見守り・安否確認")
    chat.send("本文を直す")
    reply = chat.send("台所の電球が切れたまま。脚立に上るのはもう無理だわ")
    assert "内容: 台所の電球が切れたまま" in reply
    assert "カテゴリ: 見守り・安否確認" in reply  # chosen by the user: kept


def test_guided_murmur_with_a_name_is_masked_before_the_kind(world):
    chat = world.chat("sato", "あおば市")
    chat.send("つぶやき")
    assert "伏せた版:「Aさんのゴミ出しを手伝える」" in chat.send("鈴木さんのゴミ出しを手伝える")
    chat.send("1")
    assert chat.choices[0] == "担い手の申し出（おすすめ）"


def test_officers_read_but_do_not_record_murmurs(world):
    officer = world.chat("suzuki", "あおば市", role="officer", area=None)
    assert "役割では使えません" in officer.send("つぶやき 買い物が大変")
    with session_scope(world.engine) as s:
        assert s.exec(select(Murmur)).all() == []
