"""GET /ical/<token>.ics: a member's or a peer group's private calendar feed (RFC 5545).

Each series is one VEVENT with its RRULE in Asia/Tokyo. Occurrences the calendar does not hold
(cancelled, skipped for a holiday or 年末年始) are EXDATEs; those held on another day (moved by
the organiser, or shifted to the next weekday by the holiday policy) are extra VEVENTs with the
same UID and a RECURRENCE-ID. Exceptions are computed up to HORIZON ahead; beyond that the
RRULE alone speaks. An unknown or revoked token is a bare 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.texts import t
from schedules.occurrences import TOKYO, rule_dates
from storage.calendars import active_calendar_token, member_feed_series, peer_group_feed_series
from storage.db import session_scope
from storage.meetings import series_occurrences
from storage.models import MeetingSeries, Member, PeerGroup

if TYPE_CHECKING:  # icalendar is imported when a feed is built (it slows the start-up)
    from icalendar import Calendar, Event, vRecur

    from bot.app import Runtime

HORIZON = timedelta(days=730)
DEFAULT_DURATION = timedelta(minutes=60)
MEDIA_TYPE = "text/calendar; charset=utf-8"


def ical_routes(runtime: Runtime) -> list[Route]:
    """Return the feed's route."""

    async def feed(request: Request) -> Response:
        token = str(request.path_params["token"])
        body = await run_in_threadpool(feed_body, runtime, token)
        if body is None:
            return PlainTextResponse("Not Found", status_code=404)
        return Response(body, media_type=MEDIA_TYPE, headers={"Cache-Control": "private"})

    return [Route("/ical/{token}.ics", feed, methods=["GET"])]


def feed_body(runtime: Runtime, token: str) -> bytes | None:
    """Return the feed a token opens, or None for an unknown or revoked one."""
    with session_scope(runtime.engine) as session:
        row = active_calendar_token(session, token=token)
        if row is None:
            return None
        now = runtime.clock.now()
        if row.member_id is not None:
            member = session.get(Member, row.member_id)
            if member is None or not member.active:
                return None
            name = t("meetings.ical.name", member.language)
            series = member_feed_series(session, member=member)
        else:
            group = session.get(PeerGroup, row.peer_group_id)
            if group is None:
                return None
            name = t("meetings.ical.group_name", "ja", group=group.name)
            series = peer_group_feed_series(session, peer_group_id=group.id or 0)
        return build_calendar(session, series, name=name, now=now).to_ical()


def build_calendar(
    session: Session, series: Sequence[MeetingSeries], *, name: str, now: datetime
) -> Calendar:
    """Return a calendar holding each series with its exceptions up to HORIZON from now."""
    from icalendar import Calendar, Timezone

    calendar = Calendar()
    calendar.add("prodid", "-//tsunagi//meetings//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    calendar.add_component(Timezone.from_tzid("Asia/Tokyo"))
    last = now.astimezone(TOKYO).date() + HORIZON
    for one in series:
        for event in series_events(session, one, last=last, now=now):
            calendar.add_component(event)
    return calendar


def series_events(
    session: Session, series: MeetingSeries, *, last: date, now: datetime
) -> list[Event]:
    """Return a series' VEVENT and one more VEVENT per occurrence held on another day."""
    until = min(last, series.until) if series.until else last
    days = rule_dates(series.rrule, start=series.starts_on, until=until)
    held = {
        o.original: o
        for o in series_occurrences(session, series=series, start=series.starts_on, until=until)
    }
    main = _event(series, _at(series, days[0] if days else series.starts_on), now)
    main.add("rrule", _rule(series))
    missing = [_at(series, day) for day in days if day not in held]
    if missing:
        main.add("exdate", missing)
    events = [main]
    for original, occurrence in held.items():
        if occurrence.moved or occurrence.shifted:
            changed = _event(series, occurrence.at, now)
            changed.add("recurrence-id", _at(series, original))
            events.append(changed)
    return events


def _event(series: MeetingSeries, start: datetime, now: datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", f"series-{series.id}@tsunagi")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", start)
    minutes = series.duration_min
    event.add("duration", timedelta(minutes=minutes) if minutes else DEFAULT_DURATION)
    event.add("summary", series.title)
    if series.place:
        event.add("location", series.place)
    return event


def _rule(series: MeetingSeries) -> vRecur:
    """Return the stored RRULE, ending on the series' last day if it has one."""
    from icalendar import vRecur

    rule = vRecur.from_ical(series.rrule)
    if series.until and "UNTIL" not in rule and "COUNT" not in rule:
        rule["UNTIL"] = [_at(series, series.until).astimezone(UTC)]
    return rule


def _at(series: MeetingSeries, day: date) -> datetime:
    return datetime.combine(day, series.time_of_day, tzinfo=TOKYO)
