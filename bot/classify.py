"""Suggest a murmur's kind and categories from its text (keyword rules, tolerant of 表記ゆれ).

Text and keywords are folded alike (NFKC, katakana to hiragana, long-vowel marks unified) and
also compared without okurigana (買い物 = 買物). Matches are taken longest first, so 移動販売
counts for shopping and not for mobility, and 世話役 is not 世話. A category scores one point per
match; ties go to the category mentioned first. Short kana keywords (バス, ゴミ) match only in
their own script, so 飛ばす is not a bus.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from bot.privacy import mentions_third_person
from storage.categories import TAXONOMY

MURMUR_KINDS: tuple[str, ...] = ("困りごと", "願い", "宝物", "担い手の申し出", "気になる人", "意見")
DEFAULT_KIND = "困りごと"

_DASHES = frozenset("-‐‑‒–—―−－~〜～ｰ")
_KANJI = re.compile(r"[\u4e00-\u9fff々〆〇ヶ]")
# Hiragana that may be okurigana; particles (家の庭 is not 家庭) never are.
_OKURIGANA = re.compile(r"[\u3041-\u309f](?<![のがをにはでともへや])")
# Words that contain a keyword without meaning it (家庭 is not a 庭, 大丈夫 is not a 夫).
_BLOCKERS = ("家庭", "校庭", "大丈夫", "すばらしい", "素晴らしい")
# Combinations that decide the primary category better than single words.
_COMBINATIONS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    # A child looking after a grandparent or parent: a young carer (ヤングケアラー).
    (
        "care_carers",
        re.compile(r"(孫|子ども|子供|こども|小学生|中学生|高校生|学校).*(世話|介護|面倒)"),
        2,
    ),
)


def fold(text: str) -> str:
    """Return text folded for matching: NFKC, katakana to hiragana, no spaces, ー unified."""
    return _to_hiragana(_normalise(text))


def _normalise(text: str) -> str:
    """Return NFKC text without spaces, with dash-like marks after kana read as ー."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isspace():
            continue
        if char in _DASHES and out and _is_kana(out[-1]):
            char = "ー"
        out.append(char)
    return "".join(out)


def _is_kana(char: str) -> bool:
    return "\u3041" <= char <= "\u30ff"


def _to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def _skeleton(text: str) -> tuple[str, list[int]]:
    """Return text without okurigana between kanji (買い物 → 買物), with each char's index."""
    keep: list[int] = []
    i = 0
    while i < len(text):
        j = i
        while j < len(text) and j - i < 2 and _OKURIGANA.match(text[j]):
            j += 1
        between = (
            j > i
            and i > 0
            and j < len(text)
            and _KANJI.match(text[i - 1])
            and _KANJI.match(text[j])
        )
        if between:
            i = j
            continue
        keep.append(i)
        i += 1
    return "".join(text[k] for k in keep), keep


@dataclass(frozen=True)
class _Keyword:
    code: str
    plain: str
    folded: str
    skeleton: str
    script_sensitive: bool


def _keyword(code: str, word: str) -> _Keyword:
    plain = _normalise(word)
    folded = _to_hiragana(plain)
    script_sensitive = len(plain) <= 2 and all(_is_kana(c) for c in plain)
    return _Keyword(code, plain, folded, _skeleton(folded)[0], script_sensitive)


_KEYWORDS: tuple[_Keyword, ...] = tuple(
    [_keyword(item.code, word) for item in TAXONOMY for word in item.keywords]
    + [_keyword("", word) for word in _BLOCKERS]
)


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    code: str


def _find_all(haystack: str, needle: str) -> Iterator[int]:
    start = haystack.find(needle)
    while start >= 0:
        yield start
        start = haystack.find(needle, start + 1)


