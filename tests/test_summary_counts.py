"""まとめ on generated data: every number of every scope equals a direct SQL count.

`bot.demo_data.generate` (small, seeded) writes three municipalities of visits, murmurs,
resources and leads; the test adds 会議記録 of 協議体 and 地域ケア会議, connections and follow-ups,
then checks the municipality, each coordinator and each 日常生活圏域 against plain SQL, on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text

from bot.demo_data import generate, municipality_names
from storage.db import session_scope
from storage.meetings import add_series
from storage.members import area_and_descendant_ids, get_municipality, next_record_number
from storage.minutes import add_record
from storage.models import Connection, FollowUp, Member, Role
from storage.summaries import Period, Summary, build_summary, month_of, previous_period, week_of
from storage.summary_extra import set_quiet_weeks

TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=TOKYO)
TODAY = NOW.date()
PERIODS = [week_of(TODAY - timedelta(days=7)), month_of(2026, 11), month_of(2026, 9)]
TARGETS = ("resource", "organisation", "houkatsu")


def _add_meetings(s, municipality_id: int, recorder: int, rng: random.Random) -> None:
    """Record 協議体 (both layers) and 地域ケア会議 meetings over the last months."""
    for kind in ("協議体（第1層）", "協議体（第2層）", "地域ケア会議", "定例連絡会"):
        series = add_series(
            s,
            municipality_id=municipality_id,
            kind=kind,
            title=f"{kind}の会",
            rrule="FREQ=MONTHLY;BYDAY=2TU",
            time_of_day=time(14, 0),
            starts_on=date(2026, 6, 1),
            now=NOW,
        )
        assert series.id is not None
        for month in range(6, 12):
            day = date(2026, month, rng.randint(1, 28))
            add_record(
                s,
                municipality_id=municipality_id,
                series_id=series.id,
                occurrence=day,
                recorded_by=recorder,
                now=NOW,
                ordinal=month - 5,
                attendees_total=10,
                attendees_present=8,
                agenda="地域の移動手段について",
                sc_attended=rng.random() < 0.6,
            )


def _add_connections(s, municipality_id: int, rng: random.Random) -> None:
    """Connect some murmurs to resources, organisations or the 包括, with follow-ups."""
    murmurs = s.exec(
        text(
            f"SELECT id, recorded_by FROM murmur WHERE municipality_id = {municipality_id} ORDER BY id"
        )
    ).all()
    resources = [
        r[0]
        for r in s.exec(text(f"SELECT id FROM resource WHERE municipality_id = {municipality_id}"))
    ]
    for murmur_id, author in rng.sample(murmurs, 60):
        target = rng.choice(TARGETS)
        created = NOW - timedelta(days=rng.randrange(100), hours=rng.randrange(24))
        connection = Connection(
            municipality_id=municipality_id,
            number=next_record_number(s, municipality_id=municipality_id),
            murmur_id=murmur_id,
            target_kind=target,
            resource_id=rng.choice(resources) if target == "resource" else None,
            organisation="みどり商店会" if target == "organisation" else None,
            created_by=author,
            created_at=created,
        )
        s.add(connection)
        s.flush()
        if rng.random() < 0.7:
            done = created + timedelta(days=rng.randrange(30)) if rng.random() < 0.5 else None
            s.add(
                FollowUp(
                    municipality_id=municipality_id,
                    connection_id=connection.id,
                    owner_id=author,
                    due_on=(created + timedelta(days=rng.choice((3, 7, 14, 30)))).date(),
                    created_at=created,
                    done_at=done if done and done < NOW else None,
                )
            )


@pytest.fixture
def generated(any_engine):
    """Three generated municipalities; the first with meetings, connections and follow-ups."""
    generate(any_engine, size="small", seed=11, now=NOW)
    rng = random.Random(11)
    ids = []
    with session_scope(any_engine) as s:
        for name in municipality_names(3):
            municipality = get_municipality(s, name=name)
            assert municipality.id is not None
            ids.append(municipality.id)
        officer = s.exec(
            text(f"SELECT id FROM member WHERE municipality_id = {ids[0]} AND role = 'officer'")
        ).one()[0]
        _add_meetings(s, ids[0], officer, rng)
        _add_connections(s, ids[0], rng)
        set_quiet_weeks(s, municipality_id=ids[1], weeks=2, now=NOW)
    return any_engine, ids


def _params(municipality_id: int, period: Period, author: int | None) -> dict:
    first = datetime.combine(period.start, time(), tzinfo=TOKYO).astimezone(UTC)
    after = first + timedelta(days=(period.end - period.start).days + 1)
    return {
        "m": municipality_id,
        "s": period.start.isoformat(),
        "e": period.end.isoformat(),
        "a": author,
        "f": first.strftime("%Y-%m-%d %H:%M:%S"),
        "t": after.strftime("%Y-%m-%d %H:%M:%S"),
        "o": min(TODAY, period.end).isoformat(),
    }


def by_sql(
    c, municipality_id: int, period: Period, author: int | None, areas: set[int] | None
) -> dict:
    """Count every number of a summary with plain SQL."""
    p = _params(municipality_id, period, author)
    before = _params(municipality_id, previous_period(period), author)
    mine = "AND m.recorded_by = :a" if author else ""
    where_area = f"AND m.area_id IN ({','.join(map(str, areas))})" if areas else ""
    murmurs = f"FROM murmur m LEFT JOIN murmurcategory mc ON mc.murmur_id = m.id AND mc.position = 0 LEFT JOIN area ON area.id = m.area_id WHERE m.municipality_id = :m AND m.captured_on BETWEEN :s AND :e {mine} {where_area}"
    c_area = (
        f"AND COALESCE(mu.area_id, r.area_id) IN ({','.join(map(str, areas))})" if areas else ""
    )
    conns = f"FROM connection c LEFT JOIN murmur mu ON mu.id = c.murmur_id LEFT JOIN resource r ON r.id = c.resource_id WHERE c.municipality_id = :m {c_area}"
    own_conn = "AND c.created_by = :a" if author else ""
    own_follow = "AND f.owner_id = :a" if author else ""
    follows = f"FROM followup f JOIN connection c ON c.id = f.connection_id LEFT JOIN murmur mu ON mu.id = c.murmur_id LEFT JOIN resource r ON r.id = c.resource_id WHERE f.municipality_id = :m {c_area} {own_follow}"

    def rows(sql: str, params: dict = p) -> set:
        return {tuple(r) for r in c.execute(text(sql), params)}

    def one(sql: str) -> int:
        return int(c.execute(text(sql), p).scalar() or 0)

    return {
        "cells": rows(f"SELECT mc.category_code, area.name, m.kind, COUNT(*) {murmurs} GROUP BY mc.category_code, area.name, m.kind"),
        "previous": rows(f"SELECT mc.category_code, COUNT(*) {murmurs} GROUP BY mc.category_code", before),
        "gaps": rows(f"""
            WITH RECURSIVE up(start, id) AS (
                SELECT id, id FROM area WHERE municipality_id = :m
                UNION SELECT up.start, area.parent_id FROM up JOIN area ON area.id = up.id WHERE area.parent_id IS NOT NULL
            )
            SELECT mc.category_code, area.name, COUNT(*) {murmurs}
            AND mc.category_code IS NOT NULL AND m.area_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM resource r WHERE r.municipality_id = :m AND r.status IN ('活動中', '再開')
                AND CAST(r.categories AS TEXT) LIKE '%"' || mc.category_code || '"%'
                AND (r.area_id IS NULL
                     OR r.area_id IN (SELECT id FROM up WHERE start = m.area_id)
                     OR m.area_id IN (SELECT id FROM up WHERE start = r.area_id))
            ) GROUP BY mc.category_code, area.name"""),
        "made": rows(f"SELECT c.target_kind, COUNT(*) {conns} {own_conn} AND c.created_at >= :f AND c.created_at < :t GROUP BY c.target_kind"),
        "opened": one(f"SELECT COUNT(*) {follows} AND f.created_at >= :f AND f.created_at < :t"),
        "closed": one(f"SELECT COUNT(*) {follows} AND f.done_at >= :f AND f.done_at < :t"),
        "overdue": one(f"SELECT COUNT(*) {follows} AND f.due_on < :o AND (f.done_at IS NULL OR f.done_at >= :t)"),
        "attendance": rows(
            "SELECT s.kind, COUNT(*), SUM(CASE WHEN r.sc_attended THEN 1 ELSE 0 END) FROM meetingrecord r "
            "JOIN meetingseries s ON s.id = r.series_id WHERE r.municipality_id = :m "
            "AND r.occurrence BETWEEN :s AND :e AND s.kind IN ('協議体（第1層）', '協議体（第2層）', '地域ケア会議') GROUP BY s.kind"
        ),
    }  # fmt: skip


def quiet_by_sql(c, municipality_id: int, as_of: date, weeks: int, areas: set[int] | None) -> set:
    """Return the leaf areas without a visit in `weeks` weeks before `as_of`, with the last visit."""
    since = (as_of - timedelta(weeks=weeks)).isoformat()
    found = c.execute(
        text(
            "SELECT a.name, MAX(v.occurred_on) FROM area a LEFT JOIN activity v ON v.area_id = a.id "
            "AND v.activity_type = '訪問' AND v.occurred_on <= :as_of WHERE a.municipality_id = :m "
            "AND NOT EXISTS (SELECT 1 FROM area child WHERE child.parent_id = a.id) "
            "GROUP BY a.id, a.name HAVING MAX(v.occurred_on) IS NULL OR MAX(v.occurred_on) <= :since"
        ),
        {"m": municipality_id, "as_of": as_of.isoformat(), "since": since},
    )
    names = c.execute(
        text("SELECT id, name FROM area WHERE municipality_id = :m"), {"m": municipality_id}
    )
    allowed = {name for id_, name in names if areas is None or id_ in areas}
    return {(name, str(last) if last else None) for name, last in found if name in allowed}


def as_counts(summary: Summary) -> dict:
    """Return a summary's numbers in the shape of `by_sql`."""
    b, c = summary.breakdown, summary.connections
    return {
        "cells": {(x.code, x.area, kind, n) for x in b.cells for kind, n in x.kinds.items()},
        "previous": set(b.previous.items()),
        "gaps": {(g.code, g.area, g.murmurs) for g in b.gaps},
        "made": set(c.by_target.items()),
        "opened": c.opened,
        "closed": c.closed,
        "overdue": c.overdue,
        "attendance": {(a.kind, a.held, a.sc_attended) for a in summary.attendance if a.held},
    }


