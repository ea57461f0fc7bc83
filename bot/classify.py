"""Suggest a murmur's kind and categories from its text (keyword rules, tolerant of 表記ゆれ).

STUB: to be completed by the murmurs work (see issue 2). The signatures are the contract.
"""

from __future__ import annotations

import unicodedata

from storage.categories import TAXONOMY

MURMUR_KINDS: tuple[str, ...] = ("困りごと", "願い", "宝物", "担い手の申し出", "気になる人", "意見")


def fold(text: str) -> str:
    """Return text folded for matching: NFKC, katakana to hiragana, no spaces."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text if not c.isspace())


def suggest_categories(text: str, limit: int = 3) -> list[str]:
    """Return up to `limit` category codes for a murmur, the primary first; ["other"] if none."""
    folded = fold(text)
    found = [c.code for c in TAXONOMY if any(fold(k) in folded for k in c.keywords)]
    return found[:limit] or ["other"]


def suggest_kind(text: str) -> str:
    """Return the most likely murmur kind (one of MURMUR_KINDS)."""
    return "困りごと"
