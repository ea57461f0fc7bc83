"""まとめ [エリア NAME|全体] [今週|先週|今月|先月|YYYY-MM] / summary: counts of a period for a scope.

A coordinator's summary covers their own records; an officer's or an admin's covers the whole
municipality. `まとめ エリア 本町自治会` covers one area (and the areas below it), `まとめ 全体`
the whole municipality, for anyone. `render_summary` (handlers/summary_render.py) is also what
`tsunagi summary` prints and what the Monday push sends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.context import Ctx, UserError
from bot.messages import Reply
from bot.router import Router
from handlers.summary_render import render_summary
from storage.access import summary_scope_author
from storage.members import NotFound, get_area, list_areas
from storage.models import Municipality
from storage.records import category_labels
from storage.summaries import Period, build_summary, iso_week, month_of, week_of

THIS_WEEK = {"今週", "this-week", "thisweek", "week"}
LAST_WEEK = {"先週", "last-week", "lastweek"}
THIS_MONTH = {"今月", "this-month", "thismonth", "month"}
LAST_MONTH = {"先月", "last-month", "lastmonth"}
TODAY = {"今日", "きょう", "today"}
YESTERDAY = {"昨日", "きのう", "yesterday"}
DAY = r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
AREA_WORDS = {"エリア", "area", "地区"}
ALL_WORDS = {"全体", "all"}


def register(router: Router) -> None:
    """Register まとめ / summary."""
    router.add_command(["まとめ", "summary"], summarize)


@dataclass(frozen=True)
class Asked:
    """What a まとめ message asks for: whose records (an area, everyone, the default) and when."""

    rest: str
    area: str | None = None
    everyone: bool = False


def parse_scope(args: str) -> Asked:
    """Split 「エリア 本町自治会 先週」 or 「全体 先週」 into the scope and the period words."""
    head, _, rest = args.strip().partition(" ")
    if head.lower() in AREA_WORDS:
        name, _, rest = rest.strip().partition(" ")
        return Asked(rest.strip(), area=name)
    if head.lower() in ALL_WORDS:
        return Asked(rest.strip(), everyone=True)
    return Asked(args.strip())


def summarize(ctx: Ctx, args: str) -> list[Reply]:
    """Show the summary of a period for the user's scope, one area, or the whole municipality."""
    asked = parse_scope(args)
    period = parse_period(asked.rest or "今週", ctx.today())
    if period is None or asked.area == "":
        return [Reply(ctx.t("summary.usage"))]
    area_id = None
    author_id = None if asked.everyone else summary_scope_author(ctx.me)
    if asked.area is not None:
        area_id, author_id = _area_id(ctx, asked.area), None
        scope = ctx.t("summary.scope.area", area=asked.area)
    elif author_id is None:
        municipality = ctx.session.get(Municipality, ctx.municipality_id)
        scope = ctx.t("summary.scope.all", municipality=municipality.name if municipality else "")
    else:
        scope = ctx.t("summary.scope.mine")
    summary = build_summary(
        ctx.session,
        municipality_id=ctx.municipality_id,
        period=period,
        tz=ctx.tz,
        author_id=author_id,
        area_id=area_id,
        today=ctx.today(),
    )
    detail = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if area_id is not None:
        detail["area_id"] = str(area_id)
    ctx.audit("summary", **detail)
    labels = category_labels(ctx.session)
    return [Reply(render_summary(summary, lang=ctx.lang, scope=scope, categories=labels))]


def _area_id(ctx: Ctx, name: str) -> int:
    """Return the id of the member's municipality's area called `name`, or explain."""
    try:
        area = get_area(ctx.session, municipality_id=ctx.municipality_id, name=name)
    except NotFound:
        areas = list_areas(ctx.session, municipality_id=ctx.municipality_id)
        example = areas[-1].name if areas else "本町自治会"
        raise UserError(ctx.t("summary.unknown_area", name=name, example=example)) from None
    assert area.id is not None
    return area.id


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
