"""Japanese public holidays 2026–2028 (incl. 振替休日 and 国民の休日) and 年末年始."""

from __future__ import annotations

from datetime import date

import pytest

from schedules.holidays import (
    closure_name,
    holiday_name,
    holidays_between,
    is_holiday,
    is_working_day,
    is_year_end,
    next_working_day,
)

# Hand-checked against the Cabinet Office calendar: each holiday, its name, and the first
# working day after it (not a weekend, a holiday or 年末年始).
HOLIDAYS: dict[date, tuple[str, date]] = {
    date(2026, 1, 1): ("元日", date(2026, 1, 5)),
    date(2026, 1, 12): ("成人の日", date(2026, 1, 13)),
    date(2026, 2, 11): ("建国記念の日", date(2026, 2, 12)),
    date(2026, 2, 23): ("天皇誕生日", date(2026, 2, 24)),
    date(2026, 3, 20): ("春分の日", date(2026, 3, 23)),
    date(2026, 4, 29): ("昭和の日", date(2026, 4, 30)),
    date(2026, 5, 3): ("憲法記念日", date(2026, 5, 7)),
    date(2026, 5, 4): ("みどりの日", date(2026, 5, 7)),
    date(2026, 5, 5): ("こどもの日", date(2026, 5, 7)),
    date(2026, 5, 6): ("憲法記念日 振替休日", date(2026, 5, 7)),
    date(2026, 7, 20): ("海の日", date(2026, 7, 21)),
    date(2026, 8, 11): ("山の日", date(2026, 8, 12)),
    date(2026, 9, 21): ("敬老の日", date(2026, 9, 24)),
    date(2026, 9, 22): ("国民の休日", date(2026, 9, 24)),
    date(2026, 9, 23): ("秋分の日", date(2026, 9, 24)),
    date(2026, 10, 12): ("スポーツの日", date(2026, 10, 13)),
    date(2026, 11, 3): ("文化の日", date(2026, 11, 4)),
    date(2026, 11, 23): ("勤労感謝の日", date(2026, 11, 24)),
    date(2027, 1, 1): ("元日", date(2027, 1, 4)),
    date(2027, 1, 11): ("成人の日", date(2027, 1, 12)),
    date(2027, 2, 11): ("建国記念の日", date(2027, 2, 12)),
    date(2027, 2, 23): ("天皇誕生日", date(2027, 2, 24)),
    date(2027, 3, 21): ("春分の日", date(2027, 3, 23)),
    date(2027, 3, 22): ("春分の日 振替休日", date(2027, 3, 23)),
    date(2027, 4, 29): ("昭和の日", date(2027, 4, 30)),
    date(2027, 5, 3): ("憲法記念日", date(2027, 5, 6)),
    date(2027, 5, 4): ("みどりの日", date(2027, 5, 6)),
    date(2027, 5, 5): ("こどもの日", date(2027, 5, 6)),
    date(2027, 7, 19): ("海の日", date(2027, 7, 20)),
    date(2027, 8, 11): ("山の日", date(2027, 8, 12)),
    date(2027, 9, 20): ("敬老の日", date(2027, 9, 21)),
    date(2027, 9, 23): ("秋分の日", date(2027, 9, 24)),
    date(2027, 10, 11): ("スポーツの日", date(2027, 10, 12)),
    date(2027, 11, 3): ("文化の日", date(2027, 11, 4)),
    date(2027, 11, 23): ("勤労感謝の日", date(2027, 11, 24)),
    date(2028, 1, 1): ("元日", date(2028, 1, 4)),
    date(2028, 1, 10): ("成人の日", date(2028, 1, 11)),
    date(2028, 2, 11): ("建国記念の日", date(2028, 2, 14)),
    date(2028, 2, 23): ("天皇誕生日", date(2028, 2, 24)),
    date(2028, 3, 20): ("春分の日", date(2028, 3, 21)),
    date(2028, 4, 29): ("昭和の日", date(2028, 5, 1)),
    date(2028, 5, 3): ("憲法記念日", date(2028, 5, 8)),
    date(2028, 5, 4): ("みどりの日", date(2028, 5, 8)),
    date(2028, 5, 5): ("こどもの日", date(2028, 5, 8)),
    date(2028, 7, 17): ("海の日", date(2028, 7, 18)),
    date(2028, 8, 11): ("山の日", date(2028, 8, 14)),
    date(2028, 9, 18): ("敬老の日", date(2028, 9, 19)),
    date(2028, 9, 22): ("秋分の日", date(2028, 9, 25)),
    date(2028, 10, 9): ("スポーツの日", date(2028, 10, 10)),
    date(2028, 11, 3): ("文化の日", date(2028, 11, 6)),
    date(2028, 11, 23): ("勤労感謝の日", date(2028, 11, 24)),
}


def test_every_holiday_of_2026_to_2028_is_known_by_name():
    found = holidays_between(date(2026, 1, 1), date(2028, 12, 31))
    assert found == [(d, name) for d, (name, _) in HOLIDAYS.items()]


@pytest.mark.parametrize("day", list(HOLIDAYS), ids=str)
def test_each_holiday_is_a_day_off_until_the_next_working_day(day):
    name, next_day = HOLIDAYS[day]
    assert is_holiday(day)
    assert holiday_name(day) == name
    assert not is_working_day(day)
    assert next_working_day(day) == next_day


def test_substitute_and_citizens_holidays_are_holidays():
    assert "振替休日" in (holiday_name(date(2026, 5, 6)) or "")
    assert holiday_name(date(2026, 9, 22)) == "国民の休日"


def test_ordinary_days_are_not_holidays():
    for day in (date(2026, 5, 7), date(2026, 9, 24), date(2027, 3, 23), date(2028, 12, 28)):
        assert not is_holiday(day)
        assert holiday_name(day) is None
        assert is_working_day(day)


def test_year_end_runs_from_29_december_to_3_january():
    assert not is_year_end(date(2026, 12, 28))
    assert [is_year_end(date(2026, 12, d)) for d in (29, 30, 31)] == [True, True, True]
    assert [is_year_end(date(2027, 1, d)) for d in (1, 2, 3)] == [True, True, True]
    assert not is_year_end(date(2027, 1, 4))


def test_year_end_is_closed_unless_the_office_stays_open():
    assert closure_name(date(2026, 12, 29)) == "年末年始"
    assert closure_name(date(2026, 12, 29), closed_year_end=False) is None
    assert closure_name(date(2027, 1, 1), closed_year_end=False) == "元日"
    assert next_working_day(date(2026, 12, 28)) == date(2027, 1, 4)
    assert next_working_day(date(2026, 12, 28), closed_year_end=False) == date(2026, 12, 29)


def test_weekends_are_not_working_days():
    assert not is_working_day(date(2026, 11, 28))  # Saturday
    assert not is_working_day(date(2026, 11, 29))  # Sunday
    assert next_working_day(date(2026, 11, 27)) == date(2026, 11, 30)
