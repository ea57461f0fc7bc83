"""Murmur kinds and categories suggested from text: DOMAIN.md §9 and 表記ゆれ."""

from __future__ import annotations

import pytest

from bot.classify import MURMUR_KINDS, suggest_categories, suggest_kind
from storage.categories import TAXONOMY

# DOMAIN.md §9: every example with its documented primary category (M1–M17 murmurs, V18–V20 visits).
EXAMPLES = [
    ("膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ", "shopping"),
    ("免許を返したら、病院に行くのにバスが日に2本しかないのよ", "mobility"),
    ("ゴミの日の朝、集積所までの坂を下りるのが怖くて", "garbage"),
    ("ゴミくらいなら、うちの分と一緒に出してあげられるんだけどね。頼まれたらだけど", "garbage"),
    ("向かいの一人暮らしの人、このところ雨戸が閉まったままで気になってる", "watching"),
    ("公民館は遠くて行けないけど、そこの商店の奥なら集まれると思うの", "ibasho"),
    ("一人だとご飯つくる気にならん。誰かと食べたらおいしいのにね", "meals"),
    ("庭の草が伸び放題で、ご近所に迷惑かけてないか気がかりで", "yard"),
    ("台所の電球が切れたまま。脚立に上るのはもう無理だわ", "repairs"),
    ("男の人が気軽に寄れる所がないよね。碁でも打てたらいいのに", "ibasho"),
    ("畑のビニール張りさえ手伝ってもらえたら、まだ野菜はつくれるんだけど", "farming"),
    ("お孫さんが学校から帰るとおばあちゃんの世話をしてるらしいって聞いたよ", "care_carers"),
    (
        "最近、物忘れが増えた母のこと、村のどこに相談すればいいのか、離れて暮らす息子が困ってる",
        "dementia",
    ),
    ("この前、『息子だけど』って電話がかかってきて、びっくりしたのよ", "safety"),
    ("サロンの世話役がもう85で、次にやってくれる人がいないのが心配", "helpers_groups"),
    ("定年したけど、午前中の2時間くらいなら何か手伝えるよ", "roles_work"),
    ("冬になると灯油のポリタンクを運ぶのがきつい", "housework"),
    (
        "○○集会所サロン（週1・水曜）2回目の訪問。参加14名、うち男性2名。体操のあと茶話会、"
        "手作りの漬物をごちそうになる。写真撮影の了承あり。参加者から、毎朝公園でラジオ体操を"
        "しているグループがあると聞いた → 次回見学の約束。",
        "ibasho",
    ),
    (
        "火曜13時半に来る移動販売車の前で、買い物のあと5〜6人が立ち話。休んだ人がいると誰かが"
        "様子を見に行っているとのこと。移動販売の事業者にも協議体への参加を打診してみる。",
        "shopping",
    ),
    (
        "自治会長に同行してもらい△△地区の役員会にあいさつ。説明チラシを配布。"
        "『男の料理教室ならやってみたい』との声あり。来月の定例連絡会で報告。",
        "hobbies_learning",
    ),
]


@pytest.mark.parametrize(("text", "primary"), EXAMPLES, ids=[f"#{i}" for i in range(1, 21)])
def test_domain_examples_get_their_primary_category(text, primary):
    assert suggest_categories(text)[0] == primary


@pytest.mark.parametrize(
    ("number", "secondary"),
    [
        (1, "mobility"),
        (2, "medical"),
        (7, "companionship"),
        (10, "hobbies_learning"),
        (13, "info_consult"),
    ],
)
def test_domain_examples_keep_their_other_labels(number, secondary):
    assert secondary in suggest_categories(EXAMPLES[number - 1][0])


@pytest.mark.parametrize(
    ("number", "kind"),
    [
        (4, "担い手の申し出"),
        (16, "担い手の申し出"),
        (5, "気になる人"),
        (12, "気になる人"),
        (6, "願い"),
        (7, "願い"),
        (10, "願い"),
        (1, "困りごと"),
        (3, "困りごと"),
        (11, "困りごと"),
        (15, "困りごと"),
        (18, "宝物"),
        (20, "願い"),
    ],
)
def test_domain_examples_get_their_kind(number, kind):
    assert suggest_kind(EXAMPLES[number - 1][0]) == kind


@pytest.mark.parametrize(
    ("text", "primary"),
    [
        ("買物が大変", "shopping"),  # okurigana left out
        ("買い物が大変", "shopping"),
        ("かいものが大変", "shopping"),  # hiragana
        ("カイモノに行けない", "shopping"),  # katakana
        ("買い物代行があれば", "shopping"),  # okurigana added to a listed 買物代行
        ("スｰパｰが遠い", "shopping"),  # half-width long-vowel mark
        ("ス－パ－が遠い", "shopping"),  # full-width hyphen for ー
        ("す〜ぱ〜が遠い", "shopping"),  # wave dash for ー, hiragana
        ("ＳＵＰＥＲじゃなくて　スーパー", "shopping"),  # full-width letters and space
        ("ごみ出しがつらい", "garbage"),
        ("ゴミ出しがつらい", "garbage"),
        ("ゴミだしがつらい", "garbage"),
        ("雪かきが大変で", "yard"),  # PRACTICE.md Part 2: 除雪 as a regional item
        ("除雪を頼めたら", "yard"),
        ("草刈が大変", "yard"),
        ("ご飯を一緒に", "meals"),
        ("ごはんを一緒に", "meals"),
        ("御飯を一緒に", "meals"),
        ("物わすれがひどい", "dementia"),
        ("もの忘れがひどい", "dementia"),
        ("世話役が高齢で、次がいない", "helpers_groups"),  # 世話役 is not 世話 (care)
        ("移動販売が来なくなった", "shopping"),  # 移動販売 is not 移動 (mobility)
    ],
)
def test_spelling_variants_are_tolerated(text, primary):
    assert suggest_categories(text)[0] == primary


@pytest.mark.parametrize(
    "text",
    ["家庭の事情で", "家の事情で", "手紙を飛ばす話", "今日はいい天気", ""],
)
def test_words_that_only_look_like_keywords_do_not_count(text):
    assert suggest_categories(text) == ["other"]


def test_suggestions_are_limited_and_distinct():
    text = "買い物も通院もゴミ出しも草刈りも大変"
    assert len(suggest_categories(text)) == 3
    assert len(suggest_categories(text, limit=5)) == 4
    assert len(set(suggest_categories(text, limit=5))) == 4


def test_colloquial_difficulty_is_a_difficulty():
    assert suggest_kind("最近ゴミ出しがしんどい") == "困りごと"


def test_question_is_not_a_wish():
    assert suggest_kind("どこに相談すればいいのか、どうしたらいいのかわからない") == "困りごと"


def test_taxonomy_has_the_24_codes_in_table_order():
    codes = [c.code for c in TAXONOMY]
    assert len(codes) == 24 and codes[0] == "shopping" and codes[-1] == "other"
    assert len(set(codes)) == 24
    assert all(c.keywords for c in TAXONOMY[:-1])


def test_kinds_are_the_six_of_the_domain():
    assert MURMUR_KINDS == ("困りごと", "願い", "宝物", "担い手の申し出", "気になる人", "意見")


@pytest.mark.parametrize("text", ["店が遠くて買い物が大変", "お店が遠くて重い物が買えない"])
def test_conjugated_shop_is_far_is_shopping(text):
    assert suggest_categories(text)[0] == "shopping"
