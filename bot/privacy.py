"""Personal information at intake: names (〜さん), phone numbers, addresses; sensitive topics.

Murmurs carry no personal names (DOMAIN.md §7.3). Names are recognised by an honorific after a
kanji, katakana or Latin name (田中さん, 山田花子様, マリアちゃん); kinship and role words
(お母さん, 奥さん, 民生委員さん, 八百屋さん) and single-letter placeholders (Aさん, already
anonymised) are not names. Matching runs on NFKC text, so full-width digits count too.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class PiiFinding:
    kind: str  # "name" | "phone" | "address"
    text: str


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str
    text: str
    name: str = ""


_K = r"[\u4e00-\u9fff々〆〇ヶ○◯]"
_NUM = r"(?:\d+|[一二三四五六七八九十]+)"
_SEP = r"[-‐‑−–—―ーの]"
_ADDRESS = re.compile(
    "|".join(
        (
            rf"{_K}*{_NUM}丁目(?:{_NUM}番地?(?:{_NUM}号?)?|{_NUM}(?:{_SEP}{_NUM})?)",
            rf"{_K}*{_NUM}番地(?:{_SEP}{_NUM})?",
            rf"{_K}*{_NUM}番{_NUM}号",
            rf"{_K}+(?:町|村|区|市|台|丘|条|通|字|目){_NUM}(?:{_SEP}{_NUM}){{1,2}}",
        )
    )
)
_PHONE = re.compile(
    r"(?<!\d)(?:\(0\d{1,4}\)[\d\-‐‑−–—―ー ]{5,12}|0\d[\d\-‐‑−–—―ー() ]{7,15})\d(?!\d)"
)
_NAME = re.compile(
    r"(?P<name>[\u4e00-\u9fff々〆ヶ]{1,6}|[ァ-ヴー]{2,10}|[A-Za-z]{2,16})"
    r"(?:さん|さま|様|ちゃん|くん|君|氏|先生)"
)
_KANJI_NAME = re.compile(r"[\u4e00-\u9fff々〆ヶ]+")
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])([A-Z])さん")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NOT_NAMES = _words(
    "奥 皆 息子 娘 孫 母 父 兄 姉 弟 妹 嫁 婿 旦那 主人 親 叔母 叔父 伯母 伯父 祖母 祖父 義母"
    " 義父 家族 先生 医者 大家 近所 隣 向かい 相手 客 神 仏 王 皆様 お客 神様 仏様 世話役 代表"
    " 大工 農家 社協 包括 役場 駐在 和尚 住職 神主 保健師 看護師 民生 お隣 赤"
    " ヘルパー ケアマネ ケアマネジャー ケアマネージャー ボランティア スタッフ ドライバー ママ パパ"
    " オーナー マスター コーチ メンバー サポーター ヤクルト ガス屋"
)
# Role and trade words end in these (八百屋さん, 委員さん, 会長さん, 看護師さん, 保育士さん).
_ROLE_ENDINGS = tuple("屋員長師士者官手主局店所園会課協署館院社科様")

_PERSON_WORDS = re.compile(
    r"向かい|隣|近所の(?:人|方|おば|おじ|奥|家)|あの人|あの方|あの家|あそこの|その人|その方|"
    r"孫|おばあ|おじい|ばあちゃん|じいちゃん|母|父|息子|娘|(?<!丈)夫|妻|旦那|嫁|兄|姉|弟|妹|"
    r"主人|家族|奥さん|知り合い|友達|友人|利用者|一人暮らしの(?:人|方)|独居の|\d+代の?(?:男性|女性)|"
    r"男性|女性"
)

_SENSITIVE: tuple[tuple[str, frozenset[str]], ...] = (
    (
        "health",
        _words(
            "入院 退院 骨折 病気 手術 通院 癌 持病 透析 糖尿 脳梗塞 心臓 救急車"
            " 転倒 転んで 体調 うつ病 精神 寝込 具合が悪 足が不自由 歩けな 病院"
        ),
    ),
    (
        "dementia",
        _words(
            "認知症 物忘れ もの忘れ 物わすれ 徘徊 はいかい 道に迷 同じことを何度も"
            " 同じ話を何度も 何度も同じ ボケ ぼけて 認知"
        ),
    ),
    (
        "care",
        _words(
            "介護 ヤングケアラー ダブルケア ケアラー デイサービス ヘルパー 要介護"
            " 要支援 ケアマネ 世話をし 世話して 世話する 面倒を見 面倒をみ 寝たきり"
            " 施設に入 おむつ"
        ),
    ),
    (
        "family",
        _words(
            "二人暮らし 一人暮らし ひとり暮らし 独り暮らし 独居 離婚 別居 不仲 疎遠"
            " 引きこもり ひきこもり 離れて暮らす 身寄り 嫁姑 喧嘩 けんか 家族関係"
        ),
    ),
    ("disability", _words("障害 障がい 障碍 車いす 車椅子 目が見えな 耳が聞こえな 耳が遠 手帳")),
    (
        "money",
        _words("借金 生活保護 生活が苦しい 年金だけ お金がない お金が無い 滞納 払えない 困窮 督促"),
    ),
    ("crime", _words("詐欺 悪徳 盗まれ 泥棒 空き巣 騙され だまされ オレオレ 被害 万引き 押し売り")),
    ("abuse", _words("虐待 暴力 叩かれ たたかれ 殴 怒鳴 ネグレクト 放置 暴言")),
)


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _is_name(name: str, before: str) -> bool:
    """Return whether a word before an honorific is a person's name."""
    if before in ("お", "ご") or name in _NOT_NAMES:
        return False
    return not (_KANJI_NAME.fullmatch(name) and name.endswith(_ROLE_ENDINGS))


