"""Reading 会議記録 back: `会議記録` (the latest), `会議記録 一覧 [#series]`, and `#M` for one record.

Meeting records are team records of their municipality: every member of it may read them
(officers included), nobody else — a peer-group meeting's records belong to the organising
municipality. Every list and view is audited without content.
"""

from __future__ import annotations

import re
from datetime import date

from bot.context import Ctx, UserError
from bot.messages import Reply
from handlers.meeting_flow import kind_label
from handlers.minutes_card import record_card
from storage.meetings import get_series
from storage.minutes import get_record, latest_records
from storage.models import MeetingRecord, MeetingSeries

LATEST = 10
OF_SERIES = 20
LIST_WORDS = ("一覧", "list")
_LIST = re.compile(r"(?:一覧|list)(?:\s+#?(\d+))?", re.IGNORECASE)


def is_list_request(args: str) -> bool:
    """Return whether `会議記録 ARGS` asks for a list rather than to record a meeting."""
    return not args.strip() or args.strip().lower().startswith(LIST_WORDS)


def list_minutes(ctx: Ctx, args: str) -> list[Reply]:
    """List the municipality's latest records, or those of series #N (会議記録 一覧 #N)."""
    found = _LIST.fullmatch(args.strip()) if args.strip() else None
    if args.strip() and found is None:
        return [Reply(ctx.t("minutes.list.usage"))]
    series_id, title = None, ctx.t("minutes.list.title")
    if found is not None and found[1]:
        series = get_series(ctx.session, municipality_id=ctx.municipality_id, number=int(found[1]))
        if series is None:
            raise UserError(ctx.t("meetings.not_found", number=int(found[1])))
        series_id, title = series.id, ctx.t("minutes.list.of_series", meeting=_label(ctx, series))
    limit = OF_SERIES if series_id is not None else LATEST
    rows = latest_records(
        ctx.session, municipality_id=ctx.municipality_id, limit=limit, series_id=series_id
    )
    ctx.audit("meeting.record.list", target=f"meeting:#{found[1]}" if found and found[1] else None)
    if not rows:
        return [Reply(ctx.t("minutes.list.empty"))]
    lines = [title, *(_line(ctx, record, series) for record, series in rows)]
    lines.append(ctx.t("minutes.list.hint", example=rows[0][0].number))
    return [Reply("\n".join(lines))]


def show_meeting_record(ctx: Ctx, number: int) -> list[Reply] | None:
    """Return the record #number of the member's municipality as a card, or None if none."""
    record = get_record(ctx.session, municipality_id=ctx.municipality_id, number=number)
    if record is None:
        return None
    series = ctx.session.get(MeetingSeries, record.series_id)
    assert series is not None
    ctx.audit("meeting.record.view", target=f"meeting_record:#{record.number}")
    card = record_card(ctx, _as_draft(ctx, record, series))
    return [Reply(ctx.t("minutes.view.title", number=record.number), card=card)]


def _label(ctx: Ctx, series: MeetingSeries) -> str:
    return f"#{series.number} {series.title}（{kind_label(ctx, series.kind)}）"


def _day(day: date) -> str:
    return f"{day.year}/{day.month}/{day.day}"


def _line(ctx: Ctx, record: MeetingRecord, series: MeetingSeries) -> str:
    return ctx.t(
        "minutes.list.item",
        number=record.number,
        date=_day(record.occurrence),
        nth=ctx.t("minutes.nth", n=record.ordinal),
        title=series.title,
        kind=kind_label(ctx, series.kind),
        attendance=ctx.t(
            "minutes.out_of", total=record.attendees_total, present=record.attendees_present
        ),
    )


def _as_draft(ctx: Ctx, record: MeetingRecord, series: MeetingSeries) -> dict[str, object]:
    """Return a saved record in the shape of the flow's draft, for the same card."""
    return {
        "last_label": _label(ctx, series),
        "occurrence": record.occurrence.isoformat(),
        "ordinal": record.ordinal,
        "attendees_total": record.attendees_total,
        "attendees_present": record.attendees_present,
        "attendance_by_type": record.attendance_by_type,
        "agenda": record.agenda,
        "issues_raised": record.issues_raised,
        "issues_raised_by": record.issues_raised_by,
        "decisions": record.decisions,
        "follow_up": record.follow_up,
        "next_meeting": record.next_meeting,
    }