def _scopes(s, municipality_id: int) -> list[tuple[str, int | None, int | None]]:
    members = s.exec(
        text(
            f"SELECT id FROM member WHERE municipality_id = {municipality_id} AND role = '{Role.COORDINATOR.value}'"
        )
    )
    districts = s.exec(
        text(f"SELECT id FROM area WHERE municipality_id = {municipality_id} AND parent_id IS NULL")
    )
    scopes: list[tuple[str, int | None, int | None]] = [("municipality", None, None)]
    scopes += [("coordinator", m[0], None) for m in members]
    return scopes + [("area", None, d[0]) for d in districts]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.start}..{p.end}")
def test_every_number_of_every_scope_matches_sql(generated, period):
    engine, ids = generated
    seen = {"cells": 0, "gaps": 0, "made": 0, "attendance": 0, "overdue": 0}
    with session_scope(engine) as s:
        for municipality_id in ids:
            for _, author, area in _scopes(s, municipality_id):
                summary = build_summary(
                    s, municipality_id=municipality_id, period=period, tz=TOKYO,
                    author_id=author, area_id=area, today=TODAY,
                )  # fmt: skip
                areas = (
                    area_and_descendant_ids(s, municipality_id=municipality_id, area_id=area)
                    if area
                    else None
                )
                expected = by_sql(s.connection(), municipality_id, period, author, areas)
                assert as_counts(summary) == expected, (municipality_id, author, area)
                for key in seen:
                    seen[key] += bool(expected[key])
                if author:
                    assigned = s.exec(
                        text(f"SELECT area_id FROM memberarea WHERE member_id = {author}")
                    ).all()
                    areas = set()
                    for (a,) in assigned:
                        areas |= area_and_descendant_ids(
                            s, municipality_id=municipality_id, area_id=a
                        )
                    areas = areas or None
                quiet = quiet_by_sql(
                    s.connection(),
                    municipality_id,
                    min(TODAY, period.end),
                    summary.quiet_weeks,
                    areas,
                )
                assert {
                    (q.name, q.last_visit and q.last_visit.isoformat()) for q in summary.quiet
                } == quiet
    assert all(seen.values()), seen  # the data exercises every section


