"""まとめ: every number of a summary equals a direct SQL count over generated data."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from records_data import Records
from sqlalchemy import text

from bot.cli import main as cli_main
from storage.audit import list_audit
from storage.db import session_scope
from storage.summaries import Period, Summary, build_summary, iso_week, month_of, week_of

TOKYO = ZoneInfo("Asia/Tokyo")
FIRST_DAY = date(2026, 10, 26)  # a Monday; five weeks up to Sunday 2026-11-29
DAYS = 35
TYPES = ("訪問", "訪問", "訪問", "会議・集まり参加", "電話・調査", "来所相談", "研修", "事務")
PURPOSES = ("宝物さがし", "あいさつ", "同行訪問", "立ち上げ支援", None)
KUBUN = ("把握", "資源開発", "ネットワーク構築", "マッチング", "協議体運営", None)
AREAS = ("本町自治会", "栄町自治会", "北山自治会", "中央圏域", None)
KINDS = ("困りごと", "願い", "宝物", "担い手の申し出", "気になる人", "意見")
CATEGORIES = ("shopping", "mobility", "garbage", "watching", "ibasho", "meals", "other")
SCOPES = ("team", "team", "team", "restricted_individual", "private")
PEOPLE = {"あおば市": ("sato", "suzuki"), "みどり町": ("tanaka", "ito")}


def generate(records: Records, people: tuple[str, ...], rng: random.Random) -> None:
    """Fill five weeks with activities, murmurs, resources and leads of two coordinators."""
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        for person in people:
            for _ in range(rng.randint(0, 2)):
                records.activity(
                    person,
                    day,
                    type=rng.choice(TYPES),
                    area=rng.choice(AREAS),
                    purpose=rng.choice(PURPOSES),
                    minutes=rng.choice((30, 60, 90, 120, None)),
                    kubun=rng.choice(KUBUN),
                    ordinal=rng.choice((1, 2, 3, None)),
                )
            for _ in range(rng.randint(0, 2)):
                records.murmur(
                    person,
                    day,
                    f"{person}のつぶやき {offset}",
                    kind=rng.choice(KINDS),
                    categories=rng.sample(CATEGORIES, rng.randint(1, 3)),
                    area=rng.choice(AREAS),
                    scope=rng.choice(SCOPES),
                )
            moment = datetime.combine(day, datetime.min.time(), tzinfo=TOKYO)
            created = moment + timedelta(minutes=rng.choice((5, 600, 1430)))  # near midnight too
            if rng.random() < 0.4:
                records.resource(person, f"{person}の資源 {offset}", kind="サロン", created=created)
            if rng.random() < 0.5:
                status = rng.choice(("未訪問", "未訪問", "訪問済"))
                records.lead(person, f"{person}の芋づる {offset}", status=status, created=created)


@pytest.fixture
def world2(world, clock):
    """Two municipalities, two coordinators each, five weeks of records."""
    world.municipality("みどり町")
    rng = random.Random(20261123)
    built = {}
    for municipality, people in PEOPLE.items():
        for person in people:
            world.chat(person, municipality)
        built[municipality] = Records(world.engine, clock, municipality)
        generate(built[municipality], people, rng)
    return built


def by_sql(engine, records: Records, period: Period, author: int | None) -> dict:
    """Count everything a summary shows with plain SQL."""
    params = {
        "m": records.municipality_id,
        "s": period.start.isoformat(),
        "e": period.end.isoformat(),
        "a": author,
    }
    mine = "AND recorded_by = :a" if author else ""
    acts = f"FROM activity WHERE municipality_id = :m AND occurred_on BETWEEN :s AND :e {mine}"
    murs = f"FROM murmur WHERE municipality_id = :m AND captured_on BETWEEN :s AND :e {mine}"
    first = datetime.combine(period.start, datetime.min.time(), tzinfo=TOKYO).astimezone(UTC)
    after = first + timedelta(days=(period.end - period.start).days + 1)
    params |= {"f": first.strftime("%Y-%m-%d %H:%M:%S"), "t": after.strftime("%Y-%m-%d %H:%M:%S")}
    created = "municipality_id = :m AND created_at >= :f AND created_at < :t"
    created += " AND created_by = :a" if author else ""
    with engine.connect() as c:

        def rows(sql: str) -> list:
            return [tuple(r) for r in c.execute(text(sql), params)]

        def one(sql: str) -> int:
            return int(c.execute(text(sql), params).scalar() or 0)

        return {
            "count": one(f"SELECT COUNT(*) {acts}"),
            "minutes": one(f"SELECT SUM(duration_min) {acts}"),
            "untimed": one(f"SELECT COUNT(*) {acts} AND duration_min IS NULL"),
            "visit_minutes": one(f"SELECT SUM(duration_min) {acts} AND activity_type = '訪問'"),
            "other_minutes": one(f"SELECT SUM(duration_min) {acts} AND activity_type <> '訪問'"),
            "by_type": set(rows(f"SELECT activity_type, COUNT(*), COALESCE(SUM(duration_min), 0) {acts} GROUP BY activity_type")),
            "by_kubun": set(rows(f"SELECT kubun, COUNT(*), COALESCE(SUM(duration_min), 0) {acts} GROUP BY kubun")),
            "visits": one(f"SELECT COUNT(*) {acts} AND activity_type = '訪問'"),
            "by_purpose": set(rows(f"SELECT purpose, COUNT(*) {acts} AND activity_type = '訪問' GROUP BY purpose")),
            "by_area": set(rows(
                "SELECT area.name, COUNT(*) FROM activity LEFT JOIN area ON area.id = activity.area_id "
                f"WHERE activity.municipality_id = :m AND occurred_on BETWEEN :s AND :e {mine.replace('recorded_by', 'activity.recorded_by')} "
                "AND activity_type = '訪問' GROUP BY area.name"
            )),
            "first": one(f"SELECT COUNT(*) {acts} AND activity_type = '訪問' AND visit_ordinal = 1"),
            "repeat": one(f"SELECT COUNT(*) {acts} AND activity_type = '訪問' AND visit_ordinal > 1"),
            "murmurs": one(f"SELECT COUNT(*) {murs}"),
            "restricted": one(f"SELECT COUNT(*) {murs} AND sharing_scope IN ('private', 'restricted_individual')"),
            "cells": set(rows(
                "SELECT mc.category_code, m.kind, COUNT(*) FROM murmur m "
                "JOIN murmurcategory mc ON mc.murmur_id = m.id AND mc.position = 0 "
                f"WHERE m.municipality_id = :m AND m.captured_on BETWEEN :s AND :e {mine.replace('recorded_by', 'm.recorded_by')} "
                "GROUP BY mc.category_code, m.kind"
            )),
            "resources": [r[0] for r in rows(f"SELECT number FROM resource WHERE {created} ORDER BY number")],
            "leads": [r[0] for r in rows(f"SELECT number FROM lead WHERE {created} AND status = '未訪問' ORDER BY number")],
        }  # fmt: skip


def as_counts(summary: Summary) -> dict:
    """Return a summary's numbers in the shape of `by_sql`."""
    a, m = summary.activities, summary.murmurs
    return {
        "count": a.count,
        "minutes": a.minutes,
        "untimed": a.untimed,
        "visit_minutes": a.visit_minutes,
        "other_minutes": a.other_minutes,
        "by_type": set(a.by_type),
        "by_kubun": set(a.by_kubun),
        "visits": a.visits,
        "by_purpose": set(a.visits_by_purpose),
        "by_area": set(a.visits_by_area),
        "first": a.first_visits,
        "repeat": a.repeat_visits,
        "murmurs": m.count,
        "restricted": m.restricted,
        "cells": {(code, kind, n) for code, _, kinds in m.by_category for kind, n in kinds.items()},
        "resources": [number for number, *_ in summary.new_resources],
        "leads": [number for number, *_ in summary.open_leads],
    }


