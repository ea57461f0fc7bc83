"""The murmur and resource taxonomy (DOMAIN.md §5), kept in the `category` table.

Keywords are matched by `bot.classify` after folding (NFKC, katakana to hiragana, long-vowel
marks unified), so one spelling per kana word is enough; okurigana and kanji/kana variants
are listed where folding cannot join them (買い物/買物/買いもの, ご飯/ごはん).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage.models import Category


@dataclass(frozen=True)
class CategoryDef:
    code: str
    label_ja: str
    label_en: str
    keywords: tuple[str, ...]


def _def(code: str, label_ja: str, label_en: str, keywords: str) -> CategoryDef:
    return CategoryDef(code, label_ja, label_en, tuple(keywords.split()))


TAXONOMY: tuple[CategoryDef, ...] = (
    _def(
        "shopping",
        "買い物",
        "Shopping",
        "買い物 買物 買いもの かいもの 買い出し 買物代行 買い物代行 スーパー スーパ 店が遠い 店が遠く"
        " お店が遠い お店が遠く 重い物が買えない 店がない 店が無い お店がない 店がなくな 閉店 重くて持てない 重い荷物"
        " 移動販売 移動販売車 出張販売 買い物難民 買いもの難民 買物難民 コンビニ 生協 宅配"
        " ネットスーパー 日用品 食料品 商店街",
    ),
    _def(
        "mobility",
        "移動・外出（交通）",
        "Mobility & transport",
        "移動 移動支援 送迎 送り迎え バス バス停 タクシー 免許 免許返納 免許を返 運転できない"
        " 運転が 車がない 車が無い 車に乗せて 乗せてもらう 乗せて 歩いていけない 歩いて行けない"
        " 歩いて行く 歩いていく 坂 坂道 乗り合い 乗合 デマンド 交通 公共交通 電車 駅 足がない"
        " 外出 出かけ 出掛け 遠くて行けない 遠くて",
    ),
    _def(
        "garbage",
        "ゴミ出し",
        "Garbage disposal",
        "ゴミ ごみ ゴミ出し ごみ出し ゴミの日 ゴミステーション 集積所 ゴミ置き場 分別 粗大ゴミ"
        " 資源ゴミ 生ゴミ ゴミ袋",
    ),
    _def(
        "watching",
        "見守り・安否確認",
        "Watching over / safety checks",
        "見守り 見守る 見守って 安否確認 安否 顔を見ない 顔を見かけない 見かけない 姿を見ない"
        " 雨戸 閉まったまま 新聞がたまっ 新聞が溜まっ 郵便受け 電話に出ない 一人暮らしで心配"
        " 一人暮らし ひとり暮らし 独り暮らし 独居 孤独死 様子を見に 声かけ 声掛け 倒れて"
        " 明かりがつかない 電気がつかない",
    ),
    _def(
        "ibasho",
        "居場所・つどい場・サロン",
        "Places to gather",
        "居場所 サロン 通いの場 つどい場 集いの場 集い場 たまり場 溜まり場 カフェ お茶飲み"
        " お茶会 茶話会 集会所 公民館 行く所がない 行くところがない 行き場 男の居場所 寄れる所"
        " 寄れるところ 立ち寄れる 気軽に寄れ 集まれる 集まれ 集まる場所 集まる所 縁側 寄り合い",
    ),
    _def(
        "meals",
        "食事・会食・配食",
        "Meals",
        "食事 ご飯 ごはん 御飯 一人で食べる 食べ 配食 弁当 会食 食事会 おかず おすそ分け"
        " お裾分け 料理ができない 料理 ご飯つくる ご飯を作る 自炊 外食 食堂 子ども食堂 栄養",
    ),
    _def(
        "yard",
        "草刈り・庭・環境整備",
        "Grass cutting, yard & surroundings",
        "草刈り 草かり 草取り 草とり 草抜き 草むしり 草が伸び 草 雑草 庭 庭木 植木 剪定 枝"
        " 落ち葉 空き家 花だん 花壇 除雪 雪かき 雪下ろし 雪おろし 溝掃除 側溝 生垣 環境整備"
        " 草刈り当番",
    ),
    _def(
        "companionship",
        "話し相手・交流・孤立",
        "Companionship & loneliness",
        "話し相手 話相手 誰とも話さない 誰とも話して 話す人がいない 話す相手 さびしい 寂しい"
        " 淋しい さみしい 家にこもりがち 閉じこもり 引きこもり ひきこもり 孤立 孤独 おしゃべり"
        " お喋り 誰かと 一人ぼっち ひとりぼっち 話がしたい 交流",
    ),
    _def(
        "housework",
        "家事援助（掃除・洗濯・調理・片付け）",
        "Housework",
        "掃除 そうじ 洗濯 布団 ふとん 片付け 片づけ かたづけ 整理整頓 整理 灯油 灯油運び"
        " ポリタンク 料理 窓拭き 窓ふき 家具の移動 家事 調理 ゴミ屋敷",
    ),
    _def(
        "repairs",
        "ちょっとした修理・力仕事",
        "Minor repairs & odd jobs",
        "電球 電球交換 蛍光灯 パッキン 水道 水漏れ 修繕 修理 高い所 高いところ 脚立"
        " 家電の使い方 電化製品 網戸 障子 力仕事 重い物 重いもの 壊れ 直して 雨漏り 電池交換",
    ),
    _def(
        "housing",
        "住まい",
        "Housing",
        "住まい 家賃 住み替え 住宅改修 手すり 手摺り 段差 バリアフリー 賃貸 賃貸を断られる"
        " 空き部屋 引っ越し 引越し 立ち退き 住む所 住むところ アパート 公営住宅 市営住宅 老朽化",
    ),
    _def(
        "health",
        "健康づくり・介護予防",
        "Health & frailty prevention",
        "健康 健康づくり 体操 いきいき百歳体操 百歳体操 ラジオ体操 ウォーキング 散歩 ふまねっと"
        " 足腰が弱っ 足腰 筋力 フレイル 介護予防 運動不足 運動 体力 転倒予防 歩こう会 健康教室",
    ),
    _def(
        "medical",
        "医療・通院・入退院",
        "Medical, hospital visits",
        "通院 病院 入院 退院 手術 薬 お薬 診療所 医者 医院 クリニック 受診 歯医者 病気 救急"
        " 往診 持病 透析",
    ),
    _def(
        "care_carers",
        "介護・家族介護者",
        "Care & family carers",
        "介護 デイサービス デイケア ヘルパー 介護疲れ ダブルケア ヤングケアラー ケアラー 介護保険"
        " 介護保険の使い方 ケアマネ 要介護 要支援 ショートステイ 世話をし 世話して 世話する"
        " 面倒を見 面倒をみ 寝たきり",
    ),
    _def(
        "dementia",
        "認知症",
        "Dementia",
        "認知症 物忘れ もの忘れ 物わすれ 忘れっぽ 道に迷 徘徊 はいかい 同じことを何度も"
        " 同じ話を何度も 何度も同じ ケアパス ボケ ぼけて 認知",
    ),
    _def(
        "farming",
        "農作業・畑・農地",
        "Farming help & fields",
        "畑 野菜 野菜の支柱 支柱 ビニール張り ビニールハウス 田んぼ 田植え 稲刈り 農閑期"
        " 農作業 農業 産直 産直市 後継ぎがいない 耕作放棄 農地 果樹 収穫",
    ),
    _def(
        "safety",
        "防災・防犯・消費者被害",
        "Disaster prevention, crime & fraud",
        "災害 避難 台風 地震 大雨 豪雨 洪水 消防団 防災 防犯 悪徳商法 詐欺 詐欺の電話 オレオレ"
        " 訪問販売 押し売り 不審 不審者 空き巣 泥棒 息子だけど 電話がかかってき 還付金 火事 火の元",
    ),
    _def(
        "roles_work",
        "社会参加・役割・就労",
        "Social participation, roles & work",
        "役に立ちたい 役に立て 出番 働きたい 働ける 仕事がしたい 午前中だけ 午前中 売り子 特技"
        " 特技を活かす 定年 退職 手伝える 手伝いたい 何か手伝 生きがい シルバー人材 社会参加",
    ),
    _def(
        "intergenerational",
        "多世代交流・子ども・子育て",
        "Intergenerational, children & child-rearing",
        "子ども 子供 こども 孫 三世代 多世代 多世代交流 三世代交流 保育園 幼稚園 学校 小学校"
        " 中学校 子ども会 PTA 子育て 若い人 若者 親子 赤ちゃん 学童",
    ),
    _def(
        "hobbies_learning",
        "学び・趣味・文化・スポーツ",
        "Learning, hobbies, culture & recreation",
        "カラオケ 手芸 折り紙 囲碁 将棋 囲碁将棋 碁 講座 教室 料理教室 祭り お祭り 歌 合唱"
        " スポーツ 趣味 書道 俳句 絵手紙 麻雀 マージャン グラウンドゴルフ グランドゴルフ"
        " ゲートボール 踊り 学び 勉強会 映画",
    ),
    _def(
        "money",
        "生活困窮・お金・手続き",
        "Financial hardship & paperwork",
        "生活が苦しい 年金だけ 仕事がない 支払い 払えない 銀行 手続きがわからない 手続き お金"
        " 借金 生活保護 困窮 滞納 貯金 年金 生活費 家計",
    ),
    _def(
        "helpers_groups",
        "担い手・後継者・活動の運営",
        "Helpers, succession & running groups",
        "担い手 担い手がいない 世話役 後継者 次の代表 代表 会場 活動資金 人が集まらない"
        " 参加者が減 ボランティア ボランティアしたい 次にやってくれる人 やってくれる人がいない"
        " 引き継 運営 なり手 高齢化",
    ),
    _def(
        "info_consult",
        "相談先・情報",
        "Where to ask / information",
        "どこに相談 相談 相談先 知らなかった 窓口 制度がわからない 制度 教えてほしい 教えて欲しい"
        " 誰に聞けば どこに聞けば 情報 包括",
    ),
    _def("other", "その他", "Other", ""),
)


def sync_categories(session: Session) -> None:
    """Insert or update the category rows so they match TAXONOMY."""
    existing = {c.code: c for c in session.exec(select(Category))}
    for position, item in enumerate(TAXONOMY, start=1):
        row = existing.get(item.code) or Category(
            code=item.code, position=position, label_ja="", label_en=""
        )
        row.position = position
        row.label_ja = item.label_ja
        row.label_en = item.label_en
        row.keywords = list(item.keywords)
        session.add(row)
    session.flush()


def list_categories(session: Session) -> list[Category]:
    return list(session.exec(select(Category).order_by(col(Category.position))))
