"""`tsunagi summary` and `tsunagi export`: a municipality's summary as text, its records as CSV/XLSX.

Exports are files for the municipality's own use: Japanese headers, dates as YYYY-MM-DD, CSV in
UTF-8 with a BOM (so Excel opens it), and restricted murmurs' text replaced by 「（限定）」.
Both commands are written to the audit log.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.cli import CliError
from bot.texts import t
from handlers.summaries import render_summary
from storage.access import is_author_only
from storage.audit import add_audit
from storage.db import session_scope
from storage.members import get_municipality
from storage.models import Activity, Lead, Murmur, Resource
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
from storage.summaries import Period, build_summary, iso_week, month_of, week_of

if TYPE_CHECKING:
    from bot.app import Runtime

Cell = str | int | date | None
Table = tuple[tuple[str, ...], list[list[Cell]]]

HIDDEN = "（限定）"
VISIT = "訪問"
SCOPES = {
    "team": "チーム",
    "restricted_individual": "限定",
    "private": "非公開",
    "peer_anonymised": "ピア共有（匿名化）",
    "public": "公開",
}
SHEETS = {
    "activities": "活動記録",
    "murmurs": "つぶやき",
    "resources": "地域資源",
    "leads": "次の訪問先",
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
LEAD_HEADERS = ("番号", "名称", "エリア", "状態", "訪問・活動番号", "記録者", "登録日")


def run_summary_command(args: argparse.Namespace, runtime: Runtime) -> int:
    """Print (or write to --out) a municipality's summary for a week or a month."""
    if args.format != "text":
        message = f"summary --format {args.format} is not available yet; use --format text"
        print(f"tsunagi: {message}", file=sys.stderr)
        return 1
    tz = runtime.settings.tz
    period = cli_period(args.week, args.month, runtime.clock.now().astimezone(tz).date())
    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        assert municipality.id is not None
        summary = build_summary(session, municipality_id=municipality.id, period=period, tz=tz)
        scope = t("summary.scope.all", "ja", municipality=municipality.name)
        text = render_summary(summary, lang="ja", scope=scope, categories=category_labels(session))
        dates = {"start": str(period.start), "end": str(period.end)}
        _audit(session, runtime, municipality.id, "summary", **dates)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"summary of {args.municipality} written to {args.out}")
    else:
        print(text)
    return 0


def cli_period(week: str | None, month: str | None, today: date) -> Period:
    """Return the period of --week 2026-W47 or --month 2026-11 (this week by default)."""
    if week and month:
        raise CliError("give either --week or --month, not both")
    try:
        if week:
            found = re.fullmatch(r"(\d{4})-W(\d{1,2})", week.strip(), re.IGNORECASE)
            if found:
                return iso_week(int(found[1]), int(found[2]))
            raise CliError(f"--week must look like 2026-W47: {week}")
        if month:
            found = re.fullmatch(r"(\d{4})-(\d{1,2})", month.strip())
            if found:
                return month_of(int(found[1]), int(found[2]))
            raise CliError(f"--month must look like 2026-11: {month}")
    except ValueError as exc:
        raise CliError(f"no such week or month: {week or month}") from exc
    return week_of(today)


def run_export_command(args: argparse.Namespace, runtime: Runtime) -> int:
    """Write a municipality's records to a CSV (one table) or an XLSX workbook (every table)."""
    out = Path(args.out)
    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        assert municipality.id is not None
        tables = export_tables(session, municipality_id=municipality.id, tz=runtime.settings.tz)
        if args.format == "csv":
            headers, rows = tables[args.table]
            write_csv(out, headers, rows)
            count, what = len(rows), args.table
        else:
            write_xlsx(out, {SHEETS[name]: tables[name] for name in SHEETS})
            count, what = sum(len(tables[name][1]) for name in SHEETS), "all tables"
        detail = {"format": args.format, "table": what, "rows": count}
        _audit(session, runtime, municipality.id, "export", **detail)
    print(f"exported {count} rows of {args.municipality} ({what}) to {out}")
    return 0


def _audit(
    session: Session, runtime: Runtime, municipality_id: int, action: str, **detail: object
) -> None:
    add_audit(
        session,
        at=runtime.clock.now(),
        action=action,
        municipality_id=municipality_id,
        actor="cli",
        detail=dict(detail),
    )


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


def export_tables(session: Session, *, municipality_id: int, tz: tzinfo) -> dict[str, Table]:
    """Return every exportable table of a municipality as (headers, rows)."""
    look = Lookups(
        areas=area_names(session, municipality_id=municipality_id),
        members=member_names(session, municipality_id=municipality_id),
        categories={code: ja for code, (ja, _) in category_labels(session).items()},
        activity_numbers=activity_numbers(session, municipality_id=municipality_id),
        tz=tz,
    )
    activities = list_activities(session, municipality_id=municipality_id)
    murmurs = list_murmurs(session, municipality_id=municipality_id)
    codes = category_codes_by_murmur(session, murmur_ids=[m.id for m in murmurs if m.id])
    coded = [(m, codes.get(m.id or 0, [])) for m in murmurs]
    resources = list_resources(session, municipality_id=municipality_id)
    leads = list_leads(session, municipality_id=municipality_id)
    records = [(a.number, record_row_of_activity(a, look)) for a in activities]
    records += [(m.number, record_row_of_murmur(m, c, look)) for m, c in coded]
    return {
        "records": (RECORD_HEADERS, [row for _, row in sorted(records, key=lambda r: r[0])]),
        "activities": (ACTIVITY_HEADERS, [activity_row(a, look) for a in activities]),
        "murmurs": (MURMUR_HEADERS, [murmur_row(m, c, look) for m, c in coded]),
        "resources": (RESOURCE_HEADERS, [resource_row(r, look) for r in resources]),
        "leads": (LEAD_HEADERS, [lead_row(lead, look) for lead in leads]),
    }


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
        m.kind, None, None, None, look.labels(codes), _murmur_text(m), None, m.status,
        SCOPES.get(m.sharing_scope, m.sharing_scope),
    ]  # fmt: skip


def activity_row(a: Activity, look: Lookups) -> list[Cell]:
    """Return a row of the activities table."""
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
        look.area(m.area_id), _murmur_text(m), m.status,
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


def _murmur_text(murmur: Murmur) -> str:
    return HIDDEN if is_author_only(murmur) else murmur.text


def write_csv(path: Path, headers: Sequence[str], rows: list[list[Cell]]) -> None:
    """Write one table as CSV in UTF-8 with a BOM, dates as YYYY-MM-DD."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(["" if value is None else str(value) for value in row])


def write_xlsx(path: Path, sheets: dict[str, Table]) -> None:
    """Write tables as an Excel workbook: one sheet each, dates as dates, widths and filters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, (headers, rows) in sheets.items():
        sheet = workbook.create_sheet(title)
        sheet.append(list(headers))
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, header in enumerate(headers, start=1):
            values = [header, *(row[column - 1] for row in rows)]
            width = max(_display_width(v) for v in values)
            sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 60)
            for cell in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                if isinstance(cell[0].value, date | datetime):
                    cell[0].number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    workbook.save(path)


def _display_width(value: Cell) -> int:
    text = "" if value is None else f"{value:%Y-%m-%d}" if isinstance(value, date) else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
