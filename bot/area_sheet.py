"""One area's sheet in the spirit of 高松市's わがまちこんなとこシート (DOMAIN.md §8.3).

Its resources, its murmurs by category and kind, its visits, its connections and open
follow-ups, and — side by side — the good points (宝物・願い・担い手の申し出, and the 宝物 noted
on visits) and the worries (困りごと). Murmurs the viewer may not read (restricted, private) are
counted, never quoted. As chat text, or as a workbook with the two columns side by side.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from bot.workbook import Cell, Table, xlsx_bytes
from storage.access import can_read
from storage.area_records import AreaRecords
from storage.models import Connection, Member
from storage.records import category_codes_by_murmur, category_labels

Tr = Callable[..., str]
GOOD_KINDS = ("宝物", "願い", "担い手の申し出")
WORRY_KINDS = ("困りごと",)
QUOTED = 8  # quotes per column in chat; the workbook holds them all
LISTED = 10
TARGETS = {"resource": "地域資源", "organisation": "団体・機関", "houkatsu": "地域包括支援センター"}


@dataclass
class AreaSheet:
    area: str
    today: date
    records: AreaRecords
    by_category: list[tuple[str, int, dict[str, int]]]  # label, total, {kind: n}
    hidden: int  # murmurs counted but not quoted
    good: list[tuple[int, str]]  # (number, text)
    worries: list[tuple[int, str]]


def build_sheet(
    session: Session, *, viewer: Member, area: str, today: date, records: AreaRecords
) -> AreaSheet:
    """Return the sheet of an area's records as the viewer may see it."""
    labels = {code: ja for code, (ja, _) in category_labels(session).items()}
    codes = category_codes_by_murmur(session, murmur_ids=[m.id for m in records.murmurs if m.id])
    totals: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    for murmur in records.murmurs:
        found = codes.get(murmur.id or 0) or []
        label = labels.get(found[0], found[0]) if found else "未分類"
        totals[label] += 1
        kinds[label][murmur.kind] += 1
    readable = [m for m in records.murmurs if can_read(viewer, m)]
    good = [(m.number, m.text) for m in readable if m.kind in GOOD_KINDS]
    good += [(v.number, f"宝物: {v.treasures}") for v in records.visits if v.treasures]
    return AreaSheet(
        area=area,
        today=today,
        records=records,
        by_category=[(label, n, dict(kinds[label])) for label, n in totals.most_common()],
        hidden=len(records.murmurs) - len(readable),
        good=sorted(good, reverse=True),
        worries=sorted(
            ((m.number, m.text) for m in readable if m.kind in WORRY_KINDS), reverse=True
        ),
    )


def open_follow_ups(sheet: AreaSheet) -> list[tuple[int, str, date]]:
    """Return (connection number, target, due date) of the follow-ups not done yet."""
    rows = []
    for connection, follow_up in sheet.records.connections:
        if follow_up is not None and follow_up.done_at is None:
            rows.append((connection.number, _target(sheet, connection), follow_up.due_on))
    return sorted(rows, key=lambda row: row[2])


def _target(sheet: AreaSheet, connection: Connection) -> str:
    for resource in sheet.records.resources:
        if resource.id == connection.resource_id:
            return f"#{resource.number} {resource.name}"
    kind = connection.target_kind
    return connection.organisation or TARGETS.get(kind, kind)


def render_text(sheet: AreaSheet, t: Tr) -> str:
    """Return the sheet as chat text; `t(key, **values)` gives the catalogue texts."""
    lines = [t("area.title", area=sheet.area, today=sheet.today.isoformat())]
    resources = sheet.records.resources
    lines.append(t("area.resources", n=len(resources)))
    for r in resources[:LISTED]:
        detail = "・".join(x for x in (r.kind, r.schedule_text, r.status) if x)
        lines.append(t("area.resource_row", number=r.number, name=r.name, detail=detail))
    lines += _rest(len(resources), LISTED, t)
    lines.append(t("area.murmurs", n=len(sheet.records.murmurs)))
    for label, n, kinds in sheet.by_category:
        kind_text = "、".join(f"{k} {c}" for k, c in sorted(kinds.items(), key=lambda kv: -kv[1]))
        lines.append(t("area.murmur_row", category=label, n=n, kinds=kind_text))
    if sheet.hidden:
        lines.append(t("area.restricted", n=sheet.hidden))
    for key, quotes in (("area.good", sheet.good), ("area.worries", sheet.worries)):
        lines.append(t(key))
        lines += [t("area.quote", number=n, text=text) for n, text in quotes[:QUOTED]]
        lines += _rest(len(quotes), QUOTED, t)
    visits = sheet.records.visits
    last = visits[-1].occurred_on.isoformat() if visits else t("area.never")
    lines.append(t("area.visits", n=len(visits), last=last))
    for v in reversed(visits[-3:]):
        day, place = v.occurred_on.isoformat(), v.place_label or ""
        lines.append(t("area.visit_row", number=v.number, date=day, place=place))
    follow_ups = open_follow_ups(sheet)
    lines.append(t("area.connections", n=len(sheet.records.connections), open=len(follow_ups)))
    for number, target, due in follow_ups[:LISTED]:
        lines.append(t("area.follow_up_row", number=number, target=target, due=due.isoformat()))
    return "\n".join(lines)


def _rest(count: int, shown: int, t: Tr) -> list[str]:
    if count == 0:
        return [t("area.none")]
    return [t("area.more", n=count - shown)] if count > shown else []


def sheet_workbook(sheet: AreaSheet) -> bytes:
    """Return the sheet as a workbook: good points and worries side by side, then the lists."""
    width = max(len(sheet.good), len(sheet.worries))
    side: list[list[Cell]] = []
    for i in range(width):
        good = sheet.good[i] if i < len(sheet.good) else (None, None)
        worry = sheet.worries[i] if i < len(sheet.worries) else (None, None)
        side.append([good[0], good[1], worry[0], worry[1]])
    resources: list[list[Cell]] = [
        [
            r.number,
            r.name,
            r.kind,
            r.main_activities,
            r.schedule_text,
            r.venue,
            r.target,
            r.fee,
            r.status,
        ]
        for r in sheet.records.resources
    ]
    murmurs: list[list[Cell]] = [
        [label, kind, n] for label, _, kinds in sheet.by_category for kind, n in kinds.items()
    ]
    visits: list[list[Cell]] = [
        [v.number, v.occurred_on, v.place_label, v.purpose, v.treasures]
        for v in sheet.records.visits
    ]
    follow_ups: list[list[Cell]] = [list(row) for row in open_follow_ups(sheet)]
    sheets: dict[str, Table] = {
        "ええとこ・困りごと": (
            ("番号", "ええとこ（宝物・願い・担い手）", "番号", "困りごと"),
            side,
        ),
        "地域資源": (
            ("番号", "名称", "種類", "主な活動", "日時", "会場", "対象", "参加費", "状態"),
            resources,
        ),
        "つぶやき（分類別）": (("分類", "種類", "件数"), murmurs),
        "訪問": (("番号", "日付", "場所", "目的", "宝物"), visits),
        "フォローアップ": (("つなぎ番号", "つなぎ先", "期日"), follow_ups),
    }
    return xlsx_bytes(sheets)
