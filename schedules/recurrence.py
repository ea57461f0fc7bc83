"""Read a meeting's recurrence as people write it (毎月第2火曜 14:00) into an RFC 5545 RRULE.

`parse_recurrence` never raises on bad input: it returns a `ParseError` carrying examples to show.
A `Recurrence` echoes itself back in words (`describe`) so the organiser can confirm it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, time

from bot.texts import t

CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_KANJI_DAYS = "月火水木金土日"
WEEKDAYS_MON_FRI = tuple((None, wd) for wd in range(5))
EXAMPLES = (
    "毎週水曜 10:00",
    "毎月第2火曜 14:00",
    "隔月 第3木曜 13:30",
    "奇数月の第2土曜日",
    "毎月最終金曜",
    "2か月に1回",
    "第1・第3月曜",
    "平日 9:30",
    "一回だけ",
)

_TIME = re.compile(r"(午前|午後)?(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分|(半))?)")
_RANGE_END = re.compile(
    r"^(?:[~〜\-ー–]|から)(?:午前|午後)?\d{1,2}(?::\d{2}|時(?:\d{1,2}分|半)?)(?:まで)?"
)
_ONE_OFF = re.compile(r"(?:一|1)(?:回|度)(?:だけ|のみ|限り)|単発")
_CADENCES = (
    ("DAILY", re.compile(r"毎日")),
    ("WEEKDAYS", re.compile(r"(?:毎週)?平日")),
    ("WEEKLY", re.compile(r"毎週|(?P<alt>隔週)|(?P<n>\d+)週(?:間)?(?:に|ごと|毎)")),
    ("MONTHLY", re.compile(r"毎月|(?P<alt>隔月)|(?P<n>\d+)(?:か|ヶ|カ|ケ|ヵ|箇)月(?:に|ごと|毎)")),
    ("ODD", re.compile(r"奇数月")),
    ("EVEN", re.compile(r"偶数月")),
)
_ORDINAL = r"(?:第?[1-5]|最終|最後)"
_ORDINAL_GROUP = re.compile(rf"((?:{_ORDINAL}・?)+)([{_KANJI_DAYS}])(?:曜日?)?")
_DAY_NAME = re.compile(rf"([{_KANJI_DAYS}])(?:曜日?)?")
_FILLERS = re.compile(r"^(?:に|の)?(?:1|一)(?:回|度)|開催|実施|の|に|ごろ|頃")


@dataclass(frozen=True)
class Recurrence:
    """A series: FREQ with INTERVAL, weekdays (with ordinals), months, month day and time."""

    freq: str
    interval: int = 1
    days: tuple[tuple[int | None, int], ...] = ()
    months: tuple[int, ...] = ()
    month_day: int | None = None
    count: int | None = None
    time: time | None = None

    @property
    def rrule(self) -> str:
        """Return the RFC 5545 RRULE value (without the `RRULE:` prefix)."""
        parts = [f"FREQ={self.freq}"]
        if self.interval > 1:
            parts.append(f"INTERVAL={self.interval}")
        if self.months:
            parts.append("BYMONTH=" + ",".join(map(str, self.months)))
        if self.month_day:
            parts.append(f"BYMONTHDAY={self.month_day}")
        if self.days:
            parts.append("BYDAY=" + ",".join(f"{n or ''}{CODES[wd]}" for n, wd in self.days))
        if self.count:
            parts.append(f"COUNT={self.count}")
        return ";".join(parts)

    def describe(self, lang: str = "ja") -> str:
        """Return the recurrence in words, e.g. 「毎月 第2火曜日 14:00」."""
        words = self._cadence_words(lang)
        if self.time is None:
            return words
        return t("meetings.at_time", lang, words=words, time=self.time.strftime("%H:%M"))

    def _cadence_words(self, lang: str) -> str:
        if self.count == 1:
            return t("meetings.once", lang)
        if self.freq == "DAILY":
            return t("meetings.every_day", lang)
        days = _days_words(self, lang)
        if self.freq == "WEEKLY":
            if self.days == WEEKDAYS_MON_FRI and self.interval == 1:
                return t("meetings.weekdays", lang)
            if self.interval > 1:
                return t("meetings.every_n_weeks", lang, n=self.interval, days=days)
            return t("meetings.every_week", lang, days=days)
        if self.months == (1, 3, 5, 7, 9, 11):
            return t("meetings.odd_months", lang, days=days)
        if self.months == (2, 4, 6, 8, 10, 12):
            return t("meetings.even_months", lang, days=days)
        if self.interval > 1:
            return t("meetings.every_n_months", lang, n=self.interval, days=days)
        return t("meetings.every_month", lang, days=days)


@dataclass(frozen=True)
class ParseError:
    """Text that could not be read as a recurrence, with examples of what can."""

    text: str
    examples: tuple[str, ...] = EXAMPLES

    def describe(self, lang: str = "ja") -> str:
        """Return the message that asks again, listing the examples."""
        examples = "\n".join(f"・{e}" for e in self.examples)
        return t("meetings.parse_error", lang, text=self.text, examples=examples)


class _Unreadable(Exception):
    """Raised inside the parser; turned into a ParseError at its edge."""


def parse_recurrence(text: str, *, start: date) -> Recurrence | ParseError:
    """Read `text` (e.g. 「毎月第2火曜 14:00」) as a recurrence whose first date is `start`."""
    try:
        return _parse(text, start)
    except _Unreadable:
        return ParseError(text.strip())


def _parse(text: str, start: date) -> Recurrence:
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    compact = compact.replace("、", "・").replace(",", "・").replace("/", "・")
    rest, at = _take_time(compact)
    if _ONE_OFF.fullmatch(rest):
        return Recurrence("DAILY", count=1, time=at)
    kind, interval, body = _take_cadence(rest)
    body = _FILLERS.sub("", body).replace("と", "・").strip("・")
    if kind == "DAILY" or kind == "WEEKDAYS":
        if body:
            raise _Unreadable
        days = WEEKDAYS_MON_FRI if kind == "WEEKDAYS" else ()
        return Recurrence("DAILY" if kind == "DAILY" else "WEEKLY", days=days, time=at)
    if kind == "WEEKLY":
        return Recurrence("WEEKLY", interval, _weekdays(body, start), time=at)
    months = {"ODD": (1, 3, 5, 7, 9, 11), "EVEN": (2, 4, 6, 8, 10, 12)}.get(kind, ())
    if day := re.fullmatch(r"(\d{1,2})日", body):
        month_day = int(day[1])
        if not 1 <= month_day <= 31:
            raise _Unreadable
        return Recurrence("MONTHLY", interval, months=months, month_day=month_day, time=at)
    return Recurrence("MONTHLY", interval, _nth_weekdays(body, start), months, time=at)


def _take_time(text: str) -> tuple[str, time | None]:
    found = _TIME.search(text)
    if found is None:
        return text, None
    meridiem, hour, minute = found[1], int(found[2]), int(found[3] or found[4] or 0)
    if found[5]:
        minute = 30
    if meridiem == "午後" and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        raise _Unreadable
    tail = _RANGE_END.sub("", text[found.end() :])
    return text[: found.start()] + tail, time(hour, minute)


def _take_cadence(text: str) -> tuple[str, int, str]:
    for kind, pattern in _CADENCES:
        found = pattern.match(text)
        if found:
            groups = found.groupdict()
            interval = 2 if groups.get("alt") else int(groups.get("n") or 1)
            if interval < 1 or interval > 12:
                raise _Unreadable
            return kind, interval, text[found.end() :]
    if not text:
        raise _Unreadable
    # Without a cadence word, 「第1・第3月曜」 is monthly and 「水曜」 weekly.
    return ("MONTHLY" if re.match(_ORDINAL, text) else "WEEKLY"), 1, text


def _weekdays(body: str, start: date) -> tuple[tuple[int | None, int], ...]:
    if not body:
        return ((None, start.weekday()),)
    if _DAY_NAME.sub("", body).replace("・", ""):
        raise _Unreadable
    return tuple((None, _KANJI_DAYS.index(m[1])) for m in _DAY_NAME.finditer(body))


def _nth_weekdays(body: str, start: date) -> tuple[tuple[int | None, int], ...]:
    if not body:
        nth = (start.day - 1) // 7 + 1
        return ((-1 if nth == 5 else nth, start.weekday()),)
    if _ORDINAL_GROUP.sub("", body).replace("・", ""):
        raise _Unreadable
    days: list[tuple[int | None, int]] = []
    for group in _ORDINAL_GROUP.finditer(body):
        weekday = _KANJI_DAYS.index(group[2])
        for ordinal in re.findall(_ORDINAL, group[1]):
            nth = -1 if ordinal in ("最終", "最後") else int(ordinal.lstrip("第"))
            days.append((nth, weekday))
    return tuple(days)


def _days_words(rule: Recurrence, lang: str) -> str:
    joiner = t("meetings.joiner", lang)
    if rule.month_day:
        return t("meetings.month_day", lang, day=rule.month_day)
    if all(n is None for n, _ in rule.days):
        return joiner.join(t(f"meetings.weekday.{wd}", lang) for _, wd in rule.days)
    by_weekday: dict[int, list[str]] = {}
    for n, wd in rule.days:
        by_weekday.setdefault(wd, []).append(t(f"meetings.ordinal.{n}", lang))
    return joiner.join(
        t(
            "meetings.nth_weekday",
            lang,
            ordinals=joiner.join(ords),
            weekday=t(f"meetings.weekday.{wd}", lang),
        )
        for wd, ords in by_weekday.items()
    )