def _spans(text: str) -> list[_Span]:
    """Return the non-overlapping PII spans of NFKC text: phones, then addresses, then names."""
    spans: list[_Span] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s.start or s.end <= start for s in spans)

    for found in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", found.group())
        if len(digits) in (10, 11) and free(found.start(), found.end()):
            spans.append(_Span(found.start(), found.end(), "phone", found.group()))
    for found in _ADDRESS.finditer(text):
        if free(found.start(), found.end()):
            spans.append(_Span(found.start(), found.end(), "address", found.group()))
    for found in _NAME.finditer(text):
        before = text[found.start() - 1] if found.start() else ""
        name = found.group("name")
        if _is_name(name, before) and free(found.start(), found.end()):
            spans.append(_Span(found.start(), found.end(), "name", found.group(), name))
    return sorted(spans, key=lambda s: s.start)


def find_pii(text: str) -> list[PiiFinding]:
    """Return the personal names, phone numbers and addresses found in a text."""
    return [PiiFinding(s.kind, s.text) for s in _spans(_nfkc(text))]


def mask_pii(text: str) -> str:
    """Return the text with names, phone numbers and addresses replaced by neutral markers."""
    text = _nfkc(text)
    spans = _spans(text)
    letters = iter(c for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in _PLACEHOLDER.findall(text))
    aliases: dict[str, str] = {}
    out: list[str] = []
    position = 0
    for span in spans:
        out.append(text[position : span.start])
        if span.kind == "name":
            if span.name not in aliases:
                aliases[span.name] = f"{next(letters, 'X')}さん"
            out.append(aliases[span.name])
        else:
            out.append("[電話番号]" if span.kind == "phone" else "[住所]")
        position = span.end
    out.append(text[position:])
    return "".join(out)


def sensitive_flags(text: str) -> list[str]:
    """Return the sensitive topics (health, dementia, care, family, money, crime…) a text touches."""
    text = _nfkc(text)
    return [topic for topic, words in _SENSITIVE if any(w in text for w in words)]


def mentions_third_person(text: str) -> bool:
    """Return whether a text is about someone other than the speaker (a neighbour, a relative…)."""
    text = _nfkc(text)
    return bool(_PERSON_WORDS.search(text)) or any(s.kind == "name" for s in _spans(text))


def needs_restriction(text: str, kind: str) -> bool:
    """Return whether a murmur must be restricted (a third person plus a sensitive topic)."""
    about_someone = kind == "気になる人" or mentions_third_person(text)
    return about_someone and bool(sensitive_flags(text))
