"""`tsunagi summary` and `tsunagi export`: a municipality's summary and records as files.

`summary --format text` prints the summary; `csv` writes the period's murmurs counted by
category × area; `xlsx` a workbook of the period (まとめ, then the records' sheets); `png` the
three charts. `export` writes every record (CSV: one table; Excel: every sheet). Files use
Japanese headers, dates as dates, CSV in UTF-8 with a BOM, and restricted murmurs' text replaced
by 「（限定）」. Every command is written to the audit log.
"""

from __future__ import annotations

import argparse
import re
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.charts import chart_set
from bot.cli import CliError
from bot.export_tables import SHEETS, Scope, export_tables
from bot.progress import TextProgress
from bot.texts import t
from bot.workbook import Table, write_csv, write_xlsx
from handlers.summaries import render_summary
from storage.audit import add_audit
from storage.db import session_scope
from storage.members import get_municipality
from storage.records import category_labels
from storage.summaries import Period, build_summary, iso_week, month_of, week_of

if TYPE_CHECKING:
    from bot.app import Runtime

SUMMARY_SHEET = "まとめ"
PERIOD_SHEETS = ("visits", "activities", "murmurs", "connections", "pivot")


def run_summary_command(args: argparse.Namespace, runtime: Runtime) -> int:
    """Print or write a municipality's summary of a week or a month, as text or a file."""
    if args.format != "text" and not args.out:
        example = f"--out summary.{args.format}"
        raise CliError(f"--format {args.format} writes a file: add --out, e.g. {example}")
    tz = runtime.settings.tz
    period = cli_period(args.week, args.month, runtime.clock.now().astimezone(tz).date())
    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        assert municipality.id is not None
        summary = build_summary(session, municipality_id=municipality.id, period=period, tz=tz)
        scope = t("summary.scope.all", "ja", municipality=municipality.name)
        text = render_summary(summary, lang="ja", scope=scope, categories=category_labels(session))
        written = (
            _write_summary(session, args, municipality.id, period, text, tz=tz)
            if args.out
            else []
        )
        dates = {"start": str(period.start), "end": str(period.end), "format": args.format}
        _audit(session, runtime, municipality.id, "summary", **dates)
    if args.format == "text" and not args.out:
        print(text)
    else:
        print(f"summary of {args.municipality} written to {', '.join(map(str, written))}")
    return 0


def _write_summary(
    session: Session,
    args: argparse.Namespace,
    municipality_id: int,
    period: Period,
    text: str,
    *,
    tz: tzinfo,
) -> list[Path]:
    out = Path(args.out)
    if args.format == "text":
        out.write_text(text + "\n", encoding="utf-8")
        return [out]
    if args.format == "png":
        charts = chart_set(
            session,
            municipality_id=municipality_id,
            last_day=period.end,
            author_id=None,
            stem=out.stem,
        )
        paths = [out.with_name(chart.filename) for chart in charts]
        paths[0] = out  # the first chart (categories over 12 weeks) takes the name given
        for path, chart in zip(paths, charts, strict=True):
            path.write_bytes(chart.png)
        return paths
    scope = Scope(period.start, period.end)
    tables = export_tables(session, municipality_id=municipality_id, tz=tz, scope=scope)
    if args.format == "csv":
        write_csv(out, *tables["pivot"])
    else:
        lines: Table = ((SUMMARY_SHEET,), [[line] for line in text.split("\n")])
        write_xlsx(out, {SUMMARY_SHEET: lines, **{SHEETS[n]: tables[n] for n in PERIOD_SHEETS}})
    return [out]


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
    """Write a municipality's records to a CSV (one table) or an XLSX workbook (every sheet)."""
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
            write_xlsx(out, {SHEETS[name]: tables[name] for name in SHEETS}, TextProgress())
            record_sheets = [name for name in SHEETS if name != "pivot"]
            count, what = sum(len(tables[name][1]) for name in record_sheets), "all tables"
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
