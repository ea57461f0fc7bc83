"""RSVP answers (参加 / 欠席 / 未定) and 出欠 #N, for a municipality's and a peer group's meetings.

An RSVP choice carries `rsvp:<ref>:<original date>:<answer>`, where ref is the series number of
the member's municipality, or `p<id>` for a peer-group series (its members come from several
municipalities). Whatever its origin (a button of the list, a reminder, a group post, or typed),
it is checked again: the member must be invited (the series is their municipality's, or their
municipality is in its peer group) and the occurrence must be ahead.

出欠 #N shows the organiser names only from their own municipality; members of the other
municipalities of a peer group are counted by municipality (「みどり町 2名」), never named.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from bot.context import Ctx, UserError
from bot.messages import Reply
from handlers.meeting_flow import when_label
from schedules.occurrences import Occurrence
from storage.meetings import (
    ANSWERS,
    audience_members,
    get_invited_series,
    get_series,
    in_audience,
    rsvp_answers,
    series_occurrences,
    set_rsvp,
)
from storage.models import MeetingSeries, Role
from storage.peer import municipality_names

HORIZON = timedelta(days=400)
RSVP = re.compile(r"rsvp:(p?)(\d+):(\d{4}-\d{2}-\d{2}):(\S+)")
RSVP_TEXT = r"rsvp:\S+"


def answer_rsvp_text(ctx: Ctx, value: str) -> list[Reply]:
    """Record an RSVP sent as its value (a reminder's button)."""
    return answer_rsvp(ctx, value)


def answer_rsvp(ctx: Ctx, value: str) -> list[Reply]:
    """Check an RSVP value against the member and the calendar, then record it."""
    found = RSVP.fullmatch(value)
    series = _invited(ctx, peer=bool(found[1]), ref=int(found[2])) if found else None
    occurrence = _occurrence_on(ctx, series, found[3]) if found and series else None
    if found is None or series is None or occurrence is None or found[4] not in ANSWERS:
        ctx.audit("meeting.rsvp.refused")
        return [Reply(ctx.t("meetings.rsvp.refused"))]
    assert ctx.me.id is not None and series.id is not None
    set_rsvp(
        ctx.session,
        series_id=series.id,
        occurrence=occurrence.original,
        member_id=ctx.me.id,
        answer=found[4],
        now=ctx.now(),
    )
    date_text = occurrence.original.isoformat()
    target = series_target(ctx, series)
    ctx.audit("meeting.rsvp", target=target, date=date_text, answer=found[4])
    when = when_label(ctx, occurrence.at)
    answer = ctx.t(f"meetings.answer.{found[4]}")
    return [Reply(ctx.t("meetings.rsvp.saved", when=when, title=series.title, answer=answer))]


def series_target(ctx: Ctx, series: MeetingSeries) -> str:
    """Return how the audit log names a series: its number, or p<id> if another town's."""
    if series.municipality_id == ctx.municipality_id:
        return f"meeting:#{series.number}"
    return f"meeting:p{series.id}"


def _invited(ctx: Ctx, *, peer: bool, ref: int) -> MeetingSeries | None:
    """Return the series an RSVP names if the member is invited to it."""
    if peer:
        return get_invited_series(ctx.session, member=ctx.me, series_id=ref)
    series = get_series(ctx.session, municipality_id=ctx.municipality_id, number=ref)
    if series is None or not in_audience(ctx.session, series=series, member=ctx.me):
        return None
    return series


def _occurrence_on(ctx: Ctx, series: MeetingSeries, day_text: str) -> Occurrence | None:
    """Return the occurrence still ahead whose original date is `day_text`, or None."""
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        return None
    dates = series_occurrences(ctx.session, series=series, start=ctx.today(), until=day + HORIZON)
    return next((o for o in dates if o.original == day and o.at >= ctx.now()), None)


def managed_series(ctx: Ctx, number: int) -> MeetingSeries:
    """Return series #number if the member organises it or is an admin."""
    series = get_series(ctx.session, municipality_id=ctx.municipality_id, number=number)
    if series is None:
        raise UserError(ctx.t("meetings.not_found", number=number))
    if ctx.me.role != Role.ADMIN.value and series.organiser_id != ctx.me.id:
        raise UserError(ctx.t("meetings.not_organiser", number=number))
    return series


def attendance(ctx: Ctx, args: str) -> list[Reply]:
    """Show the organiser who comes to the next occurrence of series #N."""
    found = re.fullmatch(r"#?(\d+)", args.strip())
    if found is None:
        return [Reply(ctx.t("meetings.attendance.usage"))]
    series = managed_series(ctx, int(found[1]))
    assert series.id is not None
    today = ctx.today()
    ahead = series_occurrences(ctx.session, series=series, start=today, until=today + HORIZON)
    occurrence = next((o for o in ahead if o.at >= ctx.now()), None)
    if occurrence is None:
        return [Reply(ctx.t("meetings.attendance.none", number=series.number))]
    answers = rsvp_answers(ctx.session, series_id=series.id, occurrence=occurrence.original)
    names: dict[str, list[str]] = {a: [] for a in (*ANSWERS, "none")}
    elsewhere: dict[str, Counter[str]] = {a: Counter() for a in names}
    towns = municipality_names(ctx.session)
    for member in audience_members(ctx.session, series=series):
        answer = answers.get(member.id or 0, "none")
        if member.municipality_id == ctx.municipality_id:
            names[answer].append(member.name)
        else:
            elsewhere[answer][towns.get(member.municipality_id, "?")] += 1
    when = when_label(ctx, occurrence.at)
    lines = [ctx.t("meetings.attendance.title", when=when, title=series.title)]
    for key, own in names.items():
        counted = sorted(elsewhere[key].items())
        shown = own + [ctx.t("meetings.attendance.town", town=t, n=n) for t, n in counted]
        lines.append(
            ctx.t(
                "meetings.attendance.row",
                answer=ctx.t(f"meetings.answer.{key}"),
                n=len(own) + sum(elsewhere[key].values()),
                names="、".join(shown) or "—",
            )
        )
    ctx.audit("meeting.attendance.view", target=series_target(ctx, series))
    return [Reply("\n".join(lines))]
