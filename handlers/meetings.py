"""予定: the next meetings a member is invited to, with RSVP; 予定 追加/中止/変更/カレンダー, 出欠 #N.

An RSVP choice carries `rsvp:<series #>:<original date>:<answer>`. Whatever its origin (a button
of the list, a reminder, or typed), it is checked again: the series must belong to the member's
municipality, the member must be invited, and the occurrence must be ahead.
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
from schedules.occurrences import TOKYO, Occurrence
from storage.calendars import issue_calendar_token
from storage.meetings import (
    ANSWERS,
    audience_members,
    cancel_occurrence,
    get_series,
    in_audience,
    list_series,
    move_occurrence,
    rsvp_answers,
    series_occurrences,
    set_rsvp,
)
from storage.models import MeetingSeries, Role
from storage.peer import group_for_chat

LIST_FLOW = "meetings.list"
SHOWN = 5
HORIZON = timedelta(days=400)
NEAR = timedelta(days=14)
RSVP = re.compile(r"rsvp:(\d+):(\d{4}-\d{2}-\d{2}):(\S+)")
RSVP_TEXT = r"rsvp:\S+"
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
    for series in list_series(ctx.session, municipality_id=ctx.municipality_id):
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
    key = f"rsvp:{series.number}:{first.original.isoformat()}"
    choices = tuple(Choice(ctx.t(f"meetings.answer.{a}"), f"{key}:{a}") for a in ANSWERS)
    lines.append(ctx.t("meetings.list.ask", number=series.number))
    return Reply("\n".join(lines), choices=choices)


def occurrence_line(ctx: Ctx, series: MeetingSeries, at: Occurrence, answer: str | None) -> str:
    """Return one meeting of the list: when, what, where, and the member's answer."""
    moved = ctx.t("meetings.list.moved") if at.moved or at.shifted else ""
    place = f" @{series.place}" if series.place else ""
    mine = ctx.t(f"meetings.answer.{answer}") if answer else ctx.t("meetings.answer.none")
    return ctx.t(
        "meetings.list.item",
        when=when_label(ctx, at.at) + moved,
        number=series.number,
        title=series.title,
        kind=kind_label(ctx, series.kind),
        place=place,
        answer=mine,
    )


def pick(ctx: Ctx, draft: Draft, answer: Answer) -> StepResult:
    """Record an RSVP picked from the list; anything else is a new request."""
    if answer.value is None or not answer.value.startswith("rsvp:"):
        return Leave()
    return Finish(answer_rsvp(ctx, answer.value))


def answer_rsvp_text(ctx: Ctx, value: str) -> list[Reply]:
    """Record an RSVP sent as its value (a reminder's button)."""
    return answer_rsvp(ctx, value)


def answer_rsvp(ctx: Ctx, value: str) -> list[Reply]:
    """Check an RSVP value against the member and the calendar, then record it."""
    found = RSVP.fullmatch(value)
    series = _series(ctx, int(found[1])) if found else None
    occurrence = _occurrence_on(ctx, series, found[2]) if found and series else None
    if found is None or series is None or occurrence is None or found[3] not in ANSWERS:
        ctx.audit("meeting.rsvp.refused")
        return [Reply(ctx.t("meetings.rsvp.refused"))]
    assert ctx.me.id is not None
    set_rsvp(
        ctx.session,
        series_id=_id(series),
        occurrence=occurrence.original,
        member_id=ctx.me.id,
        answer=found[3],
        now=ctx.now(),
    )
    date_text = occurrence.original.isoformat()
    ctx.audit("meeting.rsvp", target=f"meeting:#{series.number}", date=date_text, answer=found[3])
    when = when_label(ctx, occurrence.at)
    answer = ctx.t(f"meetings.answer.{found[3]}")
    return [Reply(ctx.t("meetings.rsvp.saved", when=when, title=series.title, answer=answer))]


def _series(ctx: Ctx, number: int) -> MeetingSeries | None:
    """Return series #number if it is the member's municipality's and they are invited."""
    series = get_series(ctx.session, municipality_id=ctx.municipality_id, number=number)
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


def change_occurrence(ctx: Ctx, args: str, *, move: bool) -> list[Reply]:
    """Cancel one occurrence (予定 中止 #N DATE) or move it (予定 変更 #N DATE NEWDATE [HH:MM])."""
    found = CHANGE.fullmatch(args.strip())
    if found is None or (move and found[3] is None) or (not move and found[3] is not None):
        return [Reply(ctx.t("meetings.move.usage" if move else "meetings.cancel.usage"))]
    series = _managed_series(ctx, int(found[1]))
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


def _managed_series(ctx: Ctx, number: int) -> MeetingSeries:
    """Return series #number if the member organises it or is an admin."""
    series = get_series(ctx.session, municipality_id=ctx.municipality_id, number=number)
    if series is None:
        raise UserError(ctx.t("meetings.not_found", number=number))
    if ctx.me.role != Role.ADMIN.value and series.organiser_id != ctx.me.id:
        raise UserError(ctx.t("meetings.not_organiser", number=number))
    return series


def _date(ctx: Ctx, text: str) -> date:
    try:
        return date.fromisoformat("-".join(f"{int(p):02d}" for p in text.split("-")))
    except ValueError:
        raise UserError(ctx.t("meetings.bad_date", text=text)) from None


def attendance(ctx: Ctx, args: str) -> list[Reply]:
    """Show the organiser who comes to the next occurrence of series #N."""
    found = re.fullmatch(r"#?(\d+)", args.strip())
    if found is None:
        return [Reply(ctx.t("meetings.attendance.usage"))]
    series = _managed_series(ctx, int(found[1]))
    today = ctx.today()
    ahead = series_occurrences(ctx.session, series=series, start=today, until=today + HORIZON)
    occurrence = next((o for o in ahead if o.at >= ctx.now()), None)
    if occurrence is None:
        return [Reply(ctx.t("meetings.attendance.none", number=series.number))]
    answers = rsvp_answers(ctx.session, series_id=_id(series), occurrence=occurrence.original)
    groups: dict[str, list[str]] = {a: [] for a in (*ANSWERS, "none")}
    for member in audience_members(ctx.session, series=series):
        groups[answers.get(member.id or 0, "none")].append(member.name)
    lines = [
        ctx.t("meetings.attendance.title", when=when_label(ctx, occurrence.at), title=series.title)
    ]
    for key, names in groups.items():
        label = ctx.t(f"meetings.answer.{key}")
        lines.append(
            ctx.t(
                "meetings.attendance.row", answer=label, n=len(names), names="、".join(names) or "—"
            )
        )
    ctx.audit("meeting.attendance.view", target=f"meeting:#{series.number}")
    return [Reply("\n".join(lines))]


def _id(series: MeetingSeries) -> int:
    assert series.id is not None
    return series.id
