"""What peer groups may see: masked text, coarse areas, suppressed counts, confined replies."""

from __future__ import annotations

from datetime import date

from bot.masking import (
    AREA_MARK,
    PEER_TAG,
    PLACE_MARK,
    Cell,
    coarse_area_label,
    confine_to_peer,
    fine_places,
    mask_for_peers,
    peer_text,
    share_refusal,
    suppress,
    total_cell,
    trend_rows,
)
from bot.messages import Reply
from storage.models import Activity, Area, AreaKind, Murmur

AREAS = [
    Area(id=1, municipality_id=1, name="中央圏域", kind=AreaKind.DAILY_LIFE.value),
    Area(
        id=2, municipality_id=1, name="茶屋町小学校区", kind=AreaKind.ELEMENTARY.value, parent_id=1
    ),
    Area(
        id=3, municipality_id=1, name="本町自治会", kind=AreaKind.NEIGHBOURHOOD.value, parent_id=2
    ),
    Area(id=4, municipality_id=1, name="離島自治会", kind=AreaKind.NEIGHBOURHOOD.value),
]


def murmur(text: str, *, kind: str = "困りごと", scope: str = "team") -> Murmur:
    return Murmur(
        municipality_id=1, number=1, recorded_by=1, text=text, kind=kind,
        sharing_scope=scope, captured_on=date(2026, 11, 20),
    )  # fmt: skip


def visit(**fields: object) -> Activity:
    return Activity(
        municipality_id=1, number=2, recorded_by=1, occurred_on=date(2026, 11, 20), **fields
    )


def test_an_area_is_coarsened_to_its_daily_life_area_or_the_municipality():
    assert coarse_area_label(AREAS, 3, "あおば市") == "中央圏域"  # 自治会 > 小学校区 > 圏域
    assert coarse_area_label(AREAS, 2, "あおば市") == "中央圏域"
    assert coarse_area_label(AREAS, 1, "あおば市") == "中央圏域"
    assert coarse_area_label(AREAS, 4, "あおば市") == "あおば市"  # no 圏域 above it
    assert coarse_area_label(AREAS, None, "あおば市") == "あおば市"
    assert coarse_area_label(AREAS, 99, "あおば市") == "あおば市"


def test_a_loop_in_the_area_tree_ends_at_the_municipality():
    loop = [
        Area(id=1, municipality_id=1, name="甲", kind="自治会", parent_id=2),
        Area(id=2, municipality_id=1, name="乙", kind="自治会", parent_id=1),
    ]
    assert coarse_area_label(loop, 1, "あおば市") == "あおば市"


def test_names_phones_addresses_and_fine_places_are_masked():
    places = fine_places(AREAS, ["ひまわりサロン"])
    text = "本町の田中さん宅のひまわりサロン（０８６－１２３－４５６７）、茶屋町小学校区で評判。中央圏域の話"
    masked = mask_for_peers(text, places)
    assert masked == (
        f"{AREA_MARK}のAさん宅の{PLACE_MARK}([電話番号])、{AREA_MARK}で評判。中央圏域の話"
    )


def test_the_daily_life_area_itself_is_not_a_fine_place():
    assert "中央圏域" not in fine_places(AREAS, [])
    assert fine_places(AREAS, [])["本町"] == AREA_MARK  # the stem of 本町自治会


def test_a_visit_is_shared_by_its_notes_never_its_place_or_people():
    record = visit(
        purpose="宝物さがし",
        treasures="縁側でお茶会",
        outcome="次回も参加",
        place_label="田中宅",
        counterpart="田中花子",
        companions=["山田"],
    )
    text = peer_text(record)
    assert text == "目的: 宝物さがし\n宝物: 縁側でお茶会\n成果: 次回も参加"


def test_records_that_must_not_reach_peers_are_refused_with_a_reason():
    assert share_refusal(murmur("バスが少ない")) is None
    assert share_refusal(murmur("メモ", scope="private")) == "private"
    assert share_refusal(murmur("x", scope="restricted_individual")) == "restricted_individual"
    assert share_refusal(murmur("雨戸が閉まったまま", kind="気になる人")) == "individual"
    assert share_refusal(murmur("向かいの人が入院して認知症も心配")) == "sensitive"
    assert share_refusal(visit(treasures="隣の奥さんが骨折して入院")) == "sensitive"
    assert share_refusal(visit(treasures="縁側でお茶会")) is None


def test_counts_under_three_are_suppressed_zero_included():
    assert [suppress(n) for n in (0, 1, 2, 3, 10)] == [
        Cell(None), Cell(None), Cell(None), Cell(3), Cell(10),
    ]  # fmt: skip


def test_a_total_never_gives_a_suppressed_cell_away():
    assert total_cell([5, 4]) == Cell(9)
    assert total_cell([5, 1]) == Cell(5, at_least=True)  # 6 - 5 would reveal the 1
    assert total_cell([5, 0]) == Cell(5, at_least=True)  # nor that the other is 0
    assert total_cell([2, 2]) == Cell(3, at_least=True)  # 4 would reveal 2 and 2
    assert total_cell([1, 1]) == Cell(None)


def test_trend_rows_follow_the_taxonomy_and_skip_empty_categories():
    counts = {(1, "mobility"): 4, (2, "mobility"): 1, (1, "shopping"): 3, (2, None): 5}
    rows = trend_rows(counts, [1, 2], ["shopping", "meals", "mobility"])
    assert [r.code for r in rows] == ["shopping", "mobility", None]
    assert rows[0].cells == (Cell(3), Cell(None))
    assert rows[1].total == Cell(4, at_least=True)
    assert rows[2].cells == (Cell(None), Cell(5))


def test_only_replies_made_for_the_group_stay_public_in_a_peer_chat():
    replies = [
        Reply("共有事例", tags=(PEER_TAG,)),
        Reply("#3 のつぶやき"),
        Reply("x", restricted=True),
    ]
    confined = confine_to_peer(replies)
    assert [r.restricted for r in confined] == [False, True, True]
    assert [r.text for r in confined] == ["共有事例", "#3 のつぶやき", "x"]