def test_quiet_areas_follow_the_municipalitys_setting(generated):
    engine, ids = generated
    with session_scope(engine) as s:
        default = build_summary(s, municipality_id=ids[0], period=PERIODS[0], tz=TOKYO)
        short = build_summary(s, municipality_id=ids[1], period=PERIODS[0], tz=TOKYO)
    assert (default.quiet_weeks, short.quiet_weeks) == (6, 2)
    assert len(short.quiet) > len(default.quiet)  # two weeks leave more areas quiet than six


def test_a_coordinators_upcoming_meetings_are_the_ones_they_are_invited_to(generated):
    engine, ids = generated
    with session_scope(engine) as s:
        member = s.exec(
            text(f"SELECT id FROM member WHERE municipality_id = {ids[0]} AND role = 'coordinator'")
        ).first()
        summary = build_summary(
            s, municipality_id=ids[0], period=PERIODS[0], tz=TOKYO, author_id=member[0], today=TODAY
        )
        assert s.get(Member, member[0]) is not None
    # second Tuesdays within 14 days of Monday 2026-11-23: none; from 2026-12-01: 12/8
    assert summary.upcoming == []
    with session_scope(engine) as s:
        later = build_summary(
            s, municipality_id=ids[0], period=PERIODS[0], tz=TOKYO, today=date(2026, 12, 1)
        )
    assert {(u.at.date(), u.at.hour, u.kind) for u in later.upcoming} == {
        (date(2026, 12, 8), 14, kind)
        for kind in ("協議体（第1層）", "協議体（第2層）", "地域ケア会議", "定例連絡会")
    }


