"""The catalogue of every user-facing text, Japanese first with English beside it.

Each feature keeps its entries in a module of this package; `CATALOGUE` joins them and a test
checks that no key is defined twice and that every entry has both languages.
"""

from __future__ import annotations

from bot.texts import (
    abuse,
    activity_report,
    channels,
    core,
    files,
    forms,
    meetings,
    murmurs,
    peer,
    records,
    reports,
    resources,
    visits,
)

Entry = tuple[str, str]

_PARTS: tuple[dict[str, Entry], ...] = (
    core.TEXTS,
    visits.TEXTS,
    records.TEXTS,
    reports.TEXTS,
    activity_report.TEXTS,
    murmurs.TEXTS,
    channels.TEXTS,
    forms.TEXTS,
    peer.TEXTS,
    meetings.TEXTS,
    resources.TEXTS,
    files.TEXTS,
    abuse.TEXTS,
)
CATALOGUE: dict[str, Entry] = {k: v for part in _PARTS for k, v in part.items()}
LANGUAGES = ("ja", "en")


def t(key: str, lang: str = "ja", **values: object) -> str:
    """Return the text for `key` in `lang` (ja or en), formatted with `values`."""
    ja, en = CATALOGUE[key]
    template = en if lang == "en" else ja
    return template.format(**values) if values else template


def duplicate_keys() -> list[str]:
    """Return the keys that more than one catalogue module defines."""
    seen: set[str] = set()
    duplicates: list[str] = []
    for part in _PARTS:
        for key in part:
            if key in seen:
                duplicates.append(key)
            seen.add(key)
    return duplicates
