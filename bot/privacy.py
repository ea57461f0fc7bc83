"""Personal information at intake: names (〜さん), phone numbers, addresses; sensitive topics.

STUB: to be completed by the murmurs work (see issue 2). The signatures are the contract.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PiiFinding:
    kind: str  # "name" | "phone" | "address"
    text: str


def find_pii(text: str) -> list[PiiFinding]:
    """Return the personal names, phone numbers and addresses found in a text."""
    return []


def mask_pii(text: str) -> str:
    """Return the text with names, phone numbers and addresses replaced by neutral markers."""
    return text


def sensitive_flags(text: str) -> list[str]:
    """Return the sensitive topics (health, dementia, care, family, money, crime…) a text touches."""
    return []


def needs_restriction(text: str, kind: str) -> bool:
    """Return whether a murmur must be restricted (a third person plus a sensitive topic)."""
    return False
