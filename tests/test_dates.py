"""Dates and durations as coordinators type them."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dates import format_duration, parse_date, parse_duration

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今日", date(2026, 11, 23)),
        ("きょう", date(2026, 11, 23)),
        ("today", date(2026, 11, 23)),
        ("Yesterday", date(2026, 11, 22)),
        ("昨日", date(2026, 11, 22)),
        ("きのう", date(2026, 11, 22)),
        ("一昨日", date(2026, 11, 21)),
        ("おととい", date(2026, 11, 21)),
        ("11/20", date(2026, 11, 20)),
        ("11月20日", date(2026, 11, 20)),
        ("11月20", date(2026, 11, 20)),
        ("１１／２０", date(2026, 11, 20)),
        ("１１月２０日", date(2026, 11, 20)),
        ("2026-11-20", date(2026, 11, 20)),
        ("2026/11/20", date(2026, 11, 20)),
        ("2026年11月20日", date(2026, 11, 20)),
        (" 11/23 ", date(2026, 11, 23)),
    ],
)
def test_dates_coordinators_type_are_understood(text, expected):
    assert parse_date(text, TODAY) == expected


def test_a_month_day_later_than_today_means_last_year():
    assert parse_date("12/25", TODAY) == date(2025, 12, 25)
    assert parse_date("11/24", TODAY) == date(2025, 11, 24)


@pytest.mark.parametrize(
    "text",
    ["2026-11-24", "2027/01/05", "2025-11-01", "2/30", "13/1", "来週", "", "あした", "11-20-2026"],
)
def test_future_too_old_impossible_and_unreadable_dates_are_refused(text):
    assert parse_date(text, TODAY) is None


def test_february_29_is_accepted_only_in_a_year_that_has_one():
    assert parse_date("2/29", date(2029, 1, 10)) == date(2028, 2, 29)
    assert parse_date("2/29", date(2028, 3, 1)) == date(2028, 2, 29)
    assert parse_date("2/29", date(2027, 3, 1)) is None


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30分", 30),
        ("1時間", 60),
        ("1時間30分", 90),
        ("1時間半", 90),
        ("1.5時間", 90),
        ("90", 90),
        ("90分", 90),
        ("９０分", 90),
        ("１時間３０分", 90),
        ("2時間", 120),
        ("45min", 45),
    ],
)
def test_durations_are_read_in_minutes(text, minutes):
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "長め", "0分", "25時間", "1.33時間", "半", "時間", "-30"])
def test_unreadable_or_impossible_durations_are_refused(text):
    assert parse_duration(text) is None


def test_durations_are_shown_in_hours_and_minutes():
    assert format_duration(90) == "1時間30分"
    assert format_duration(60) == "1時間"
    assert format_duration(30) == "30分"
    assert format_duration(90, "en") == "1 h 30 min"
