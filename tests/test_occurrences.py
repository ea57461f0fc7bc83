"""A series expanded into meetings: holiday policy, 年末年始, cancelled and moved occurrences."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from test_holidays import HOLIDAYS

from schedules.occurrences import TOKYO, Occurrence, occurrences
from schedules.recurrence import Recurrence, parse_recurrence

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
TEN = time(10, 0)


def rrule(text: str, start: date) -> str:
    rule = parse_recurrence(text, start=start)
    assert isinstance(rule, Recurrence)
    return rule.rrule


def meeting_on(day: date, policy: str, **options) -> list[Occurrence]:
    """Return a weekly meeting on `day`'s weekday, expanded for `day` alone."""
    weekly = f"FREQ=WEEKLY;BYDAY={CODES[day.weekday()]}"
    return occurrences(weekly, start=day, until=day, time=TEN, policy=policy, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize("day", list(HOLIDAYS), ids=str)
def test_every_holiday_2026_to_2028_under_each_policy(day):
    name, next_working_day = HOLIDAYS[day]
    year_end = day.month == 1 and day.day <= 3
    assert meeting_on(day, "skip") == []
    [moved] = meeting_on(day, "next_weekday")
    assert moved.at == datetime.combine(next_working_day, TEN, tzinfo=TOKYO)
    assert moved.shifted and moved.original == day
    assert moved.holiday == ("年末年始" if year_end else name)
    kept = meeting_on(day, "keep")
    if year_end:
        assert kept == []  # 年末年始 stays closed even for a series that meets on holidays
    else:
        assert [(o.at.date(), o.holiday) for o in kept] == [(day, name)]


def test_a_daily_series_skips_exactly_the_holidays_and_year_end():
    start, until = date(2026, 1, 1), date(2028, 12, 31)
    held = {o.at.date() for o in occurrences("FREQ=DAILY", start=start, until=until, time=TEN)}
    every_day = {start + timedelta(days=n) for n in range((until - start).days + 1)}
    closed = {d for d in every_day if (d.month, d.day) >= (12, 29) or (d.month, d.day) <= (1, 3)}
    assert every_day - held == set(HOLIDAYS) | closed


def test_second_tuesday_meets_the_mountain_day_by_policy():
    series = rrule("毎月第2火曜 14:00", date(2026, 7, 1))
    window = {"start": date(2026, 7, 1), "until": date(2026, 9, 30), "time": time(14, 0)}
    skip = [o.at.date() for o in occurrences(series, policy="skip", **window)]
    assert skip == [date(2026, 7, 14), date(2026, 9, 8)]
    moved = [o.at.date() for o in occurrences(series, policy="next_weekday", **window)]
    assert moved == [date(2026, 7, 14), date(2026, 8, 12), date(2026, 9, 8)]
    kept = occurrences(series, policy="keep", **window)
    assert [(o.at.date(), o.holiday) for o in kept][1] == (date(2026, 8, 11), "山の日")


def test_golden_week_and_silver_week_move_past_the_substitute_and_citizens_holidays():
    wednesdays = rrule("毎週水曜 10:00", date(2026, 5, 1))
    [gw] = occurrences(
        wednesdays, start=date(2026, 5, 6), until=date(2026, 5, 6), time=TEN, policy="next_weekday"
    )
    assert gw.at == datetime(2026, 5, 7, 10, 0, tzinfo=TOKYO)
    assert "振替休日" in (gw.holiday or "")
    tuesdays = rrule("毎週火曜 10:00", date(2026, 9, 1))
    [sw] = occurrences(
        tuesdays, start=date(2026, 9, 22), until=date(2026, 9, 22), time=TEN, policy="next_weekday"
    )
    assert (sw.at.date(), sw.holiday) == (date(2026, 9, 24), "国民の休日")


def test_year_end_is_closed_by_default_and_can_be_opened():
    wednesdays = rrule("毎週水曜 10:00", date(2026, 12, 1))
    window = {"start": date(2026, 12, 20), "until": date(2027, 1, 10), "time": TEN}
    default = [o.at.date() for o in occurrences(wednesdays, policy="keep", **window)]
    assert default == [date(2026, 12, 23), date(2027, 1, 6)]
    opened = [
        o.at.date() for o in occurrences(wednesdays, policy="keep", closed_year_end=False, **window)
    ]
    assert opened == [date(2026, 12, 23), date(2026, 12, 30), date(2027, 1, 6)]
    moved = [o.at.date() for o in occurrences(wednesdays, policy="next_weekday", **window)]
    assert moved == [date(2026, 12, 23), date(2027, 1, 4), date(2027, 1, 6)]


def test_new_years_day_without_the_year_end_closure_is_still_a_holiday():
    fridays = "FREQ=WEEKLY;BYDAY=FR"
    [o] = occurrences(
        fridays,
        start=date(2027, 1, 1),
        until=date(2027, 1, 1),
        time=TEN,
        policy="next_weekday",
        closed_year_end=False,
    )
    assert (o.at.date(), o.holiday) == (date(2027, 1, 4), "元日")


def test_one_occurrence_can_be_cancelled_or_moved():
    series = rrule("毎月第2火曜 14:00", date(2026, 1, 1))
    new_time = datetime(2026, 2, 12, 15, 30)  # naive: Tokyo wall-clock time
    found = occurrences(
        series,
        start=date(2026, 1, 1),
        until=date(2026, 3, 31),
        time=time(14, 0),
        cancelled={date(2026, 3, 10)},
        moved={date(2026, 2, 10): new_time},
    )
    assert [(o.original, o.at, o.moved) for o in found] == [
        (date(2026, 1, 13), datetime(2026, 1, 13, 14, 0, tzinfo=TOKYO), False),
        (date(2026, 2, 10), datetime(2026, 2, 12, 15, 30, tzinfo=TOKYO), True),
    ]
    assert not found[1].shifted


def test_a_move_given_in_utc_is_shown_in_tokyo_and_kept_in_time_order():
    series = "FREQ=WEEKLY;BYDAY=MO"
    later = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # Tue 1 Dec 08:00 in Tokyo
    found = occurrences(
        series,
        start=date(2026, 11, 30),
        until=date(2026, 12, 7),
        time=TEN,
        moved={date(2026, 11, 30): later},
    )
    assert [o.at.isoformat() for o in found] == [
        "2026-12-01T08:00:00+09:00",
        "2026-12-07T10:00:00+09:00",
    ]


def test_times_are_tokyo_all_year_without_daylight_saving():
    found = occurrences(
        "FREQ=MONTHLY;BYDAY=2TU",
        start=date(2026, 1, 1),
        until=date(2028, 12, 31),
        time=time(10, 0),
        policy="keep",
    )
    assert len(found) == 36
    assert {o.at.utcoffset() for o in found} == {timedelta(hours=9)}
    assert {o.at.astimezone(UTC).time() for o in found} == {time(1, 0)}


def test_a_one_off_meeting_is_a_single_occurrence():
    one = rrule("一回だけ 13:30", date(2026, 11, 25))
    found = occurrences(one, start=date(2026, 11, 25), until=date(2028, 12, 31), time=time(13, 30))
    assert [o.at for o in found] == [datetime(2026, 11, 25, 13, 30, tzinfo=TOKYO)]


def test_an_unknown_policy_is_our_bug_and_fails_loudly():
    with pytest.raises(ValueError):
        occurrences(
            "FREQ=DAILY",
            start=date(2026, 1, 5),
            until=date(2026, 1, 6),
            time=TEN,
            policy="sometimes",
        )  # type: ignore[arg-type]


def test_kunisaki_cafe_january_2019_closes_over_new_year_and_two_more_days():
    # DOMAIN §8.1: café open Tue, Wed, Fri, Sat 8:00; 1/1 and 1/2–1/5 closed.
    cafe = parse_recurrence("毎週火・水・金・土 8:00", start=date(2019, 1, 1))
    assert (
        isinstance(cafe, Recurrence)
        and cafe.describe() == "毎週 火曜日・水曜日・金曜日・土曜日 08:00"
    )
    found = occurrences(
        cafe.rrule,
        start=date(2019, 1, 1),
        until=date(2019, 1, 31),
        time=time(8, 0),
        cancelled={date(2019, 1, 4), date(2019, 1, 5)},
    )
    assert len(found) == 14
    assert [o.at.date() for o in found[:4]] == [
        date(2019, 1, 8),
        date(2019, 1, 9),
        date(2019, 1, 11),
        date(2019, 1, 12),
    ]
