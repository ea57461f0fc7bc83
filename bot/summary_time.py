"""`tsunagi admin set-summary-time MUNICIPALITY --weekday mon --time 08:30`.

Sets when the municipality's officers get the weekly summary push (schedules/summary_push.py);
the default is Monday 08:30 in TSUNAGI_TIMEZONE.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import time
from typing import TYPE_CHECKING

from storage.db import session_scope
from storage.members import get_municipality
from storage.reminders import set_summary_time

if TYPE_CHECKING:
    from bot.app import Runtime

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAYS_JA = "月火水木金土日"
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


def add_parsers(admin_sub: argparse._SubParsersAction) -> None:
    """Add `admin set-summary-time` to the admin sub-commands."""
    parser = admin_sub.add_parser(
        "set-summary-time", help="when officers get the weekly summary (default: mon 08:30)"
    )
    parser.add_argument("municipality")
    parser.add_argument("--weekday", choices=WEEKDAYS, required=True)
    parser.add_argument("--time", required=True, help="HH:MM, local time (TSUNAGI_TIMEZONE)")
    parser.set_defaults(handler=cmd_set_summary_time)


def cmd_set_summary_time(args: argparse.Namespace, runtime: Runtime) -> int:
    """Store the weekday and time; an unreadable time is refused with an example."""
    found = _TIME.fullmatch(args.time.strip())
    if found is None:
        print(f"tsunagi: not a time (HH:MM, e.g. 08:30): {args.time}", file=sys.stderr)
        return 1
    weekday = WEEKDAYS.index(args.weekday)
    at = time(int(found[1]), int(found[2]))
    with session_scope(runtime.engine) as session:
        municipality = get_municipality(session, name=args.municipality)
        set_summary_time(session, municipality=municipality, weekday=weekday, at=at)
    day = WEEKDAYS_JA[weekday]
    print(f"{args.municipality}: 週のまとめは毎週{day}曜 {at:%H:%M} に届きます")
    return 0