def _raw_hits(text: str) -> set[_Hit]:
    """Return every keyword occurrence, overlapping ones included."""
    plain = _normalise(text)
    folded = _to_hiragana(plain)
    skeleton, index = _skeleton(folded)
    hits: set[_Hit] = set()
    for kw in _KEYWORDS:
        haystack, needle = (plain, kw.plain) if kw.script_sensitive else (folded, kw.folded)
        hits.update(_Hit(s, s + len(needle), kw.code) for s in _find_all(haystack, needle))
        if not kw.script_sensitive:
            size = len(kw.skeleton)
            hits.update(
                _Hit(index[s], index[s + size - 1] + 1, kw.code)
                for s in _find_all(skeleton, kw.skeleton)
            )
    return hits


def _hits(text: str) -> list[_Hit]:
    """Return the keyword matches that survive longest-first, in text order."""
    accepted: list[_Hit] = []
    for hit in sorted(_raw_hits(text), key=lambda h: (h.start - h.end, h.start)):
        clash = any(
            hit.start < a.end and a.start < hit.end and (a.start, a.end) != (hit.start, hit.end)
            for a in accepted
        )
        if not clash:
            accepted.append(hit)
    return sorted((h for h in accepted if h.code), key=lambda h: h.start)


def category_scores(text: str) -> dict[str, tuple[int, int]]:
    """Return each matched category's (score, first position) in a text."""
    scores: dict[str, tuple[int, int]] = {}
    for hit in _hits(text):
        score, first = scores.get(hit.code, (0, hit.start))
        scores[hit.code] = (score + 1, first)
    folded = fold(text)
    for code, pattern, bonus in _COMBINATIONS:
        found = pattern.search(folded)
        if found:
            score, first = scores.get(code, (0, found.start()))
            scores[code] = (score + bonus, first)
    return scores


def suggest_categories(text: str, limit: int = 3) -> list[str]:
    """Return up to `limit` category codes for a murmur, the primary first; ["other"] if none."""
    order = {item.code: i for i, item in enumerate(TAXONOMY)}
    scores = category_scores(text)
    ranked = sorted(scores, key=lambda c: (-scores[c][0], scores[c][1], order[c]))
    return ranked[:limit] or ["other"]


def _markers(words: str) -> tuple[str, ...]:
    """Return space-separated markers folded like the text they are looked for in."""
    return tuple(fold(w) for w in words.split())


_OFFER = _markers(
    "手伝える 手伝うよ 手伝います 手伝いたい 手伝ってもいい 手伝ってあげ てあげられる"
    " てあげる てあげよう まかせて 任せて 引き受け やってもいい お手伝いします"
    " お手伝いできる 協力できる 協力したい ボランティアしたい 使ってもいい 貸してもいい"
    " 乗せてあげ できることがあれば"
)
_CONCERN = re.compile(
    r"気にな[るっ]|気がかりな人|心配|見かけない|見ない|様子が|(?<!あた)(?<![ばず])らしい|大丈夫かな|"
    r"閉まったまま|元気がない|顔色|痩せ|やせ|困ってるみたい|困っているみたい"
)
_WISH = _markers(
    "いいのに いいな いいね ほしい 欲しい あったらいい あるといい できたらいい のにね"
    " のになあ と思うの れると思う できると思う やってみたい してみたい たいな たいね"
    " 願い 夢"
)
_TREASURE = _markers(
    "てくれている てくれてる 助かっている 助かってる 見に行っている とのこと"
    " しているグループ している人がいる 続いている 宝物 ごちそうに 集まっている 支え合"
    " 助け合 お互いさま おたがいさま"
)
_OPINION = _markers(
    "と思う べき ほうがいい 方がいい 意見 提案 将来 どんなまち まちにしたい 町にしたい"
)


def suggest_kind(text: str) -> str:
    """Return the most likely murmur kind (one of MURMUR_KINDS)."""
    folded = fold(text)
    if _has_any(folded, _OFFER):
        return "担い手の申し出"
    if _CONCERN.search(folded) and mentions_third_person(text):
        return "気になる人"
    for kind, markers in (("願い", _WISH), ("宝物", _TREASURE), ("意見", _OPINION)):
        if _has_any(folded, markers):
            return kind
    return DEFAULT_KIND


def _has_any(folded: str, markers: tuple[str, ...]) -> bool:
    return any(marker in folded for marker in markers)
