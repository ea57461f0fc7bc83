"""まとめ [今週|先週|今月|先月|YYYY-MM] / summary: counts of a period for the user's scope.

A coordinator's summary covers their own records; an officer's or an admin's covers the whole
municipality. `render_summary` is also what `tsunagi summary` prints (bot/reports.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from bot.context import Ctx
from bot.messages import Reply
from bot.router import Router
from bot.texts import t
from storage.access import summary_scope_author
from storage.models import Municipality
from storage.records import category_labels
from storage.summaries import Period, Summary, build_summary, iso_week, month_of, week_of

THIS_WEEK = {"今週", "this-week", "thisweek", "week"}
LAST_WEEK = {"先週", "last-week", "lastweek"}
THIS_MONTH = {"今月", "this-month", "thismonth", "month"}
LAST_MONTH = {"先月", "last-month", "lastmonth"}
TODAY = {"今日", "きょう", "today"}
YESTERDAY = {"昨日", "きのう", "yesterday"}
DAY = r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
Tr = Callable[..., str]
LISTED = 10  # resources and leads named in a summary; the rest are counted


def register(router: Router) -> None:
    """Register まとめ / summary."""
    router.add_command(["まとめ", "summary"], summarize)


def summarize(ctx: Ctx, args: str) -> list[Reply]:
    """Show the summary of this week, last week or a month for the user's scope."""
    period = parse_period(args or "今週", ctx.today())
    if period is None:
        return [Reply(ctx.t("summary.usage"))]
    author_id = summary_scope_author(ctx.me)
    summary = build_summary(
        ctx.session,
        municipality_id=ctx.municipality_id,
        period=period,
        tz=ctx.tz,
        author_id=author_id,
    )
    if author_id is None:
        municipality = ctx.session.get(Municipality, ctx.municipality_id)
        scope = ctx.t("summary.scope.all", municipality=municipality.name if municipality else "")
    else:
        scope = ctx.t("summary.scope.mine")
    ctx.audit("summary", start=period.start.isoformat(), end=period.end.isoformat())
    labels = category_labels(ctx.session)
    return [Reply(render_summary(summary, lang=ctx.lang, scope=scope, categories=labels))]


def parse_period(text: str, today: date) -> Period | None:
    """Return the period a word names: 今週, 先週, 今月, 先月, 2026-11, 2026-W47, a day or a range."""
    word = text.strip().lower()
    if word in THIS_WEEK:
        return week_of(today)
    if word in LAST_WEEK:
        return week_of(today - timedelta(days=7))
    if word in THIS_MONTH:
        return month_of(today.year, today.month)
    if word in LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return month_of(last.year, last.month)
    if word in TODAY | YESTERDAY:
        day = today if word in TODAY else today - timedelta(days=1)
        return Period(day, day)
    try:
        return _parse_dated(word)
    except ValueError:
        return None


def _parse_dated(word: str) -> Period | None:
    if found := re.fullmatch(r"(\d{4})-w(\d{1,2})", word):
        return iso_week(int(found[1]), int(found[2]))
    if found := re.fullmatch(r"(\d{4})[-/](\d{1,2})", word):
        return month_of(int(found[1]), int(found[2]))
    if found := re.fullmatch(rf"{DAY}(?:\.\.|〜|~){DAY}", word):
        start = date(int(found[1]), int(found[2]), int(found[3]))
        end = date(int(found[4]), int(found[5]), int(found[6]))
        return Period(start, end) if start <= end else None
    if found := re.fullmatch(DAY, word):
        day = date(int(found[1]), int(found[2]), int(found[3]))
        return Period(day, day)
    return None


