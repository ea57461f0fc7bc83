"""`tsunagi demo --size small|large`: seeded, realistic data for tests, demos and benchmarks.

Fictional municipalities, each with a 日常生活圏域 > 小学校区 > 自治会 tree, coordinators,
resources, visits and other activities over the last 26 weeks, murmurs written like DOMAIN.md
§9 (labelled by the classifier, as chat would), leads, and the つなぎ, follow-ups and resource
history that explain the murmurs' and resources' statuses (bot/demo_links.py). The same seed gives the same data.
Structure goes through storage's functions; the volume is written with Core bulk inserts, record
numbers taken here and `Municipality.next_record_no` moved past them afterwards.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Connection, Table, insert, text, update
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, col, select

from bot.classify import suggest_categories, suggest_kind
from bot.demo_links import plan_links
from bot.demo_words import (
    CHANNELS,
    COMPANIONS,
    COUNTERPARTS,
    DISTRICTS,
    FLOWERS,
    FOUND_VIA,
    GIVEN_NAMES,
    KUBUN,
    LEADS,
    MURMUR_STATUSES,
    OTHER_NOTES,
    OUTCOMES,
    PLACE_KINDS,
    PLACES,
    PREFECTURES,
    PURPOSES,
    RESOURCE_KINDS,
    RESOURCE_PURPOSES,
    RESOURCE_STATUSES,
    SOURCES,
    SURNAMES,
    TOWN_BASES,
    TOWN_HEADS,
    VISIT_NOTES,
    WEEKDAYS,
    murmur_text,
)
from bot.privacy import needs_restriction, sensitive_flags
from storage.db import session_scope
from storage.members import add_area, add_member, add_municipality
from storage.models import (
    Activity,
    AreaKind,
    FollowUp,
    Lead,
    Municipality,
    Murmur,
    MurmurCategory,
    Resource,
    ResourceChange,
    Role,
    SharingScope,
)
from storage.models import (
    Connection as ConnectionRow,
)

Progress = Callable[[int, int], None]
BATCH = 5_000
VISIT = "訪問"
WEEKS = 26
TOKYO = ZoneInfo("Asia/Tokyo")


@dataclass(frozen=True)
class Size:
    """How much to generate; the record counts are per municipality."""

    municipalities: int
    districts: int  # 日常生活圏域
    schools: int  # 小学校区 per 日常生活圏域
    neighbourhoods: int  # 自治会 per 小学校区
    members: int
    resources: int
    activities: int
    murmurs: int
    leads: int


SIZES = {
    "small": Size(3, 2, 2, 3, members=10, resources=60, activities=300, murmurs=1_500, leads=30),
    "large": Size(
        100, 3, 2, 3, members=10, resources=200, activities=2_000, murmurs=10_000, leads=200
    ),
}


@dataclass
class Counts:
    """What was generated."""

    municipalities: int = 0
    areas: int = 0
    members: int = 0
    resources: int = 0
    activities: int = 0
    visits: int = 0
    murmurs: int = 0
    restricted: int = 0
    leads: int = 0
    connections: int = 0
    follow_ups: int = 0

    def add(self, other: Counts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


class AlreadyGenerated(ValueError):
    """A municipality of the data set exists already."""


@dataclass(frozen=True)
class _Area:
    id: int
    name: str
    kind: str
    district_id: int


@dataclass
class _Town:
    """One municipality being generated: its ids, areas, coordinators and the next number."""

    id: int
    rng: random.Random
    areas: list[_Area]
    coordinators: dict[int, list[int]]  # district id → member ids
    today: date
    tz: ZoneInfo
    next_number: int = 1

    def __post_init__(self) -> None:
        self.by_id = {a.id: a for a in self.areas}
        self.neighbourhoods = [a for a in self.areas if a.kind == AreaKind.NEIGHBOURHOOD.value]
        self.coarse = [a for a in self.areas if a.kind != AreaKind.NEIGHBOURHOOD.value]
        self.everyone = sorted({m for ids in self.coordinators.values() for m in ids})

    def number(self) -> int:
        self.next_number += 1
        return self.next_number - 1

    def recorder(self, area: _Area | None) -> int:
        """Return a coordinator of the area's 日常生活圏域 (anyone for the whole town)."""
        return self.rng.choice(self.coordinators[area.district_id] if area else self.everyone)

    def moment(self, day: date) -> datetime:
        """Return a working-hours time on a day, as the record's creation time."""
        clock = time(self.rng.randint(8, 18), self.rng.randrange(60))
        return datetime.combine(day, clock, self.tz)


