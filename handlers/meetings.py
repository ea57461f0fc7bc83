"""予定: the next meetings a member is invited to, with RSVP; 予定 追加/中止/変更/カレンダー, 出欠 #N.

The list holds the member's municipality's meetings and the peer-group meetings of the other
municipalities of their groups (shown with the group's and the organising municipality's name
instead of a number, which would collide with their own numbers). RSVP and 出欠 live in
handlers/meeting_rsvp.py.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from enum import StrEnum

from bot.context import Ctx, UserError
from bot.flows import Answer, Draft, Finish, Flow, Leave, StartFlow, Step, StepResult
from bot.messages import Choice, Reply
from bot.router import Router
from handlers.common import WRITERS
from handlers.meeting_flow import ADD_FLOW, build_add_flow, kind_label, when_label
from handlers.meeting_rsvp import (
    RSVP_TEXT,
    answer_rsvp,
    answer_rsvp_text,
    attendance,
    managed_series,
)
from schedules.occurrences import TOKYO, Occurrence
from storage.calendars import issue_calendar_token
from storage.meetings import (
    ANSWERS,
    cancel_occurrence,
    in_audience,
    list_series,
    move_occurrence,
    peer_group_of,
    peer_series_for,
    rsvp_answers,
    rsvp_value,
    series_occurrences,
)
from storage.models import MeetingSeries, PeerGroup
from storage.peer import group_for_chat, municipality_names

LIST_FLOW = "meetings.list"
SHOWN = 5
HORIZON = timedelta(days=400)
NEAR = timedelta(days=14)
CHANGE = re.compile(
    r"#?(\d+)\s+(\d{4}-\d{1,2}-\d{1,2})(?:\s+(\d{4}-\d{1,2}-\d{1,2})(?:\s+(\d{1,2}:\d{2}))?)?"
)
ADD_WORDS = {"追加", "add"}
CANCEL_WORDS = {"中止", "cancel"}
MOVE_WORDS = {"変更", "move"}
CALENDAR_WORDS = {"カレンダー", "calendar", "ical"}
Upcoming = tuple[MeetingSeries, Occurrence]


class ListStep(StrEnum):
    PICK = "pick"


def register(router: Router) -> None:
    """Register 予定 (and its sub-commands), 出欠 #N, RSVP answers and the 予定 追加 flow."""
    router.add_command(["予定", "meetings"], meetings_command)
    router.add_command(["出欠", "attendance"], attendance, roles=WRITERS)
    router.add_pattern(RSVP_TEXT, answer_rsvp_text)
    router.add_flow(build_add_flow())
    router.add_flow(
        Flow(LIST_FLOW, {ListStep.PICK: Step(show_list, pick)}, ListStep.PICK, browsing=True)
    )


def meetings_command(ctx: Ctx, args: str) -> list[Reply] | StartFlow:
    """List the next meetings, or run 追加 / 中止 / 変更."""
    word, _, rest = args.partition(" ")
    if word.lower() in ADD_WORDS | CANCEL_WORDS | MOVE_WORDS and ctx.me.role not in WRITERS:
        return [Reply(ctx.t("error.not_allowed"))]
    if word.lower() in ADD_WORDS:
        return StartFlow(ADD_FLOW)
    if word.lower() in CANCEL_WORDS:
        return change_occurrence(ctx, rest, move=False)
    if word.lower() in MOVE_WORDS:
        return change_occurrence(ctx, rest, move=True)
    if word.lower() in CALENDAR_WORDS:
        return calendar_url(ctx)
    if not upcoming(ctx, limit=1):
        return [Reply(ctx.t("meetings.list.empty"))]
    return StartFlow(LIST_FLOW)


def calendar_url(ctx: Ctx) -> list[Reply]:
    """Issue a private feed URL: the peer group's in its chat, the member's own elsewhere."""
    if ctx.public_url is None:
        return [Reply(ctx.t("meetings.ical.off"))]
    incoming = ctx.incoming
    group = group_for_chat(ctx.session, channel=incoming.channel, chat_id=incoming.chat_id)
    if group is not None:
        token = issue_calendar_token(ctx.session, now=ctx.now(), peer_group_id=group.id)
        ctx.audit("meeting.calendar.issue", target=f"peer_group:{group.id}")
        url = f"{ctx.public_url}/ical/{token}.ics"
        return [Reply(ctx.t("meetings.ical.group_url", group=group.name, url=url))]
    token = issue_calendar_token(ctx.session, now=ctx.now(), member_id=ctx.me.id)
    ctx.audit("meeting.calendar.issue", target=f"member:{ctx.me.id}")
    return [Reply(ctx.t("meetings.ical.url", url=f"{ctx.public_url}/ical/{token}.ics"))]


