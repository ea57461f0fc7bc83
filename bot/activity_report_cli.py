"""`tsunagi report` (the monthly 活動報告 as Excel or text) and `tsunagi quiet-weeks`.

    tsunagi report あおば市 --month 2026-11 [--member 佐藤] [--out report.xlsx]
    tsunagi quiet-weeks あおば市 [WEEKS]

Without --member the report covers the whole municipality; with it, that member's records and
the sections they wrote for that month (if they drafted it in chat). Both are audited.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from storage.activity_reports import find_report
from storage.audit import add_audit
from storage.db import session_scope
from storage.members import NotFound, get_municipality, list_members
from storage.models import ActivityReport, Member
from storage.records import category_labels
from storage.report_data import build_report_data
from storage.summary_extra import quiet_weeks, set_quiet_weeks

if TYPE_CHECKING:
    from bot.app import Runtime


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add `report` and `quiet-weeks` to the tsunagi command line."""
    report = sub.add_parser("report", help="a monthly 活動報告 (Excel with --out FILE.xlsx)")
    report.add_argument("municipality")
    report.add_argument("--month", required=True, help="e.g. 2026-11")
    report.add_argument("--member", help="a member's name (default: the whole municipality)")
    report.add_argument("--out", help="FILE.xlsx (default: print the text)")
    report.set_defaults(handler=cmd_report)
    quiet = sub.add_parser(
        "quiet-weeks", help="show or set after how many weeks without a visit an area is quiet"
    )
    quiet.add_argument("municipality")
    quiet.add_argument("weeks", nargs="?", type=int, help="1 or more (default 6)")
    quiet.set_defaults(handler=cmd_quiet_weeks)


def cmd_report(args: argparse.Namespace, runtime: Runtime) -> int:
    """Write or print a municipality's (or a member's) 活動報告 of a month."""
    from bot.activity_report_xlsx import activity_report_workbook
    from bot.cli import CliError
    from bot.reports import cli_period
    from handlers.activity_report_render import render_report

    if args.out and not args.out.lower().endswith(".xlsx"):
        raise CliError(f"--out must name an .xlsx file: {args.out}")
    tz = runtime.settings.tz
    period = cli_period(None, args.month, runtime.clock.now().astimezone(tz).date())
    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        assert municipality.id is not None
        member = _member(session, municipality.id, args.member) if args.member else None
        report = None
        if member is not None and member.id is not None:
            report = find_report(session, member_id=member.id, start=period.start, end=period.end)
        report = report or ActivityReport(
            municipality_id=municipality.id,
            number=0,
            member_id=member.id if member and member.id else 0,
            whole_municipality=member is None,
            period_start=period.start,
            period_end=period.end,
        )
        data = build_report_data(
            session, municipality_id=municipality.id, period=period, tz=tz, member=member
        )
        labels = category_labels(session)
        if args.out:
            Path(args.out).write_bytes(activity_report_workbook(data, report, categories=labels))
        else:
            print(render_report(data, report, lang="ja", categories=labels))
        add_audit(
            session,
            at=runtime.clock.now(),
            action="export" if args.out else "activity_report.view",
            municipality_id=municipality.id,
            actor="cli",
            detail={
                "what": "activity_report",
                "month": args.month,
                "format": "xlsx" if args.out else "text",
            },
        )
    if args.out:
        print(f"活動報告 ({args.month}) of {args.municipality} written to {args.out}")
    return 0


def _member(session: Session, municipality_id: int, name: str) -> Member:
    for member, _accounts in list_members(session, municipality_id=municipality_id):
        if member.name == name:
            return member
    raise NotFound(f"member not found: {name}")


def cmd_quiet_weeks(args: argparse.Namespace, runtime: Runtime) -> int:
    """Print (or set, then print) a municipality's weeks without a visit that make an area quiet."""
    from bot.cli import CliError

    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        assert municipality.id is not None
        if args.weeks is not None:
            if args.weeks < 1:
                raise CliError("weeks must be 1 or more")
            set_quiet_weeks(
                session, municipality_id=municipality.id, weeks=args.weeks, now=runtime.clock.now()
            )
        weeks = quiet_weeks(session, municipality_id=municipality.id)
    print(f"{args.municipality}: areas with no visit for {weeks} weeks are listed as quiet")
    return 0
