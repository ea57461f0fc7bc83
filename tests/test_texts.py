"""The text catalogue: every key defined once, Japanese first with English beside it."""

from __future__ import annotations

import importlib
import pkgutil
import string

import pytest

import bot.texts
from bot.texts import CATALOGUE, duplicate_keys, t


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _text_modules() -> list[str]:
    return [info.name for info in pkgutil.iter_modules(bot.texts.__path__)]


def test_no_key_is_defined_twice():
    assert duplicate_keys() == []


@pytest.mark.parametrize("module", _text_modules())
def test_every_text_module_is_part_of_the_catalogue(module):
    texts = importlib.import_module(f"bot.texts.{module}").TEXTS
    for key, entry in texts.items():
        assert CATALOGUE.get(key) == entry, f"{key} of bot/texts/{module}.py is not in CATALOGUE"


def test_every_entry_has_japanese_and_english():
    for key, (ja, en) in CATALOGUE.items():
        assert ja.strip(), f"{key}: Japanese text is empty"
        assert en.strip(), f"{key}: English text is empty"


def test_both_languages_take_the_same_values():
    for key, (ja, en) in CATALOGUE.items():
        assert _placeholders(ja) == _placeholders(en), f"{key}: placeholders differ"


def test_every_entry_formats_in_both_languages():
    for key, (ja, _en) in CATALOGUE.items():
        values = {name: "x" for name in _placeholders(ja)}
        assert t(key, "ja", **values)
        assert t(key, "en", **values)


def test_english_is_used_only_when_asked_for():
    assert "登録" in t("register.required")
    assert "register" in t("register.required", "en")