def municipality_names(count: int) -> list[str]:
    """Return the fictional municipality names of a data set of `count` municipalities."""
    names = []
    for i in range(count):  # each head meets each base once; neighbours differ in both
        head, (base, suffix) = TOWN_HEADS[i % 10], TOWN_BASES[(i // 10 + i) % 10]
        names.append(f"{head}{base}{suffix}")
    return names


def generate(
    engine: Engine,
    *,
    size: str | Size,
    seed: int,
    now: datetime,
    tz: ZoneInfo = TOKYO,
    progress: Progress | None = None,
) -> Counts:
    """Generate a whole data set, one transaction per municipality; return what was made."""
    plan = SIZES[size] if isinstance(size, str) else size
    names = municipality_names(plan.municipalities)
    _refuse_existing(engine, names)
    per_town = plan.resources + plan.activities + plan.murmurs + plan.leads
    total, counts = per_town * len(names), Counts()
    for index, name in enumerate(names):
        rng = random.Random(f"{seed}:{index}")
        with session_scope(engine) as session:
            counts.add(_generate_town(session, rng, name, index, plan, now, tz))
        if progress:
            progress(per_town * (index + 1), total)
    with engine.connect() as connection:  # planner statistics for the bulk-loaded tables
        connection.execute(text("ANALYZE"))
        connection.commit()
    return counts


def _refuse_existing(engine: Engine, names: list[str]) -> None:
    with Session(engine) as session:
        found = session.exec(select(Municipality.name).where(col(Municipality.name).in_(names)))
        taken = list(found)
    if taken:
        raise AlreadyGenerated(f"demo data already present: {', '.join(taken[:3])}")


def _generate_town(
    session: Session,
    rng: random.Random,
    name: str,
    index: int,
    plan: Size,
    now: datetime,
    tz: ZoneInfo,
) -> Counts:
    prefecture = PREFECTURES[index % len(PREFECTURES)]
    municipality = add_municipality(session, name=name, prefecture=prefecture, now=now)
    assert municipality.id is not None
    areas = _create_areas(session, rng, municipality.id, plan)
    coordinators = _create_members(session, rng, municipality.id, areas, plan, now)
    town = _Town(municipality.id, rng, areas, coordinators, now.astimezone(tz).date(), tz)
    town.next_number = municipality.next_record_no
    counts = _write_records(session.connection(), town, plan)
    counts.municipalities, counts.areas, counts.members = 1, len(areas), plan.members
    session.connection().execute(
        update(Municipality)
        .where(col(Municipality.id) == town.id)
        .values(next_record_no=town.next_number)
    )
    return counts


def _create_areas(
    session: Session, rng: random.Random, municipality_id: int, plan: Size
) -> list[_Area]:
    """Create the 日常生活圏域 > 小学校区 > 自治会 tree with local names."""
    places = rng.sample(PLACES, plan.districts * plan.schools * (plan.neighbourhoods + 1))
    names = iter(places)
    areas: list[_Area] = []

    def add(name: str, kind: AreaKind, parent: int | None, district: int | None) -> int:
        row = add_area(
            session, municipality_id=municipality_id, name=name, kind=kind.value, parent_id=parent
        )
        assert row.id is not None
        areas.append(_Area(row.id, name, kind.value, district or row.id))
        return row.id

    for district_name in DISTRICTS[: plan.districts]:
        district = add(f"{district_name}圏域", AreaKind.DAILY_LIFE, None, None)
        for _ in range(plan.schools):
            school = add(f"{next(names)}小学校区", AreaKind.ELEMENTARY, district, district)
            for _ in range(plan.neighbourhoods):
                suffix = rng.choice(("自治会", "自治会", "町内会"))
                add(f"{next(names)}{suffix}", AreaKind.NEIGHBOURHOOD, school, district)
    return areas


def _create_members(
    session: Session,
    rng: random.Random,
    municipality_id: int,
    areas: list[_Area],
    plan: Size,
    now: datetime,
) -> dict[int, list[int]]:
    """Create an admin, officers, a 第1層 SC and 第2層 SCs; return SCs by 日常生活圏域."""
    districts = [a.id for a in areas if a.kind == AreaKind.DAILY_LIFE.value]
    specs: list[tuple[Role, int | None, int | None]] = [
        (Role.ADMIN, None, None),
        (Role.OFFICER, None, None),
        (Role.COORDINATOR, 1, None),
    ]
    specs += [
        (Role.COORDINATOR, 2, districts[i % len(districts)])
        for i in range(plan.members - len(specs))
    ]
    by_district: dict[int, list[int]] = {d: [] for d in districts}
    for role, layer, district in specs:
        name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN_NAMES)}"
        member = add_member(
            session,
            municipality_id=municipality_id,
            name=name,
            role=role.value,
            layer=layer,
            area_ids=[district] if district else [],
            now=now,
        )
        assert member.id is not None
        if role is Role.COORDINATOR:
            for d in [district] if district else districts:
                by_district[d].append(member.id)
    return by_district