PERIODS = [week_of(FIRST_DAY + timedelta(days=7 * w)) for w in range(5)] + [
    month_of(2026, 11),
    month_of(2026, 10),
]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.start}..{p.end}")
def test_every_number_matches_sql_for_the_municipality_and_each_coordinator(world2, period):
    for municipality, records in world2.items():
        for author in (None, *(records.member_id(p) for p in PEOPLE[municipality])):
            with session_scope(records.engine) as s:
                summary = build_summary(
                    s,
                    municipality_id=records.municipality_id,
                    period=period,
                    tz=TOKYO,
                    author_id=author,
                )
            expected = by_sql(records.engine, records, period, author)
            assert as_counts(summary) == expected, (municipality, author)
            assert expected["count"] and expected["murmurs"]  # the data is not empty


def test_categories_are_listed_most_frequent_first(world2):
    with session_scope(world2["あおば市"].engine) as s:
        summary = build_summary(
            s,
            municipality_id=world2["あおば市"].municipality_id,
            period=month_of(2026, 11),
            tz=TOKYO,
        )
    totals = [total for _, total, _ in summary.murmurs.by_category]
    assert totals == sorted(totals, reverse=True)
    assert sum(totals) == summary.murmurs.count


def test_a_coordinator_sees_their_own_numbers_and_an_officer_the_municipalitys(world, world2):
    records = world2["あおば市"]
    officer = world.chat("kato", "あおば市", role="officer", area=None)
    sato = world.chat("sato")  # already registered
    last_week = week_of(date(2026, 11, 16))
    mine = by_sql(world.engine, records, last_week, records.member_id("sato"))
    everyone = by_sql(world.engine, records, last_week, None)

    reply = sato.send("まとめ 先週")
    assert "まとめ 2026-11-16（月）〜2026-11-22（日）／あなたの記録" in reply
    assert f"■活動 {mine['count']}件・{mine['minutes'] / 60:.1f}時間" in reply
    assert f"■訪問 {mine['visits']}件（初回 {mine['first']}・2回目以降 {mine['repeat']}）" in reply
    assert f"■つぶやき {mine['murmurs']}件" in reply
    assert f"うち限定 {mine['restricted']}件" in reply
    assert "のつぶやき" not in reply  # murmur texts are never quoted

    whole = officer.send("まとめ 先週")
    assert "あおば市全体" in whole
    assert f"■活動 {everyone['count']}件・{everyone['minutes'] / 60:.1f}時間" in whole
    assert f"■つぶやき {everyone['murmurs']}件" in whole
    assert f"■次の訪問先（芋づる・未訪問）{len(everyone['leads'])}件" in whole
    assert "tanaka" not in whole and "ito" not in whole


