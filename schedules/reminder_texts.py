"""What the scheduler's pushes say: a meeting reminder (with RSVP buttons) and its time."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from bot.messages import Choice, Reply
from bot.texts import t
from schedules.occurrences import Occurrence
from storage.meetings import ANSWERS, rsvp_value
from storage.models import MeetingSeries

MORNING = "morning"
ON_TIME = timedelta(minutes=10)  # later than this, a reminder says it is late


def reminder_reply(
    series: MeetingSeries,
    occurrence: Occurrence,
    offset: str,
    *,
    lang: str,
    late: bool,
    nudge: bool,
    tz: tzinfo,
    extra: list[str] | None = None,
) -> Reply:
    """Return a reminder: title, when, where, what the meeting needs, RSVP buttons."""
    head = offset if offset in ("7d", "1d", MORNING) else "other"
    lines = [t(f"meetings.reminder.{head}", lang, title=series.title)]
    lines.append(t("meetings.reminder.when", lang, when=when_text(occurrence.at, lang, tz)))
    if series.place:
        lines.append(t("meetings.reminder.place", lang, place=series.place))
    if late:
        lines.append(t("meetings.reminder.late", lang))
    lines += extra or []
    lines.append(t("meetings.reminder.nudge" if nudge else "meetings.reminder.ask", lang))
    value = rsvp_value(series, occurrence.original)
    choices = tuple(Choice(t(f"meetings.answer.{a}", lang), f"{value}:{a}") for a in ANSWERS)
    return Reply("\n".join(lines), choices=choices)


def when_text(at: datetime, lang: str, tz: tzinfo) -> str:
    """Return a meeting time as 12/8(火) 14:00."""
    local = at.astimezone(tz)
    weekday = t("meetings.weekday_short", lang).split()[local.weekday()]
    return t(
        "meetings.when",
        lang,
        month=local.month,
        day=local.day,
        weekday=weekday,
        time=f"{local:%H:%M}",
    )
