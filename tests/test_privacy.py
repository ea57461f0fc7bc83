"""Personal information at intake: names, phone numbers, addresses, sensitive topics, restriction."""

from __future__ import annotations

import pytest

from bot.privacy import find_pii, mask_pii, needs_restriction, sensitive_flags


def kinds(text: str) -> list[str]:
    return [f.kind for f in find_pii(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("田中さんが最近来ない", "田中さん"),
        ("山田花子さんに聞いた", "山田花子さん"),
        ("佐藤様より連絡", "佐藤様"),
        ("けんたくんが手伝ってくれた", None),  # hiragana given names are not recognised
        ("健太くんが手伝ってくれた", "健太くん"),
        ("マリアちゃんのお母さん", "マリアちゃん"),
        ("Tanakaさんから", "Tanakaさん"),
    ],
)
def test_names_with_honorifics_are_found(text, name):
    found = [f.text for f in find_pii(text) if f.kind == "name"]
    assert found == ([name] if name else [])


@pytest.mark.parametrize(
    "text",
    [
        "おばあさん、おじいさん、お母さん、お父さん、奥さん、皆さん、みなさん",
        "お孫さん、息子さん、娘さん、近所の人、お隣さん",
        "Aさんのお宅、Bさん、Ｃさん",  # placeholders are already anonymised
        "民生委員さん、自治会長さん、八百屋さん、看護師さん、ヘルパーさん",
    ],
)
def test_kinship_role_and_placeholder_words_are_not_names(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text",
    ["090-1234-5678", "0861234567", "086(123)4567", "０９０－１２３４－５６７８", "086-123-4567"],
)
def test_phone_numbers_are_found(text):
    assert kinds(f"連絡先は{text}です") == ["phone"]


@pytest.mark.parametrize("text", ["2026-11-23に", "参加14名", "3-2で勝った", "午前中の2時間"])
def test_numbers_that_are_not_phones_or_addresses(text):
    assert kinds(text) == []


@pytest.mark.parametrize(
    "text", ["〇〇町1-2-3", "本町1-2-3", "茶屋町1丁目2番3号", "北山5番地", "栄町２丁目４－５"]
)
def test_addresses_are_found(text):
    assert kinds(f"{text}に住んでいる") == ["address"]


def test_mask_replaces_names_phones_and_addresses():
    text = "田中さんと鈴木さんが本町1-2-3で会った。田中さんの電話は090-1234-5678"
    assert mask_pii(text) == "AさんとBさんが[住所]で会った。Aさんの電話は[電話番号]"


def test_mask_skips_letters_already_used_as_placeholders():
    assert mask_pii("Aさんと田中さん") == "AさんとBさん"


def test_mask_leaves_text_without_pii_alone():
    text = "近所の80代女性が、買い物が大変と言っていた"
    assert mask_pii(text) == text
    assert find_pii(text) == []


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("入院してから元気がない", "health"),
        ("骨折したらしい", "health"),
        ("病気がちで", "health"),
        ("認知症かもしれない", "dementia"),
        ("物忘れが増えた", "dementia"),
        ("夜に徘徊している", "dementia"),
        ("介護で疲れている", "care"),
        ("ヤングケアラーではないか", "care"),
        ("ダブルケアで大変", "care"),
        ("50代の息子と二人暮らし", "family"),
        ("車いすで生活している", "disability"),
        ("借金があるらしい", "money"),
        ("生活保護を受けている", "money"),
        ("詐欺の電話があった", "crime"),
        ("虐待ではないかと心配", "abuse"),
    ],
)
def test_sensitive_topics_are_flagged(text, flag):
    assert flag in sensitive_flags(text)


def test_ordinary_murmur_has_no_sensitive_flag():
    assert sensitive_flags("スーパーが遠くて買い物が大変") == []


@pytest.mark.parametrize(
    "text",
    [
        "向かいの一人暮らしの人、このところ雨戸が閉まったままで気になってる",  # §9 #5
        "お孫さんが学校から帰るとおばあちゃんの世話をしてるらしいって聞いたよ",  # §9 #12
        "最近、物忘れが増えた母のこと、村のどこに相談すればいいのか、離れて暮らす息子が困ってる",  # #13
        "田中さんが入院したらしい",
        "近所の80代女性が最近物忘れがひどい",
    ],
)
def test_third_person_with_sensitive_topic_needs_restriction(text):
    assert needs_restriction(text, "困りごと")


@pytest.mark.parametrize(
    "text",
    [
        "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ",  # §9 #1: about oneself
        "入院してから家事ができない",  # sensitive, but about the speaker
        "この前、『息子だけど』って電話がかかってきて、びっくりしたのよ",  # a third person, nothing sensitive
        "大丈夫かな、病院が遠いのよ",  # 大丈夫 is not a husband (夫)
    ],
)
def test_no_restriction_without_both_a_third_person_and_a_sensitive_topic(text):
    assert not needs_restriction(text, "困りごと")


def test_kind_person_of_concern_counts_as_a_third_person():
    assert needs_restriction("最近入院したと聞いた", "気になる人")
    assert not needs_restriction("最近入院したと聞いた", "困りごと")


def test_masking_a_bracketed_phone_keeps_the_brackets_balanced():
    assert mask_pii("田中さん(090-1234-5678)が来た") == "Aさん([電話番号])が来た"
    assert mask_pii("(086)123-4567まで") == "[電話番号]まで"