def _write_records(conn: Connection, town: _Town, plan: Size) -> Counts:
    """Plan and bulk-insert a municipality's resources, activities, murmurs and leads."""
    resources = [_resource_row(town) for _ in range(plan.resources)]
    resource_ids = _insert(conn, Resource, resources, returning=True)
    activities = [_activity_row(town, resources, resource_ids) for _ in range(plan.activities)]
    activities.sort(key=lambda row: row["created_at"])
    _write_visit_notes(town, activities)
    visits = [i for i, a in enumerate(activities) if a["activity_type"] == VISIT]
    murmurs = [_murmur_row(town, activities, visits) for _ in range(plan.murmurs)]
    leads = [_lead_row(town, activities, visits) for _ in range(plan.leads)]
    _number_by_time(town, activities, murmurs, leads)
    activity_ids = _insert(conn, Activity, activities, returning=True)
    for row in (*murmurs, *leads):
        parent = row.pop("_activity", None)
        row["activity_id"] = activity_ids[parent] if parent is not None else None
    categories = [row.pop("_categories") for row in murmurs]
    murmur_ids = _insert(conn, Murmur, murmurs, returning=True)
    _insert(conn, MurmurCategory, list(_category_rows(murmur_ids, categories)))
    _insert(conn, Lead, leads)
    links = plan_links(
        town.rng,
        municipality_id=town.id,
        today=town.today,
        murmurs=murmurs,
        murmur_ids=murmur_ids,
        resources=resources,
        resource_ids=resource_ids,
        number=town.number,
    )
    connection_ids = _insert(conn, ConnectionRow, links.connections, returning=True)
    for row in links.follow_ups:
        row["connection_id"] = connection_ids[row.pop("_connection")]
    _insert(conn, FollowUp, links.follow_ups)
    _insert(conn, ResourceChange, links.changes)
    restricted = sum(m["sharing_scope"] == SharingScope.RESTRICTED.value for m in murmurs)
    return Counts(
        resources=len(resources),
        activities=len(activities),
        visits=len(visits),
        murmurs=len(murmurs),
        restricted=restricted,
        leads=len(leads),
        connections=len(links.connections),
        follow_ups=len(links.follow_ups),
    )


def _insert(
    conn: Connection, model: type[SQLModel], rows: list[dict[str, Any]], *, returning: bool = False
) -> list[int]:
    """Insert rows in batches of BATCH rows; return their ids in order when asked."""
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    if conn.dialect.name == "postgresql":
        return _copy(conn, table, rows, returning=returning)
    ids: list[int] = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        if returning:
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            ids += conn.execute(statement, batch).scalars().all()
        elif batch:
            conn.execute(insert(table), batch)
    return ids


