"""検索: words AND-matched over murmurs and activities, filters, five results a page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from records_data import Records

from storage.audit import list_audit
from storage.db import session_scope

TODAY = date(2026, 11, 23)  # the clock fixture's Monday
LAST_WEEK = date(2026, 11, 18)


@pytest.fixture
def records(world, clock) -> Records:
    return Records(world.engine, clock, "あおば市")


@pytest.fixture
def sato(world):
    return world.chat("sato", "あおば市")


def numbers_in(reply: str) -> list[int]:
    """Return the record numbers that start the result lines, in order."""
    return [int(line.split()[0][1:]) for line in reply.splitlines() if line.startswith("#")]


def test_words_match_murmur_text_and_activity_fields_newest_first(records, sato):
    older = records.murmur("sato", date(2026, 11, 2), "スーパーまで歩くのがしんどい")
    visit = records.visit(
        "sato", date(2026, 11, 10), place="スーパー前の移動販売", treasures="立ち話の輪"
    )
    newer = records.murmur("sato", date(2026, 11, 20), "スーパーの配達がほしい", kind="願い")
    records.murmur("sato", date(2026, 11, 21), "バスが少ない")

    reply = sato.send("検索 スーパー")

    assert "3件" in reply
    assert numbers_in(reply) == [newer, visit, older]
    assert f"#{newer} 11/20 つぶやき・願い スーパーの配達がほしい" in reply
    assert f"#{visit} 11/10 訪問 スーパー前の移動販売：立ち話の輪" in reply
    assert numbers_in(sato.send("検索 スーパー 配達")) == [newer]  # every word must match
    assert numbers_in(sato.send("search 立ち話")) == [visit]


def test_a_word_that_names_a_category_finds_murmurs_of_that_category(records, sato):
    tagged = records.murmur(
        "sato", TODAY, "移動販売が来てほしい", categories=["mobility", "shopping"]
    )
    said = records.murmur("sato", LAST_WEEK, "買い物袋が重い", categories=["other"])
    records.murmur("sato", TODAY, "バスが少ない", categories=["mobility"])

    assert numbers_in(sato.send("検索 買い物")) == [tagged, said]
    assert numbers_in(sato.send("検索 買い物 販売")) == [tagged]


def test_filters_by_category_area_period_and_kind(records, sato):
    shop = records.murmur(
        "sato", LAST_WEEK, "買い物が大変", categories=["shopping"], area="本町自治会"
    )
    wish = records.murmur(
        "sato", TODAY, "移動販売が来てほしい", kind="願い", categories=["mobility", "shopping"]
    )
    north = records.murmur(
        "sato", date(2026, 10, 5), "ゴミ出しの坂", categories=["garbage"], area="北山自治会"
    )
    visit = records.visit("sato", LAST_WEEK, place="集会所", area="栄町自治会")

    assert numbers_in(sato.send("検索 カテゴリ:買い物")) == [wish, shop]
    assert numbers_in(sato.send("検索 category:shopping")) == [wish, shop]
    assert numbers_in(sato.send("検索 カテゴリ:ゴミ")) == [north]
    assert numbers_in(sato.send("検索 エリア:中央圏域")) == [visit, shop]
    assert numbers_in(sato.send("検索 エリア:北部圏域")) == [north]
    assert numbers_in(sato.send("検索 期間:先週")) == [visit, shop]
    assert numbers_in(sato.send("検索 期間:今週")) == [wish]
    assert numbers_in(sato.send("検索 期間:2026-10")) == [north]
    assert numbers_in(sato.send("検索 期間:2026-11-01..2026-11-20")) == [visit, shop]
    assert numbers_in(sato.send("検索 種類:願い")) == [wish]
    assert numbers_in(sato.send("検索 種類:訪問")) == [visit]
    assert numbers_in(sato.send("検索 種類:つぶやき 期間:先週")) == [shop]
    assert numbers_in(sato.send("検索 kind:visit area:栄町自治会")) == [visit]


def test_results_come_five_a_page_with_next_and_back(records, sato):
    made = [records.murmur("sato", TODAY - timedelta(days=i), f"サロンの話 {i}") for i in range(12)]

    first = sato.send("検索 サロン")
    assert "12件（1〜5件目" in first
    assert numbers_in(first) == made[:5]
    assert sato.choices == ["次へ", "検索を終わる"]

    second = sato.send("次へ")
    assert numbers_in(second) == made[5:10]
    assert numbers_in(sato.send("戻る")) == made[:5]
    sato.send("次へ")
    last = sato.send("1")
    assert numbers_in(last) == made[10:]
    assert "次へ" not in sato.choices
    assert "検索を終わりました" in sato.send("検索を終わる")
    assert "わかりませんでした" in sato.send("次へ")  # the result pages are closed


def test_another_command_while_browsing_closes_the_results_and_runs(records, sato):
    for i in range(7):
        records.murmur("sato", TODAY, f"体操の話 {i}")
    sato.send("検索 体操")

    summary = sato.send("まとめ")
    assert "まとめ" in summary and "検索結果" not in summary
    assert "わかりませんでした" in sato.send("次へ")  # the result pages are closed


def test_a_number_while_browsing_shows_that_record(records, sato):
    made = [records.murmur("sato", TODAY, f"体操の話 {i}") for i in range(7)]
    sato.send("検索 体操")

    assert "内容: 体操の話 3" in sato.send(f"#{made[3]}")
    assert "まとめ" in sato.send("まとめ")  # the result pages are closed


def test_a_new_search_while_browsing_replaces_the_results(records, sato):
    for i in range(7):
        records.murmur("sato", TODAY, f"体操の話 {i}")
    vinyl = records.murmur("sato", TODAY, "畑のビニール張り")
    salons = [records.murmur("sato", TODAY, f"サロンの話 {i}") for i in range(6)]
    sato.send("検索 体操")

    assert numbers_in(sato.send("検索 サロン")) == salons[::-1][:5]
    assert numbers_in(sato.send("次へ")) == salons[:1]
    assert numbers_in(sato.send("検索 ビニール")) == [vinyl]
    assert "まとめ" in sato.send("まとめ")  # one page of results closed the pages


def test_no_result_and_bad_filters_get_helpful_answers(records, sato):
    records.murmur("sato", TODAY, "買い物が大変", categories=["shopping"])

    none = sato.send("検索 宇宙旅行")
    assert "当てはまる記録はありませんでした" in none and "例: 検索" in none
    assert "「検索 買い物」のように" in sato.send("検索")
    assert "カテゴリ「宇宙」が見つかりません" in sato.send("検索 カテゴリ:宇宙")
    assert "エリア「火星」が見つかりません" in sato.send("検索 エリア:火星")
    assert "期間「来世」がわかりません" in sato.send("検索 期間:来世")
    assert "種類「謎」がわかりません" in sato.send("検索 種類:謎")
    assert "「色:」という絞り込みはありません" in sato.send("検索 色:赤")


def test_restricted_murmurs_are_found_only_by_their_author(world, records, sato):
    suzuki = world.chat("suzuki", "あおば市")
    mine = records.murmur("sato", TODAY, "物忘れが増えた母", scope="restricted_individual")
    theirs = records.murmur("suzuki", TODAY, "物忘れで道に迷う人", scope="restricted_individual")

    reply = sato.send("検索 物忘れ")
    assert numbers_in(reply) == [mine]
    assert "🔒" in reply and sato.replies[0].restricted
    assert numbers_in(suzuki.send("検索 物忘れ")) == [theirs]
    officer = world.chat("kato", "あおば市", role="officer", area=None)
    assert "当てはまる記録はありませんでした" in officer.send("検索 物忘れ")


def test_search_is_audited_with_filter_names_not_words(world, records, sato):
    records.murmur("sato", LAST_WEEK, "買い物が大変", categories=["shopping"])

    sato.send("検索 買い物 期間:先週 カテゴリ:買い物")

    with session_scope(world.engine) as s:
        [entry] = list_audit(s, action="search")
    assert entry.detail == {"filters": ["category", "period"], "results": 1}
    assert "買い物" not in str(entry.detail) and entry.target is None
