"""`tsunagi purge [--dry-run] [--before DATE] [MUNICIPALITY]`: run the retention purge now.

It does what the daily job does (schedules/retention.py) — deletes or anonymises what has passed
its retention period — and prints the counts; `--dry-run` only counts, `--before` limits it to
rows also older than that date, MUNICIPALITY to one municipality's records. Every run is audited
(`retention.purge`, counts only).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from bot.app import Runtime
from schedules.retention import RetentionPolicy, purge

LABELS = {
    "sensitive_notes": "相談記録 / consultation notes",
    "media": "写真 / photos",
    "unattached_media": "未添付の写真 / photos never attached",
    "form_links": "フォームのリンク / form links",
    "anonymised": "匿名化した記録 / records anonymised",
    "audit": "監査ログ / audit entries",
    "inbox": "受信キュー / inbox events",
    "outbox": "送信キュー / outbox messages",
}


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add `purge` to the tsunagi sub-commands."""
    parser = sub.add_parser("purge", help="delete or anonymise what has passed its retention")
    parser.add_argument("municipality", nargs="?", help="only this municipality's records")
    parser.add_argument("--dry-run", action="store_true", help="count only; change nothing")
    parser.add_argument("--before", help="only rows also older than this date, YYYY-MM-DD")
    parser.set_defaults(handler=cmd_purge)


def cmd_purge(args: argparse.Namespace, runtime: Runtime) -> int:
    """Run the purge and print what it removed (or would remove)."""
    try:
        before = date.fromisoformat(args.before) if args.before else None
    except ValueError:
        print(f"tsunagi: not a date (YYYY-MM-DD, e.g. 2021-04-01): {args.before}", file=sys.stderr)
        return 1
    try:
        report = purge(
            runtime.engine,
            runtime.clock,
            RetentionPolicy.from_settings(runtime.settings),
            municipality=args.municipality,
            before=before,
            dry_run=args.dry_run,
            tz=runtime.settings.tz,
        )
    except LookupError:
        print(f"tsunagi: no municipality called {args.municipality}", file=sys.stderr)
        return 1
    verb = "削除・匿名化の対象（ドライラン、変更なし）" if args.dry_run else "削除・匿名化しました"
    print(f"{verb} / {'would purge (dry run)' if args.dry_run else 'purged'}:")
    for name, label in LABELS.items():
        if name in report.counts:
            print(f"  {label}: {report.counts[name]}")
    print(f"  合計 / total: {report.total}")
    return 0