def _copy(
    conn: Connection, table: Table, rows: list[dict[str, Any]], *, returning: bool
) -> list[int]:
    """PostgreSQL: COPY rows in (ids drawn from the table's sequence first when asked).

    Multi-row INSERTs through psycopg spend most of their time rendering the statement;
    COPY streams the values (about 10× faster for the large data set, docs/performance.md).
    """
    if not rows:
        return []
    ids: list[int] = []
    if returning:
        drawn = conn.execute(
            text("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
            {"t": table.name, "n": len(rows)},
        )
        ids = sorted(drawn.scalars())
        rows = [{**row, "id": i} for row, i in zip(rows, ids, strict=True)]
    names = list(rows[0])
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    quoted = ", ".join(f'"{name}"' for name in names)
    with cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([json.dumps(row[n]) if n in as_json else row[n] for n in names])
    return ids


def _number_by_time(town: _Town, *groups: list[dict[str, Any]]) -> None:
    """Number activities, murmurs and leads in the order they were recorded."""
    rows = [row for group in groups for row in group]
    for row in sorted(rows, key=lambda r: r["created_at"]):
        row["number"] = town.number()


def _resource_row(town: _Town) -> dict[str, Any]:
    """Plan a resource in a 自治会; a quarter were found within the last 26 weeks."""
    rng = town.rng
    spec = rng.choice(RESOURCE_KINDS)
    area = rng.choice(town.neighbourhoods)
    say = {"place": area.name[:-3], "flower": rng.choice(FLOWERS), "weekday": rng.choice(WEEKDAYS)}
    recent = rng.random() < 0.25
    created = (
        _working_day(town)
        if recent
        else town.today - timedelta(days=rng.randrange(WEEKS * 7, 3 * 365))
    )
    status = rng.choices(RESOURCE_STATUSES, weights=(90, 5, 3, 2))[0]
    return {
        "municipality_id": town.id,
        "number": town.number(),
        "name": spec.name.format(**say),
        "kind": spec.kind,
        "area_id": area.id,
        "categories": list(spec.categories),
        "main_activities": spec.activities,
        "schedule_text": spec.schedule.format(**say),
        "venue": spec.venue.format(**say),
        "target": rng.choice(spec.targets),
        "fee": rng.choice(spec.fees),
        "operator": spec.operator.format(**say),
        "status": status,
        "status_as_of": created if status == "活動中" else max(created, _working_day(town)),
        "publish_consent": spec.publishable and rng.random() < 0.85,
        "found_via": rng.choice(FOUND_VIA),
        "created_by": town.recorder(None),
        "created_at": town.moment(created),
    }


def _working_day(town: _Town) -> date:
    """Return a day of the last 26 weeks, mostly a weekday."""
    while True:
        day = town.today - timedelta(days=town.rng.randrange(WEEKS * 7))
        if day.weekday() < 5 or town.rng.random() < 0.2:
            return day


def _activity_row(
    town: _Town, resources: list[dict[str, Any]], resource_ids: list[int]
) -> dict[str, Any]:
    """Plan a visit to a resource, a visit elsewhere, or another activity (meeting, desk work…)."""
    rng = town.rng
    day = _working_day(town)
    row: dict[str, Any] = {
        "municipality_id": town.id,
        "channel": rng.choices(CHANNELS, weights=(6, 2, 2))[0],
        "activity_type": VISIT,
        "occurred_on": day,
        "duration_min": rng.choice((30, 45, 60, 90, 120)),
        "kubun": rng.choice(KUBUN),
        "companions": rng.sample(COMPANIONS, rng.choice((0, 0, 1, 1, 2))),
        "outcome": rng.choice(OUTCOMES),
        "resource_id": None,
        "visit_ordinal": None,
        "participants_count": None,
        "counterpart": rng.choice(COUNTERPARTS),
        "place_label": None,
        "purpose": rng.choice(PURPOSES),
        "treasures": None,
    }
    if rng.random() < 0.2:
        area = rng.choice(town.areas)
        kind = rng.choice(tuple(OTHER_NOTES))
        row.update(activity_type=kind, area_id=area.id, purpose=None, counterpart=None)
        row["treasures"] = OTHER_NOTES[kind].format(area=area.name)
    elif rng.random() < 0.65:
        i = rng.randrange(len(resources))
        row.update(area_id=resources[i]["area_id"], resource_id=resource_ids[i])
        row.update(place_label=resources[i]["venue"], _resource=resources[i]["name"])
        row.update(participants_count=rng.randint(4, 30), purpose=rng.choice(RESOURCE_PURPOSES))
    else:
        area = rng.choice(town.neighbourhoods)
        row.update(
            area_id=area.id, place_label=rng.choice(PLACE_KINDS).format(place=area.name[:-3])
        )
    row["recorded_by"] = town.recorder(town.by_id[row["area_id"]])
    row["created_at"] = row["updated_at"] = town.moment(day)
    return row


def _write_visit_notes(town: _Town, activities: list[dict[str, Any]]) -> None:
    """Count each visit's ordinal at its resource and write the visit note."""
    seen: dict[int, int] = {}
    for row in activities:
        name = row.pop("_resource", None)
        if row["activity_type"] != VISIT:
            continue
        if row["resource_id"] is not None:
            seen[row["resource_id"]] = seen.get(row["resource_id"], 0) + 1
            row["visit_ordinal"] = seen[row["resource_id"]]
        n = row["participants_count"] or town.rng.randint(3, 8)
        row["treasures"] = town.rng.choice(VISIT_NOTES).format(
            place=name or row["place_label"],
            ordinal=row["visit_ordinal"] or 1,
            n=n,
            men=town.rng.randint(0, n // 3),
            weekday=town.rng.choice(WEEKDAYS),
        )


def _murmur_row(town: _Town, activities: list[dict[str, Any]], visits: list[int]) -> dict[str, Any]:
    """Plan a murmur heard on a visit (most) or by phone, at the counter, in passing."""
    rng = town.rng
    text = murmur_text(rng)
    label = _label(text)
    row: dict[str, Any] = {
        "municipality_id": town.id,
        "text": text,
        "kind": label.kind,
        "sensitive_flags": list(label.flags),
        "sharing_scope": label.scope,
        "status": rng.choices(MURMUR_STATUSES, weights=(70, 10, 8, 6, 3, 3))[0],
        "pii_masked": False,
        "_categories": label.categories,
    }
    if visits and rng.random() < 0.6:
        i = rng.choice(visits)
        visit = activities[i]
        row.update(_activity=i, source="訪問", recorded_by=visit["recorded_by"])
        row.update(
            channel=visit["channel"], area_id=visit["area_id"], captured_on=visit["occurred_on"]
        )
    else:
        area = rng.choice([*town.neighbourhoods, *town.coarse, None])
        row.update(source=rng.choice(SOURCES), recorded_by=town.recorder(area))
        row.update(channel=rng.choices(CHANNELS, weights=(6, 2, 2))[0])
        row.update(area_id=area.id if area else None, captured_on=_working_day(town))
    row["created_at"] = row["updated_at"] = town.moment(row["captured_on"])
    return row


@dataclass(frozen=True)
class _Label:
    kind: str
    categories: tuple[str, ...]
    flags: tuple[str, ...]
    scope: str


@lru_cache(maxsize=65_536)
def _label(text: str) -> _Label:
    """Return what the chat flow would store for a text: kind, categories, flags, scope."""
    kind = suggest_kind(text)
    restricted = needs_restriction(text, kind)
    scope = SharingScope.RESTRICTED if restricted else SharingScope.TEAM
    return _Label(kind, tuple(suggest_categories(text)), tuple(sensitive_flags(text)), scope.value)


def _category_rows(ids: list[int], categories: list[tuple[str, ...]]) -> Iterator[dict[str, Any]]:
    for murmur_id, codes in zip(ids, categories, strict=True):
        for position, code in enumerate(dict.fromkeys(codes)):
            yield {"murmur_id": murmur_id, "category_code": code, "position": position}


def _lead_row(town: _Town, activities: list[dict[str, Any]], visits: list[int]) -> dict[str, Any]:
    """Plan a lead (芋づる) heard of on a visit."""
    rng = town.rng
    i = rng.choice(visits)
    area = town.by_id[activities[i]["area_id"]]
    return {
        "municipality_id": town.id,
        "_activity": i,
        "label": rng.choice(LEADS).format(place=area.name[:-3]),
        "area_id": area.id,
        "status": "訪問済" if rng.random() < 0.4 else "未訪問",
        "created_by": activities[i]["recorded_by"],
        "created_at": town.moment(activities[i]["occurred_on"]),
    }


def report(counts: Counts, names: Sequence[str], size: str, seed: int) -> str:
    """Return the lines the CLI prints after generating."""
    shown = "、".join(names[:5]) + (f" ほか{len(names) - 5}" if len(names) > 5 else "")
    return "\n".join(
        [
            f"デモデータ（{size}・seed {seed}）を作成しました（架空）: {shown}",
            f"  自治体 {counts.municipalities:,}　エリア {counts.areas:,}　メンバー {counts.members:,}",
            f"  地域資源 {counts.resources:,}　活動記録 {counts.activities:,}"
            f"（うち訪問 {counts.visits:,}）　芋づる {counts.leads:,}",
            f"  つぶやき {counts.murmurs:,}（うち限定共有 {counts.restricted:,}）"
            f"　つなぎ {counts.connections:,}（うちフォロー {counts.follow_ups:,}）",
            f"招待コードを出すには: tsunagi invite {names[0]} --role coordinator --area 北部圏域",
        ]
    )