def test_this_week_is_the_default_and_months_are_accepted(world, world2):
    sato = world.chat("sato")
    assert "2026-11-23（月）〜2026-11-29（日）" in sato.send("まとめ")
    assert "2026-11-01（日）〜2026-11-30（月）" in sato.send("まとめ 2026-11")
    assert "2026-10-01（木）〜2026-10-31（土）" in sato.send("まとめ 先月")
    assert "「まとめ 先週」" in sato.send("まとめ 来年")


def test_summaries_are_audited(world, world2):
    world.chat("sato").send("まとめ 先週")
    with session_scope(world.engine) as s:
        [entry] = list_audit(s, action="summary")
    assert entry.detail == {"start": "2026-11-16", "end": "2026-11-22"}


def test_an_english_member_gets_an_english_summary(world, world2):
    amy = world.chat("amy")
    amy.send(f"register {world.invite('あおば市')}")
    reply = amy.send("summary last-week")
    assert "Summary Mon 2026-11-16 – Sun 2026-11-22 / your records" in reply
    assert "■Activities: 0, 0.0 h" in reply


@pytest.fixture
def cli(world, monkeypatch, tmp_path):
    """Run `tsunagi` in-process on the world's database file (no .env: run from tmp_path)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(
        "TSUNAGI_DATABASE_URL", world.engine.url.render_as_string(hide_password=False)
    )
    return lambda *argv: cli_main(list(argv))


def test_cli_summary_prints_the_municipalitys_week(world2, cli, capsys, tmp_path):
    records = world2["みどり町"]
    expected = by_sql(records.engine, records, iso_week(2026, 47), None)

    assert cli("summary", "みどり町", "--week", "2026-W47") == 0
    out = capsys.readouterr().out
    assert "まとめ 2026-11-16（月）〜2026-11-22（日）／みどり町全体" in out
    assert f"■活動 {expected['count']}件" in out
    assert f"■つぶやき {expected['murmurs']}件" in out

    assert cli("summary", "みどり町", "--month", "2026-11", "--out", "nov.txt") == 0
    assert "2026-11-01（日）〜2026-11-30（月）" in (tmp_path / "nov.txt").read_text("utf-8")


def test_cli_summary_errors_go_to_stderr(world2, cli, capsys):
    assert cli("summary", "みどり町", "--format", "png") == 1
    assert "--out" in capsys.readouterr().err  # a file format needs a file to write
    assert cli("summary", "どこにもない市") == 1
    assert "municipality not found" in capsys.readouterr().err
    assert cli("summary", "みどり町", "--week", "2026-W60") == 1
    assert "no such week" in capsys.readouterr().err
