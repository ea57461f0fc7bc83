"""`tsunagi resources import MUNICIPALITY FILE [--dry-run]` and `tsunagi resources template --out F`.

An import validates every row first and writes in one transaction, only when no row was
rejected: a file is never half imported. Progress goes to stderr; the report to stdout, or, when
rows are rejected, to stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy.engine import Engine

from bot.progress import Progress, TextProgress, track
from bot.resource_import import COLUMNS, Checked, ImportFileError, check_rows, read_rows
from storage.audit import add_audit
from storage.db import session_scope
from storage.members import get_municipality
from storage.resources import add_resource, update_resource

if TYPE_CHECKING:
    from bot.app import Runtime


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, on a dry run, would do)."""

    rows: int
    created: int
    updated: int
    errors: list[tuple[int, str]]
    dry_run: bool


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `tsunagi resources import|template` to the command line."""
    resources = sub.add_parser("resources", help="local resources (地域資源): import, template")
    resources_sub = resources.add_subparsers(dest="resources_command", required=True)
    imp = resources_sub.add_parser("import", help="import an .xlsx or .csv resource register")
    imp.add_argument("municipality")
    imp.add_argument("file")
    imp.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
    imp.set_defaults(handler=cmd_import)
    template = resources_sub.add_parser("template", help="write the import template")
    template.add_argument("--out", required=True, help="a .xlsx or .csv file")
    template.set_defaults(handler=cmd_template)


def import_resources(
    engine: Engine,
    *,
    municipality: str,
    path: Path,
    now: datetime,
    today: date,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate a register and, if every row is valid (and not a dry run), store it at once."""
    rows = read_rows(path)
    with session_scope(engine) as session:
        municipality_id = get_municipality(session, name=municipality).id
        assert municipality_id is not None
        checked = check_rows(
            session, municipality_id=municipality_id, rows=rows, today=today
        )
        result = _result(len(rows), checked, dry_run)
        if checked.errors or dry_run:
            return result
        for planned in track(checked.planned, progress):
            fields = dict(planned.fields)
            if planned.existing is None:
                add_resource(
                    session,
                    municipality_id=municipality_id,
                    now=now,
                    source="import",
                    **fields,
                )
            else:
                update_resource(session, planned.existing, now=now, source="import", **fields)
        add_audit(
            session,
            at=now,
            action="resource.import",
            municipality_id=municipality_id,
            actor="cli",
            detail={"created": result.created, "updated": result.updated},
        )
    return result


def _result(rows: int, checked: Checked, dry_run: bool) -> ImportResult:
    updated = sum(1 for p in checked.planned if p.existing is not None)
    created = len(checked.planned) - updated
    return ImportResult(rows, created, updated, checked.errors, dry_run)


def report(result: ImportResult) -> str:
    """Return the report printed after an import."""
    if result.errors:
        lines = [
            f"取り込みを中止しました（{len(result.errors)}行に誤りがあるため、1件も取り込んでいません）。"
            "次の行を直してから、もう一度実行してください:"
        ]
        lines += [f"  {line}行目: {reason}" for line, reason in result.errors]
        return "\n".join(lines)
    head = f"{result.rows}行を確認しました: 新規 {result.created}件、更新 {result.updated}件"
    tail = "（--dry-run のため何も書き込んでいません）" if result.dry_run else "。取り込みました。"
    return head + tail


def cmd_import(args: argparse.Namespace, runtime: Runtime) -> int:
    """Run `tsunagi resources import`."""
    now = runtime.clock.now()
    try:
        result = import_resources(
            runtime.engine,
            municipality=args.municipality,
            path=Path(args.file),
            now=now,
            today=now.astimezone(runtime.settings.tz).date(),
            dry_run=args.dry_run,
            progress=TextProgress(sys.stderr),
        )
    except (ImportFileError, OSError) as exc:
        print(f"tsunagi: {exc}", file=sys.stderr)
        return 1
    if result.errors:
        print(report(result), file=sys.stderr)
        return 1
    print(report(result))
    return 0


def cmd_template(args: argparse.Namespace, runtime: Runtime) -> int:
    """Run `tsunagi resources template --out FILE`."""
    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        print("tsunagi: --out は .xlsx か .csv にしてください", file=sys.stderr)
        return 1
    out.write_bytes(template_bytes(out.suffix.lower()))
    print(f"雛形を書き出しました: {out}（列の説明は docs/resources.md）")
    return 0


def template_bytes(suffix: str) -> bytes:
    """Return the import template: headers and one example row (xlsx: with a 説明 sheet)."""
    headers = [c.header for c in COLUMNS]
    example = [c.example for c in COLUMNS]
    if suffix == ".csv":
        buffer = io.StringIO()
        csv.writer(buffer).writerows([headers, example])
        return buffer.getvalue().encode("utf-8-sig")
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "地域資源"
    sheet.append(headers)
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for i, column in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = max(12, len(column.example) * 2 + 2)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("説明")
    notes.append(["見出し", "書き方"])
    for column in COLUMNS:
        notes.append([column.header, column.rule])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 80
    buffer_bytes = io.BytesIO()
    book.save(buffer_bytes)
    return buffer_bytes.getvalue()