def render_summary(
    summary: Summary, *, lang: str, scope: str, categories: dict[str, tuple[str, str]]
) -> str:
    """Return a summary as text (the chat reply and `tsunagi summary` alike)."""

    def tr(key: str, **values: object) -> str:
        return t(key, lang, **values)

    period = summary.period
    lines = [
        tr("summary.title", start=_day(period.start, lang), end=_day(period.end, lang), scope=scope)
    ]
    lines += _activity_lines(summary, tr)
    lines += _murmur_lines(summary, tr, categories, 1 if lang == "en" else 0)
    lines.append(tr("summary.resources", n=len(summary.new_resources)))
    for number, name, kind, area in summary.new_resources[:LISTED]:
        detail = tr("summary.separator").join(x for x in (kind, area) if x) or "-"
        lines.append(tr("summary.resource_row", number=number, name=name, detail=detail))
    lines += _rest(len(summary.new_resources), tr)
    lines.append(tr("summary.leads", n=len(summary.open_leads)))
    for number, label, area in summary.open_leads[:LISTED]:
        area_name = area or tr("summary.no_area")
        lines.append(tr("summary.lead_row", number=number, label=label, area=area_name))
    lines += _rest(len(summary.open_leads), tr)
    return "\n".join(lines)


def _rest(count: int, tr: Tr) -> list[str]:
    if count == 0:
        return [tr("summary.none")]
    return [tr("summary.more", n=count - LISTED)] if count > LISTED else []


def _day(day: date, lang: str) -> str:
    weekdays = t("summary.weekdays", lang)
    names = weekdays.split() if " " in weekdays else list(weekdays)
    return t("summary.date", lang, date=day.isoformat(), weekday=names[day.weekday()])


def _hours(minutes: int, tr: Tr) -> str:
    return tr("summary.hours", h=f"{minutes / 60:.1f}")


def _items(pairs: list[tuple[str, int]], tr: Tr) -> str:
    return tr("summary.separator").join(tr("summary.item", label=k, n=n) for k, n in pairs)


def _activity_lines(summary: Summary, tr: Tr) -> list[str]:
    a = summary.activities
    lines = [
        tr(
            "summary.activities",
            n=a.count,
            hours=_hours(a.minutes, tr),
            visit_hours=_hours(a.visit_minutes, tr),
            other_hours=_hours(a.other_minutes, tr),
        )
    ]
    if a.untimed:
        lines.append(tr("summary.untimed", n=a.untimed))
    if a.by_kubun:
        kubun = [
            tr("summary.item_hours", label=k or tr("summary.no_kubun"), n=n, hours=_hours(m, tr))
            for k, n, m in a.by_kubun
        ]
        lines.append(tr("summary.by_kubun", items=tr("summary.separator").join(kubun)))
    if a.by_type:
        lines.append(tr("summary.by_type", items=_items([(k, n) for k, n, _ in a.by_type], tr)))
    lines.append(tr("summary.visits", n=a.visits, first=a.first_visits, repeat=a.repeat_visits))
    if a.visits_by_purpose:
        purposes = [(p or tr("summary.no_purpose"), n) for p, n in a.visits_by_purpose]
        lines.append(tr("summary.visits_by_purpose", items=_items(purposes, tr)))
    if a.visits_by_area:
        areas = [(name or tr("summary.no_area"), n) for name, n in a.visits_by_area]
        lines.append(tr("summary.visits_by_area", items=_items(areas, tr)))
    return lines


def _murmur_lines(
    summary: Summary, tr: Tr, categories: dict[str, tuple[str, str]], index: int
) -> list[str]:
    m = summary.murmurs
    lines = [tr("summary.murmurs", n=m.count)]
    if m.restricted:
        lines.append(tr("summary.murmurs_restricted", n=m.restricted))
    for code, total, kinds in m.by_category:
        label = categories[code][index] if code in categories else tr("summary.uncategorized")
        by_kind = sorted(kinds.items(), key=lambda kv: -kv[1])
        kind_text = tr("summary.separator").join(
            tr("summary.item", label=k, n=n) for k, n in by_kind
        )
        lines.append(tr("summary.murmur_row", category=label, n=total, kinds=kind_text))
    if not m.by_category:
        lines.append(tr("summary.none"))
    return lines
