"""Recurrence as people write it: parsed to an RRULE, echoed in words, expanded over 2026–2028."""

from __future__ import annotations

from datetime import date, time

import pytest

from schedules.occurrences import rule_dates
from schedules.recurrence import EXAMPLES, ParseError, Recurrence, parse_recurrence

JAN_1 = date(2026, 1, 1)  # a Thursday
END = date(2028, 12, 31)

PHRASES = [
    # text, RRULE, Japanese words, English words
    (
        "毎週水曜 10:00",
        "FREQ=WEEKLY;BYDAY=WE",
        "毎週 水曜日 10:00",
        "Every week on Wednesday at 10:00",
    ),
    (
        "毎月第2火曜 14:00",
        "FREQ=MONTHLY;BYDAY=2TU",
        "毎月 第2火曜日 14:00",
        "Every month on the 2nd Tuesday at 14:00",
    ),
    (
        "隔月 第3木曜 13:30",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=3TH",
        "2か月ごと 第3木曜日 13:30",
        "Every 2 months on the 3rd Thursday at 13:30",
    ),
    (
        "奇数月の第2土曜日",
        "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=2SA",
        "奇数月 第2土曜日",
        "Odd-numbered months on the 2nd Saturday",
    ),
    (
        "毎月最終金曜",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "毎月 最終金曜日",
        "Every month on the last Friday",
    ),
    (
        "2か月に1回",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TH",
        "2か月ごと 第1木曜日",
        "Every 2 months on the 1st Thursday",
    ),
    (
        "第1・第3月曜",
        "FREQ=MONTHLY;BYDAY=1MO,3MO",
        "毎月 第1・第3月曜日",
        "Every month on the 1st and 3rd Monday",
    ),
    ("毎日", "FREQ=DAILY", "毎日", "Every day"),
    (
        "毎週月・木",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        "毎週 月曜日・木曜日",
        "Every week on Monday and Thursday",
    ),
    ("平日", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "平日（月〜金）", "Weekdays (Mon–Fri)"),
    ("一回だけ", "FREQ=DAILY;COUNT=1", "一回だけ", "Once only"),
    ("単発", "FREQ=DAILY;COUNT=1", "一回だけ", "Once only"),
]


def parsed(text: str, start: date = JAN_1) -> Recurrence:
    rule = parse_recurrence(text, start=start)
    assert isinstance(rule, Recurrence), f"{text!r} was not understood"
    return rule


@pytest.mark.parametrize(("text", "rrule", "ja", "en"), PHRASES, ids=[p[0] for p in PHRASES])
def test_each_phrase_becomes_an_rrule_and_is_echoed_in_words(text, rrule, ja, en):
    rule = parsed(text)
    assert rule.rrule == rrule
    assert rule.describe() == ja
    assert rule.describe("en") == en


@pytest.mark.parametrize(
    "variant",
    [
        "毎月　第２火曜　１４：００",
        "毎月第2火曜日14時",
        "毎月 第２火曜日 午後2時",
        "毎月の第2火曜 14:00〜16:00",
    ],
)
def test_full_width_digits_spacing_and_time_styles_read_the_same(variant):
    rule = parsed(variant)
    assert rule.rrule == "FREQ=MONTHLY;BYDAY=2TU"
    assert rule.time == time(14, 0)


def test_time_styles():
    assert parsed("毎週水曜 10時半").time == time(10, 30)
    assert parsed("毎週水曜 午前9時15分").time == time(9, 15)
    assert parsed("平日 9:30").describe() == "平日（月〜金） 09:30"
    assert parsed("毎週水曜").time is None


def test_more_ways_people_write_it():
    assert parsed("毎週水曜日と土曜日").rrule == "FREQ=WEEKLY;BYDAY=WE,SA"
    assert parsed("隔週 金曜").rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"
    assert parsed("偶数月の最終水曜").describe() == "偶数月 最終水曜日"
    assert parsed("３ヶ月ごと 第1・3月曜日").rrule == "FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO,3MO"
    assert parsed("毎月15日 10:00").describe("en") == "Every month on day 15 at 10:00"


