"""予定 カレンダー: a private iCal feed per member and per peer group, read back with `icalendar`.

The clock stands at Monday 2026-11-23 10:00 in Tokyo. The weekly Monday meeting used here meets
on 30 November, 7 December, ...; Monday 11 January 2027 is 成人の日.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, datetime, time

import httpx
import pytest
from conftest import Chat, World
from icalendar import Calendar
from sqlmodel import select

from bot.app import Runtime, create_asgi_app
from bot.settings import Settings
from schedules.occurrences import TOKYO
from storage.calendars import issue_calendar_token
from storage.db import session_scope
from storage.meetings import add_series
from storage.members import find_member_by_identity, get_municipality
from storage.models import AuditLog, CalendarToken, MeetingSeries
from storage.peer import add_peer_group

PUBLIC = "https://tsunagi.example.jp"
URL = re.compile(re.escape(PUBLIC) + r"(/ical/[A-Za-z0-9_-]+\.ics)")


@pytest.fixture
def feeds(world: World) -> World:
    """The world with calendar feeds on (a public URL configured)."""
    world.bot.public_url = PUBLIC
    return world


def get(world: World, path: str) -> httpx.Response:
    """Call GET on the ASGI app in-process (what uvicorn serves)."""
    runtime = Runtime(
        settings=Settings(public_url=PUBLIC), engine=world.engine, clock=world.clock, bot=world.bot
    )

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=create_asgi_app(runtime, start_workers=False))
        async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as client:
            return await client.get(path)

    return asyncio.run(call())


def add_monday_meeting(
    world: World, organiser: str, municipality: str = "あおば市", **fields: object
) -> int:
    """Add a weekly Monday 14:00 meeting organised by a chat user; return its number."""
    with session_scope(world.engine) as s:
        found = get_municipality(s, name=municipality)
        member = find_member_by_identity(s, channel="console", external_id=organiser)
        assert found.id is not None and member is not None
        title = str(fields.pop("title", f"{municipality} 定例連絡会"))
        values: dict = {
            "place": "市役所 3階会議室",
            "duration_min": 90,
            "organiser_id": member.id,
            **fields,
        }
        series = add_series(
            s,
            municipality_id=found.id,
            kind="定例連絡会",
            title=title,
            rrule="FREQ=WEEKLY;BYDAY=MO",
            time_of_day=time(14, 0),
            starts_on=date(2026, 11, 30),
            now=world.clock.now(),
            **values,
        )
        return series.number


def feed_path(chat: Chat) -> str:
    reply = chat.send("予定 カレンダー")
    found = URL.search(reply)
    assert found, reply
    return found[1]


def fetch(world: World, path: str) -> Calendar:
    response = get(world, path)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar: Calendar, summary: str) -> list:
    return [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == summary]


def exdates(event) -> set[datetime]:
    return {d.dt for line in _as_list(event.get("EXDATE")) for d in line.dts}


def _as_list(value) -> list:
    return value if isinstance(value, list) else [value] if value is not None else []


def test_a_members_feed_carries_the_rule_in_tokyo_time_with_place_and_length(feeds):
    sato = feeds.chat("sato", "あおば市")
    add_monday_meeting(feeds, "sato")
    reply = sato.send("予定 カレンダー")
    assert PUBLIC + "/ical/" in reply and "他の人に教えないでください" in reply
    calendar = fetch(feeds, URL.search(reply)[1])  # type: ignore[index]
    [event] = events(calendar, "あおば市 定例連絡会")
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO"
    assert event["DTSTART"].dt == datetime(2026, 11, 30, 14, 0, tzinfo=TOKYO)
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event["DURATION"].dt.total_seconds() == 90 * 60
    assert str(event["LOCATION"]) == "市役所 3階会議室"
    assert str(event["UID"]).startswith("series-")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Tokyo"]


def test_a_cancelled_date_and_a_holiday_are_left_out_and_a_moved_one_is_rescheduled(feeds):
    sato = feeds.chat("sato", "あおば市")
    number = add_monday_meeting(feeds, "sato")
    assert "中止" in sato.send(f"予定 中止 #{number} 2026-12-07")
    sato.send(f"予定 変更 #{number} 2026-12-14 2026-12-15 15:00")
    calendar = fetch(feeds, feed_path(sato))
    main, moved = sorted(
        events(calendar, "あおば市 定例連絡会"), key=lambda e: "RECURRENCE-ID" in e
    )
    skipped = exdates(main)
    assert datetime(2026, 12, 7, 14, 0, tzinfo=TOKYO) in skipped  # cancelled
    assert datetime(2027, 1, 11, 14, 0, tzinfo=TOKYO) in skipped  # 成人の日
    assert datetime(2026, 12, 14, 14, 0, tzinfo=TOKYO) not in skipped
    assert moved["RECURRENCE-ID"].dt == datetime(2026, 12, 14, 14, 0, tzinfo=TOKYO)
    assert moved["DTSTART"].dt == datetime(2026, 12, 15, 15, 0, tzinfo=TOKYO)
    assert str(moved["UID"]) == str(main["UID"])


def test_a_meeting_moved_to_the_next_weekday_for_a_holiday_is_shown_on_that_day(feeds):
    sato = feeds.chat("sato", "あおば市")
    add_monday_meeting(feeds, "sato", holiday_policy="next_weekday")
    calendar = fetch(feeds, feed_path(sato))
    main, *changes = sorted(
        events(calendar, "あおば市 定例連絡会"), key=lambda e: "RECURRENCE-ID" in e
    )
    holiday = datetime(2027, 1, 11, 14, 0, tzinfo=TOKYO)
    assert holiday not in exdates(main)
    [shifted] = [c for c in changes if c["RECURRENCE-ID"].dt == holiday]
    assert shifted["DTSTART"].dt == datetime(2027, 1, 12, 14, 0, tzinfo=TOKYO)


def test_a_wrong_or_replaced_address_is_a_plain_not_found(feeds):
    sato = feeds.chat("sato", "あおば市")
    add_monday_meeting(feeds, "sato")
    first = feed_path(sato)
    second = feed_path(sato)
    assert get(feeds, second).status_code == 200
    for path in (first, "/ical/not-a-token.ics"):
        response = get(feeds, path)
        assert response.status_code == 404
        assert "定例連絡会" not in response.text and "VCALENDAR" not in response.text


def test_the_token_is_stored_hashed_and_each_issue_is_audited(feeds):
    sato = feeds.chat("sato", "あおば市")
    token = feed_path(sato).removeprefix("/ical/").removesuffix(".ics")
    with session_scope(feeds.engine) as s:
        rows = list(s.exec(select(CalendarToken)))
        audits = [a for a in s.exec(select(AuditLog)) if a.action == "meeting.calendar.issue"]
    assert len(rows) == 1 and token not in rows[0].token_hash
    assert len(audits) == 1 and token not in str(audits[0].detail) + str(audits[0].target)


def test_another_municipalitys_meetings_never_appear_in_a_members_feed(feeds):
    feeds.municipality("みどり町")
    sato = feeds.chat("sato", "あおば市")
    tanaka = feeds.chat("tanaka", "みどり町")
    add_monday_meeting(feeds, "sato")
    add_monday_meeting(feeds, "tanaka", municipality="みどり町")
    summaries = {str(e["SUMMARY"]) for e in fetch(feeds, feed_path(tanaka)).walk("VEVENT")}
    assert summaries == {"みどり町 定例連絡会"}
    summaries = {str(e["SUMMARY"]) for e in fetch(feeds, feed_path(sato)).walk("VEVENT")}
    assert summaries == {"あおば市 定例連絡会"}


def test_a_peer_groups_feed_holds_its_meetings_which_its_members_also_see(feeds):
    feeds.municipality("みどり町")
    feeds.municipality("やまと村")
    sato = feeds.chat("sato", "あおば市")
    tanaka = feeds.chat("tanaka", "みどり町")
    suzuki = feeds.chat("suzuki", "やまと村")
    with session_scope(feeds.engine) as s:
        ids = [get_municipality(s, name=n).id or 0 for n in ("あおば市", "みどり町")]
        group = add_peer_group(s, name="県南SC会", municipality_ids=ids, now=feeds.clock.now())
        group_token = issue_calendar_token(s, now=feeds.clock.now(), peer_group_id=group.id)
        audience = f"peer:{group.id}"
    add_monday_meeting(feeds, "sato")
    add_monday_meeting(feeds, "sato", audience=audience, title="県南 情報交換会")
    group_feed = fetch(feeds, f"/ical/{group_token}.ics")
    assert {str(e["SUMMARY"]) for e in group_feed.walk("VEVENT")} == {"県南 情報交換会"}
    assert events(fetch(feeds, feed_path(tanaka)), "県南 情報交換会")
    assert not list(fetch(feeds, feed_path(suzuki)).walk("VEVENT"))
    assert len(list(fetch(feeds, feed_path(sato)).walk("VEVENT"))) == 2


def test_without_a_public_url_the_bot_says_feeds_are_not_set_up(world):
    sato = world.chat("sato", "あおば市")
    assert "カレンダー配信は設定されていません" in sato.send("予定 カレンダー")
    with session_scope(world.engine) as s:
        assert not list(s.exec(select(MeetingSeries)))
