"""`tsunagi guidebook MUNICIPALITY --out FILE.xlsx|pdf`: a guidebook of the publishable resources.

Like 倉敷's くらしき通いの場ガイドブック (DOMAIN.md §8.4): only resources whose group agreed to be
published (publish consent) and that are running (活動中 or 再開; 休止 and 廃止 are left out),
grouped by area and then by kind, each with 開催日時・会場・対象・参加費・主な活動, its PR point,
and its contact only when the contact itself may be published. The PDF is drawn with matplotlib
in the bundled Noto Sans CJK JP (Regular only: headings are larger, not bold), embedded. The export is audited.
"""

from __future__ import annotations

import argparse
import io
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.cli import CliError
from bot.workbook import Cell, xlsx_bytes
from storage.audit import add_audit
from storage.db import session_scope
from storage.members import get_municipality, list_areas
from storage.models import Resource
from storage.records import list_resources

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bot.app import Runtime

PUBLISHED_STATUSES = ("活動中", "再開")
NO_AREA = "地区未設定"
NO_KIND = "その他"
HEADERS = (
    "地区", "種類", "名称", "開催日時", "会場", "対象", "参加費", "主な活動", "参加者数", "予約",
    "運営", "PRポイント", "問合せ",
)  # fmt: skip
A4 = (8.27, 11.69)  # inches
LINE = 0.018  # of the page height, one line of body text
WRAP = 44  # full-width characters to a line


@dataclass(frozen=True)
class Entry:
    area: str
    kind: str
    resource: Resource

    def fields(self) -> list[tuple[str, str | None]]:
        """Return the labelled fields the guidebook prints for this resource."""
        r = self.resource
        return [
            ("開催日時", r.schedule_text),
            ("会場", r.venue),
            ("対象", r.target),
            ("参加費", r.fee),
            ("主な活動", r.main_activities),
            ("参加者数", r.participants),
            ("予約", r.booking),
            ("運営", r.operator),
            ("PR", r.pr_point),
            ("問合せ", r.contact if r.contact_consent else None),
        ]


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add `tsunagi guidebook` to the command line."""
    guidebook = sub.add_parser("guidebook", help="a guidebook of the publishable resources")
    guidebook.add_argument("municipality")
    guidebook.add_argument("--out", required=True, help="FILE.xlsx or FILE.pdf")
    guidebook.set_defaults(handler=run_guidebook_command)


def run_guidebook_command(args: argparse.Namespace, runtime: Runtime) -> int:
    """Write the guidebook of a municipality's publishable resources to --out."""
    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".pdf"):
        raise CliError(f"--out must end in .xlsx or .pdf, e.g. --out guidebook.pdf: {out}")
    today = runtime.clock.now().astimezone(runtime.settings.tz).date()
    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        assert municipality.id is not None
        entries = guidebook_entries(session, municipality_id=municipality.id)
        title = f"{municipality.name} 通いの場・地域資源ガイドブック"
        data = (
            guidebook_pdf(title, today, entries)
            if out.suffix.lower() == ".pdf"
            else guidebook_xlsx(entries)
        )
        add_audit(
            session,
            at=runtime.clock.now(),
            action="export",
            municipality_id=municipality.id,
            actor="cli",
            detail={
                "format": out.suffix.lower().lstrip("."),
                "table": "guidebook",
                "rows": len(entries),
            },
        )
    out.write_bytes(data)
    print(f"guidebook of {args.municipality}: {len(entries)} resources written to {out}")
    return 0


def guidebook_entries(session: Session, *, municipality_id: int) -> list[Entry]:
    """Return the publishable, running resources ordered by area (the area tree's order) and kind."""
    areas = {
        a.id: (i, a.name)
        for i, a in enumerate(list_areas(session, municipality_id=municipality_id))
    }
    entries = []
    for r in list_resources(session, municipality_id=municipality_id):
        if not r.publish_consent or r.status not in PUBLISHED_STATUSES:
            continue
        rank, name = areas.get(r.area_id, (len(areas), NO_AREA))
        entries.append((rank, Entry(name, r.kind or NO_KIND, r)))
    entries.sort(key=lambda e: (e[0], e[1].kind, e[1].resource.name))
    return [entry for _, entry in entries]


def guidebook_xlsx(entries: list[Entry]) -> bytes:
    """Return the guidebook as a workbook: one row per resource, grouped by area and kind."""
    rows: list[list[Cell]] = [
        [e.area, e.kind, e.resource.name, *(value for _, value in e.fields())] for e in entries
    ]
    return xlsx_bytes({"ガイドブック": (HEADERS, rows)})


def _lines(entries: list[Entry]) -> Iterator[tuple[str, str]]:
    """Yield (style, text) lines: area headings, kind headings, names and their fields."""
    area = kind = None
    for entry in entries:
        if entry.area != area:
            area, kind = entry.area, None
            yield "area", f"■ {area}"
        if entry.kind != kind:
            kind = entry.kind
            yield "kind", f"〔{kind}〕"
        yield "name", entry.resource.name
        for label, value in entry.fields():
            if value:
                wrapped = textwrap.wrap(f"{label}：{value}", WRAP) or [""]
                yield "field", wrapped[0]
                for more in wrapped[1:]:
                    yield "field", "　" + more
        yield "gap", ""


STYLES = {
    "area": (15, 2.0),
    "kind": (12, 1.6),
    "name": (11.5, 1.4),
    "field": (9.5, 1.1),
    "gap": (6, 0.6),
}


def guidebook_pdf(title: str, today: date, entries: list[Entry]) -> bytes:
    """Return the guidebook as an A4 PDF with the Japanese font embedded."""
    from matplotlib.backends.backend_pdf import PdfPages

    from bot.charts import japanese_font

    family = japanese_font()
    buffer = io.BytesIO()
    with PdfPages(buffer, metadata={"Title": title, "Creator": "tsunagi"}) as pdf:
        page, y = _page(family, title, today, 1), 0.90
        number = 1
        if not entries:
            page.text(0.08, y, "掲載できる地域資源はまだありません。", fontsize=11, family=family)
        for style, text in _lines(entries):
            size, spacing = STYLES[style]
            if y - LINE * spacing < 0.06:
                pdf.savefig(page)
                number += 1
                page, y = _page(family, title, today, number), 0.90
            indent = {"area": 0.08, "kind": 0.10, "name": 0.12, "field": 0.14, "gap": 0.1}[style]
            page.text(indent, y, text, fontsize=size, family=family, va="top")
            y -= LINE * spacing
        pdf.savefig(page)
    return buffer.getvalue()


def _page(family: str, title: str, today: date, number: int) -> Figure:
    from matplotlib.figure import Figure

    page = Figure(figsize=A4)
    as_of = f"{today.year}年{today.month}月{today.day}日現在"
    page.text(0.08, 0.95, title, fontsize=16, family=family, va="top")
    page.text(0.92, 0.95, as_of, fontsize=9, family=family, ha="right", va="top")
    page.text(0.5, 0.03, f"- {number} -", fontsize=9, family=family, ha="center")
    return page