def test_a_cadence_without_a_day_takes_the_weekday_of_the_first_meeting():
    assert (
        parsed("2か月に1回", start=date(2026, 1, 15)).rrule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=3TH"
    )
    # The 29th is the fifth Thursday, which not every month has: it becomes the last one.
    assert parsed("毎月1回", start=date(2026, 1, 29)).describe() == "毎月 最終木曜日"
    assert parsed("毎週", start=date(2026, 11, 23)).describe() == "毎週 月曜日"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "10:00",
        "そのうち",
        "毎月水曜",
        "毎週第2火曜",
        "25:00 毎日",
        "毎日 水曜",
        "第6月曜",
        "毎月40日",
    ],
)
def test_unreadable_text_gets_examples_not_a_crash(text):
    result = parse_recurrence(text, start=JAN_1)
    assert isinstance(result, ParseError)
    assert result.examples == EXAMPLES
    message = result.describe()
    assert "毎月第2火曜 14:00" in message and "読み取れませんでした" in message
    assert "Write it like" in result.describe("en")


def dates(text: str, start: date = JAN_1, until: date = END) -> list[date]:
    return rule_dates(parsed(text, start).rrule, start=start, until=until)


def days(*iso: str) -> list[date]:
    return [date.fromisoformat(d) for d in iso]


def test_weekly_and_daily_rules_over_three_years():
    wednesdays = dates("毎週水曜 10:00")
    assert len(wednesdays) == 156 and {d.weekday() for d in wednesdays} == {2}
    assert wednesdays[:2] == days("2026-01-07", "2026-01-14")
    assert wednesdays[-1] == date(2028, 12, 27)
    assert len(dates("毎日")) == 365 + 365 + 366
    assert len(dates("平日")) == 261 + 261 + 260
    assert len(dates("毎週月・木")) == 52 + 53 + 52 + 52 + 52 + 52
    assert dates("一回だけ", start=date(2026, 11, 25)) == [date(2026, 11, 25)]


def test_second_tuesday_every_month():
    found = dates("毎月第2火曜 14:00")
    assert len(found) == 36
    assert found[:12] == days(
        "2026-01-13",
        "2026-02-10",
        "2026-03-10",
        "2026-04-14",
        "2026-05-12",
        "2026-06-09",
        "2026-07-14",
        "2026-08-11",
        "2026-09-08",
        "2026-10-13",
        "2026-11-10",
        "2026-12-08",
    )


def test_third_thursday_every_other_month_counts_from_the_first_meeting():
    assert dates("隔月 第3木曜 13:30") == days(
        "2026-01-15",
        "2026-03-19",
        "2026-05-21",
        "2026-07-16",
        "2026-09-17",
        "2026-11-19",
        "2027-01-21",
        "2027-03-18",
        "2027-05-20",
        "2027-07-15",
        "2027-09-16",
        "2027-11-18",
        "2028-01-20",
        "2028-03-16",
        "2028-05-18",
        "2028-07-20",
        "2028-09-21",
        "2028-11-16",
    )
    assert dates("2か月に1回", start=date(2026, 2, 19))[:3] == days(
        "2026-02-19", "2026-04-16", "2026-06-18"
    )


def test_second_saturday_of_odd_months():
    assert dates("奇数月の第2土曜日") == days(
        "2026-01-10",
        "2026-03-14",
        "2026-05-09",
        "2026-07-11",
        "2026-09-12",
        "2026-11-14",
        "2027-01-09",
        "2027-03-13",
        "2027-05-08",
        "2027-07-10",
        "2027-09-11",
        "2027-11-13",
        "2028-01-08",
        "2028-03-11",
        "2028-05-13",
        "2028-07-08",
        "2028-09-09",
        "2028-11-11",
    )


def test_last_friday_every_month():
    found = dates("毎月最終金曜")
    assert len(found) == 36
    assert found[:12] == days(
        "2026-01-30",
        "2026-02-27",
        "2026-03-27",
        "2026-04-24",
        "2026-05-29",
        "2026-06-26",
        "2026-07-31",
        "2026-08-28",
        "2026-09-25",
        "2026-10-30",
        "2026-11-27",
        "2026-12-25",
    )
    assert found[-1] == date(2028, 12, 29)


def test_first_and_third_monday():
    found = dates("第1・第3月曜")
    assert len(found) == 72
    assert found[:6] == days(
        "2026-01-05", "2026-01-19", "2026-02-02", "2026-02-16", "2026-03-02", "2026-03-16"
    )
    # Happy-Monday holidays land on some of them; occurrences() applies the holiday policy.
    assert {date(2026, 5, 4), date(2026, 7, 20), date(2026, 9, 21)} <= set(found)