def upcoming(ctx: Ctx, *, limit: int = SHOWN) -> list[Upcoming]:
    """Return the member's next meetings (those they are invited to), soonest first."""
    now, today = ctx.now(), ctx.today()
    found: list[Upcoming] = []
    own = list_series(ctx.session, municipality_id=ctx.municipality_id)
    for series in [*own, *peer_series_for(ctx.session, municipality_id=ctx.municipality_id)]:
        if not in_audience(ctx.session, series=series, member=ctx.me):
            continue
        dates = series_occurrences(ctx.session, series=series, start=today, until=today + HORIZON)
        found.extend((series, o) for o in dates if o.at >= now)
    return sorted(found, key=lambda pair: pair[1].at)[:limit]


def show_list(ctx: Ctx, draft: Draft) -> Reply:
    """Show the next five meetings with the member's answers; offer RSVP for the first."""
    items = upcoming(ctx)
    if not items:
        return Reply(ctx.t("meetings.list.empty"))
    assert ctx.me.id is not None
    lines = [ctx.t("meetings.list.title")]
    for series, occurrence in items:
        answers = rsvp_answers(ctx.session, series_id=_id(series), occurrence=occurrence.original)
        lines.append(occurrence_line(ctx, series, occurrence, answers.get(ctx.me.id)))
    series, first = items[0]
    key = rsvp_value(series, first.original)
    choices = tuple(Choice(ctx.t(f"meetings.answer.{a}"), f"{key}:{a}") for a in ANSWERS)
    lines.append(ctx.t("meetings.list.ask", meeting=series_ref(ctx, series)))
    return Reply("\n".join(lines), choices=choices)


def occurrence_line(ctx: Ctx, series: MeetingSeries, at: Occurrence, answer: str | None) -> str:
    """Return one meeting of the list: when, what, where, and the member's answer."""
    moved = ctx.t("meetings.list.moved") if at.moved or at.shifted else ""
    place = f" @{series.place}" if series.place else ""
    mine = ctx.t(f"meetings.answer.{answer}") if answer else ctx.t("meetings.answer.none")
    return ctx.t(
        "meetings.list.item",
        when=when_label(ctx, at.at) + moved,
        ref=series_ref(ctx, series),
        title=series.title,
        kind=kind_label(ctx, series.kind),
        place=place,
        answer=mine,
    )


def series_ref(ctx: Ctx, series: MeetingSeries) -> str:
    """Return how the list names a series: #N, with its peer group; another town's by group."""
    group_id = peer_group_of(series)
    group = ctx.session.get(PeerGroup, group_id) if group_id is not None else None
    if group is None:
        return f"#{series.number}"
    if series.municipality_id == ctx.municipality_id:
        return ctx.t("meetings.list.own_peer", number=series.number, group=group.name)
    town = municipality_names(ctx.session).get(series.municipality_id, "?")
    return ctx.t("meetings.list.other_peer", group=group.name, town=town)


def pick(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Record an RSVP picked from the list; anything else is a new request."""
    if answer.value is None or not answer.value.startswith("rsvp:"):
        return Leave()
    return Finish(answer_rsvp(ctx, answer.value))


def change_occurrence(ctx: Ctx, args: str, *, move: bool) -> list[Reply]:
    """Cancel one occurrence (予定 中止 #N DATE) or move it (予定 変更 #N DATE NEWDATE [HH:MM])."""
    found = CHANGE.fullmatch(args.strip())
    if found is None or (move and found[3] is None) or (not move and found[3] is not None):
        return [Reply(ctx.t("meetings.move.usage" if move else "meetings.cancel.usage"))]
    series = managed_series(ctx, int(found[1]))
    day = _date(ctx, found[2])
    # A date moved by the holiday policy (or by hand) is found by either of its dates.
    near = series_occurrences(ctx.session, series=series, start=day - NEAR, until=day + NEAR)
    occurrence = next((o for o in near if day in (o.original, o.at.date())), None)
    if occurrence is None:
        raise UserError(ctx.t("meetings.change.no_such_date", number=series.number, date=day))
    target = f"meeting:#{series.number}"
    if not move:
        cancel_occurrence(ctx.session, series_id=_id(series), original=occurrence.original)
        ctx.audit("meeting.cancel", target=target, date=occurrence.original.isoformat())
        return [Reply(ctx.t("meetings.cancel.done", number=series.number, date=day))]
    hour, minute = map(int, (found[4] or series.time_of_day.strftime("%H:%M")).split(":"))
    to = datetime.combine(_date(ctx, found[3]), series.time_of_day, TOKYO).replace(
        hour=hour, minute=minute
    )
    move_occurrence(ctx.session, series_id=_id(series), original=occurrence.original, to=to)
    ctx.audit("meeting.move", target=target, date=occurrence.original.isoformat())
    when = when_label(ctx, to)
    return [Reply(ctx.t("meetings.move.done", number=series.number, date=day, when=when))]


def _date(ctx: Ctx, text: str) -> date:
    try:
        return date.fromisoformat("-".join(f"{int(p):02d}" for p in text.split("-")))
    except ValueError:
        raise UserError(ctx.t("meetings.bad_date", text=text)) from None


def _id(series: MeetingSeries) -> int:
    assert series.id is not None
    return series.id
