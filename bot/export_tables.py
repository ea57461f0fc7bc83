"""A municipality's records as tables with Japanese headers, for CSV and Excel exports.

Exports are files that leave the chat and may be passed on, so a restricted or private murmur's
text is always replaced by 「（限定）」 — even for its author. A `Scope` narrows the tables to a
period (by the record's date) and/or one SC's own records.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo

from sqlmodel import Session

from bot.workbook import Cell, Table
from storage.access import is_author_only
from storage.connections import follow_up_of, list_connections
from storage.models import Activity, Connection, Lead, Murmur, Resource
from storage.records import (
    activity_numbers,
    area_names,
    category_codes_by_murmur,
    category_labels,
    list_activities,
    list_leads,
    list_murmurs,
    list_resources,
    member_names,
)
from storage.trends import top_level_area

HIDDEN = "（限定）"
VISIT = "訪問"
TOTAL = "合計"
NO_AREA = "地区なし"
NO_CATEGORY = "未分類"
EVER = (datetime(1970, 1, 1, tzinfo=UTC), datetime(9999, 1, 1, tzinfo=UTC))
SCOPES = {
    "team": "チーム",
    "restricted_individual": "限定",
    "private": "非公開",
    "peer_anonymised": "ピア共有（匿名化）",
    "public": "公開",
}
TARGETS = {"resource": "地域資源", "organisation": "団体・機関", "houkatsu": "地域包括支援センター"}
# Sheet names of the workbook, in order, by table name.
SHEETS = {
    "visits": "訪問",
    "activities": "活動",
    "murmurs": "つぶやき",
    "resources": "地域資源",
    "connections": "つなぎ",
    "leads": "次の訪問先",
    "pivot": "分類×地区",
}
RECORD_HEADERS = (
    "番号", "種類", "日付", "エリア", "記録者", "活動種別/つぶやき種類", "目的", "所要時間(分)",
    "活動区分", "カテゴリ", "内容", "成果", "状態", "共有範囲",
)  # fmt: skip
ACTIVITY_HEADERS = (
    "番号", "日付", "活動種別", "エリア", "場所", "目的", "訪問回数", "所要時間(分)", "参加者数",
    "同行者", "相手方", "宝物", "活動区分", "成果", "記録者", "記録日",
)  # fmt: skip
MURMUR_HEADERS = (
    "番号", "日付", "種類", "主カテゴリ", "カテゴリ", "エリア", "内容", "状態", "共有範囲",
    "要配慮", "訪問・活動番号", "記録者", "記録日",
)  # fmt: skip
RESOURCE_HEADERS = (
    "番号", "名称", "種類", "エリア", "カテゴリ", "主な活動", "日時", "会場", "対象", "参加費",
    "運営", "状態", "状態の時点", "掲載同意", "把握の経緯", "登録日",
)  # fmt: skip
CONNECTION_HEADERS = (
    "番号", "日付", "つぶやき番号", "つなぎ先の種類", "つなぎ先", "メモ", "フォローアップ期日",
    "フォローアップ完了", "記録者",
)  # fmt: skip
LEAD_HEADERS = ("番号", "名称", "エリア", "状態", "訪問・活動番号", "記録者", "登録日")


@dataclass(frozen=True)
class Scope:
    """Which records a table holds: dated within [start, end] and/or recorded by one member."""

    start: date | None = None
    end: date | None = None
    author_id: int | None = None

    def holds(self, day: date, author: int | None) -> bool:
        if self.author_id is not None and author != self.author_id:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Lookups:
    """Names behind the ids of one municipality's rows, for export."""

    areas: dict[int, str]
    members: dict[int, str]
    categories: dict[str, str]
    activity_numbers: dict[int, int]
    tz: tzinfo

    def area(self, area_id: int | None) -> str | None:
        return self.areas.get(area_id) if area_id is not None else None

    def member(self, member_id: int | None) -> str | None:
        return self.members.get(member_id) if member_id is not None else None

    def activity(self, activity_id: int | None) -> int | None:
        return self.activity_numbers.get(activity_id) if activity_id is not None else None

    def labels(self, codes: Sequence[str]) -> str:
        return "、".join(self.categories.get(code, code) for code in codes)

    def day(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()


def export_tables(
    session: Session, *, municipality_id: int, tz: tzinfo, scope: Scope | None = None
) -> dict[str, Table]:
    """Return every exportable table of a municipality as (headers, rows)."""
    scope = scope or Scope()
    look = Lookups(
        areas=area_names(session, municipality_id=municipality_id),
        members=member_names(session, municipality_id=municipality_id),
        categories={code: ja for code, (ja, _) in category_labels(session).items()},
        activity_numbers=activity_numbers(session, municipality_id=municipality_id),
        tz=tz,
    )
    activities = [
        a
        for a in list_activities(session, municipality_id=municipality_id)
        if scope.holds(a.occurred_on, a.recorded_by)
    ]
    murmurs = [
        m
        for m in list_murmurs(session, municipality_id=municipality_id)
        if scope.holds(m.captured_on, m.recorded_by)
    ]
    codes = category_codes_by_murmur(session, murmur_ids=[m.id for m in murmurs if m.id])
    coded = [(m, codes.get(m.id or 0, [])) for m in murmurs]
    resources = [
        r
        for r in list_resources(session, municipality_id=municipality_id)
        if scope.holds(look.day(r.created_at), r.created_by)
    ]
    leads = [
        lead
        for lead in list_leads(session, municipality_id=municipality_id)
        if scope.holds(look.day(lead.created_at), lead.created_by)
    ]
    records = [(a.number, record_row_of_activity(a, look)) for a in activities]
    records += [(m.number, record_row_of_murmur(m, c, look)) for m, c in coded]
    visits = [a for a in activities if a.activity_type == VISIT]
    others = [a for a in activities if a.activity_type != VISIT]
    tops = top_level_area(session, municipality_id=municipality_id)
    return {
        "records": (RECORD_HEADERS, [row for _, row in sorted(records, key=lambda r: r[0])]),
        "visits": (ACTIVITY_HEADERS, [activity_row(a, look) for a in visits]),
        "activities": (ACTIVITY_HEADERS, [activity_row(a, look) for a in others]),
        "murmurs": (MURMUR_HEADERS, [murmur_row(m, c, look) for m, c in coded]),
        "resources": (RESOURCE_HEADERS, [resource_row(r, look) for r in resources]),
        "connections": _connections(session, municipality_id, scope, look, murmurs, resources),
        "leads": (LEAD_HEADERS, [lead_row(lead, look) for lead in leads]),
        "pivot": pivot_table(coded, tops, look),
    }


def pivot_table(
    coded: list[tuple[Murmur, list[str]]], tops: dict[int, str], look: Lookups
) -> Table:
    """Return murmurs counted by primary category (rows) × top-level area (columns), with totals."""
    counts = Counter[tuple[str, str]]()
    for murmur, codes in coded:
        category = look.labels(codes[:1]) or NO_CATEGORY
        area = tops.get(murmur.area_id, NO_AREA) if murmur.area_id is not None else NO_AREA
        counts[(category, area)] += 1
    areas = sorted({a for _, a in counts}, key=lambda a: (a == NO_AREA, a))
    by_category = Counter[str]()
    for (category, _), n in counts.items():
        by_category[category] += n
    rows: list[list[Cell]] = [
        [category, *(counts[(category, a)] for a in areas), total]
        for category, total in by_category.most_common()
    ]
    rows.append([TOTAL, *(sum(counts[(c, a)] for c in by_category) for a in areas), len(coded)])
    return ("分類", *areas, TOTAL), rows


def _connections(
    session: Session,
    municipality_id: int,
    scope: Scope,
    look: Lookups,
    murmurs: list[Murmur],
    resources: list[Resource],
) -> Table:
    numbers = {m.id: m.number for m in murmurs}
    names = {r.id: f"#{r.number} {r.name}" for r in resources}
    rows: list[list[Cell]] = []
    for c in list_connections(session, municipality_id=municipality_id, start=EVER[0], end=EVER[1]):
        if scope.holds(look.day(c.created_at), c.created_by):
            rows.append(connection_row(session, c, look, numbers, names))
    return CONNECTION_HEADERS, rows


def connection_row(
    session: Session,
    c: Connection,
    look: Lookups,
    murmur_numbers: dict[int | None, int],
    resource_names: dict[int | None, str],
) -> list[Cell]:
    """Return a row of the connections (つなぎ) table with its follow-up."""
    follow_up = follow_up_of(session, connection_id=c.id) if c.id is not None else None
    target = resource_names.get(c.resource_id) or c.organisation or TARGETS.get(c.target_kind)
    return [
        c.number, look.day(c.created_at), murmur_numbers.get(c.murmur_id),
        TARGETS.get(c.target_kind, c.target_kind), target, c.note,
        follow_up.due_on if follow_up else None,
        look.day(follow_up.done_at) if follow_up and follow_up.done_at else None,
        look.member(c.created_by),
    ]  # fmt: skip


def record_row_of_activity(a: Activity, look: Lookups) -> list[Cell]:
    """Return an activity as a row of the combined records table."""
    kind = "訪問記録" if a.activity_type == VISIT else "活動記録"
    return [
        a.number, kind, a.occurred_on, look.area(a.area_id), look.member(a.recorded_by),
        a.activity_type, a.purpose, a.duration_min, a.kubun, None, _activity_content(a),
        a.outcome, None, None,
    ]  # fmt: skip


def record_row_of_murmur(m: Murmur, codes: list[str], look: Lookups) -> list[Cell]:
    """Return a murmur as a row of the combined records table (restricted text hidden)."""
    return [
        m.number, "つぶやき", m.captured_on, look.area(m.area_id), look.member(m.recorded_by),
        m.kind, None, None, None, look.labels(codes), murmur_text(m), None, m.status,
        SCOPES.get(m.sharing_scope, m.sharing_scope),
    ]  # fmt: skip


def activity_row(a: Activity, look: Lookups) -> list[Cell]:
    """Return a row of the visits or activities table."""
    return [
        a.number, a.occurred_on, a.activity_type, look.area(a.area_id), a.place_label, a.purpose,
        a.visit_ordinal, a.duration_min, a.participants_count, "、".join(a.companions),
        a.counterpart, a.treasures, a.kubun, a.outcome, look.member(a.recorded_by),
        look.day(a.created_at),
    ]  # fmt: skip


def murmur_row(m: Murmur, codes: list[str], look: Lookups) -> list[Cell]:
    """Return a row of the murmurs table (restricted text hidden)."""
    return [
        m.number, m.captured_on, m.kind, look.labels(codes[:1]), look.labels(codes),
        look.area(m.area_id), murmur_text(m), m.status,
        SCOPES.get(m.sharing_scope, m.sharing_scope), "あり" if m.sensitive_flags else None,
        look.activity(m.activity_id), look.member(m.recorded_by), look.day(m.created_at),
    ]  # fmt: skip


def resource_row(r: Resource, look: Lookups) -> list[Cell]:
    """Return a row of the resources table."""
    return [
        r.number, r.name, r.kind, look.area(r.area_id), look.labels(r.categories),
        r.main_activities, r.schedule_text, r.venue, r.target, r.fee, r.operator, r.status,
        r.status_as_of, "あり" if r.publish_consent else "なし", r.found_via,
        look.day(r.created_at),
    ]  # fmt: skip


def lead_row(lead: Lead, look: Lookups) -> list[Cell]:
    """Return a row of the leads table."""
    return [
        lead.number, lead.label, look.area(lead.area_id), lead.status,
        look.activity(lead.activity_id), look.member(lead.created_by), look.day(lead.created_at),
    ]  # fmt: skip


def _activity_content(activity: Activity) -> str | None:
    parts = (
        ("場所", activity.place_label),
        ("相手方", activity.counterpart),
        ("宝物", activity.treasures),
    )
    return "／".join(f"{label}: {value}" for label, value in parts if value) or None


def murmur_text(murmur: Murmur) -> str:
    """Return a murmur's text for a file: 「（限定）」 for a restricted or private one."""
    return HIDDEN if is_author_only(murmur) else murmur.text