def test_area_and_whole_municipality_scopes_in_chat(world, clock, monkeypatch, tmp_path):
    from records_data import Records

    from bot.cli import main as cli_main
    from handlers.summary_render import render_summary
    from storage.records import category_labels

    sato = world.chat("sato", "あおば市")
    world.chat("suzuki", "あおば市", area="北部圏域")
    r = Records(world.engine, clock, "あおば市")
    r.visit("sato", date(2026, 11, 17), area="本町自治会")
    r.visit("suzuki", date(2026, 11, 18), area="北山自治会")
    for _ in range(3):
        r.murmur("suzuki", date(2026, 11, 18), "買い物が大変", categories=("shopping",), area="北山自治会")
    r.murmur("sato", date(2026, 11, 17), "ゴミ出しが大変", categories=("garbage",), area="本町自治会")
    r.resource(None, "市の配食サービス", categories=("garbage",))  # municipality-wide: no gap

    mine = sato.send("まとめ 先週")
    assert "あなたの記録" in mine and "■つぶやき 1件" in mine
    whole = sato.send("まとめ 全体 先週")
    assert "あおば市全体" in whole and "■つぶやき 4件" in whole
    assert "買い物×北山自治会（つぶやき 3件）" in whole and "ゴミ出し×本町自治会（つぶやき" not in whole
    area = sato.send("まとめ エリア 北部圏域 先週")
    assert "エリア 北部圏域" in area and "■つぶやき 3件（前の期間 0件）" in area and "■訪問 1件" in area
    assert "栄町自治会" not in area  # quiet areas of other districts are not listed
    assert "北山自治会" in area
    assert "「ないところ」というエリアが見つかりません。例:「まとめ エリア " in sato.send("まとめ エリア ないところ")
    quiet = sato.send("まとめ 先週")
    assert "■6週間以上訪問のないエリア 1件" in quiet and "栄町自治会（最終訪問 記録なし）" in quiet

    with session_scope(world.engine) as s:
        m = get_municipality(s, name="あおば市")
        summary = build_summary(s, municipality_id=m.id, period=week_of(date(2026, 11, 16)), tz=TOKYO)
        text_out = render_summary(summary, lang="ja", scope="x", categories=category_labels(s), suppress=True)
    assert "■つぶやき 4件" in text_out and "ゴミ出し 3未満" in text_out and "買い物 3件" in text_out
    assert "#" not in text_out  # no record named when suppressed

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TSUNAGI_DATABASE_URL", world.engine.url.render_as_string(hide_password=False))
    assert cli_main(["quiet-weeks", "あおば市", "1"]) == 0
    assert "■1週間以上訪問のないエリア" in sato.send("まとめ 先週")
    assert cli_main(["quiet-weeks", "あおば市", "0"]) == 1
