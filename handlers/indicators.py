"""まとめ 指標 [年度] / summary indicators: the records behind each 交付金 indicator (DOMAIN.md §6.1).

The fiscal year (年度, April–March) is this one by default, or given as 2026, 2026年度, 令和8年度
or R8. Counts come with the record numbers to look up (restricted murmurs are counted, never
numbered). Registered before まとめ so that its words are not read as a period.
"""

from __future__ import annotations

import re
import unicodedata

from bot.context import Ctx
from bot.messages import Reply
from bot.router import Router
from storage.indicators import FiscalYear, Indicator, fiscal_year_of, indicator_evidence
from storage.models import Municipality

PATTERN = r"(?i)(?:まとめ|summary) (?:指標|indicators)(?: (.*))?"
NUMBERS_LISTED = 20
UNITS = {
    "care_meeting": "summary.times",
    "councils": "summary.times",
    "coordinators": "indicators.persons",
}
_WESTERN = re.compile(r"(\d{4})(?:年度?)?")
_REIWA = re.compile(r"(?:令和|r)(\d{1,2})(?:年度?)?", re.IGNORECASE)


def register(router: Router) -> None:
    """Register まとめ 指標 (before まとめ itself)."""
    router.add_pattern(PATTERN, show_indicators)


def parse_fiscal_year(text: str, ctx: Ctx) -> FiscalYear | None:
    """Return the 年度 named by 2026, 2026年度, 令和8年度 or R8 (this one when empty)."""
    word = unicodedata.normalize("NFKC", text or "").strip().replace(" ", "")
    if word in ("", "今年度", "this-year"):
        return fiscal_year_of(ctx.today())
    if found := _WESTERN.fullmatch(word):
        return FiscalYear(int(found[1]))
    if found := _REIWA.fullmatch(word):
        return FiscalYear(2018 + int(found[1])) if int(found[1]) >= 1 else None
    return None


def show_indicators(ctx: Ctx, args: str) -> list[Reply]:
    """Answer with each indicator's supporting records of the fiscal year."""
    year = parse_fiscal_year(args or "", ctx)
    if year is None:
        return [Reply(ctx.t("indicators.usage"))]
    indicators = indicator_evidence(
        ctx.session, municipality_id=ctx.municipality_id, year=year, tz=ctx.tz
    )
    municipality = ctx.session.get(Municipality, ctx.municipality_id)
    ctx.audit("indicators", year=year.year)
    lines = [
        ctx.t(
            "indicators.title",
            reiwa=year.reiwa,
            year=year.year,
            start=year.start.isoformat(),
            end=year.end.isoformat(),
            municipality=municipality.name if municipality else "",
        )
    ]
    for indicator in indicators:
        lines += _indicator_lines(ctx, indicator)
    lines.append(ctx.t("indicators.note"))
    return [Reply("\n".join(lines))]


def _indicator_lines(ctx: Ctx, indicator: Indicator) -> list[str]:
    unit = UNITS.get(indicator.key, "summary.count")
    lines = [ctx.t(f"indicators.{indicator.key}")]
    for evidence in indicator.evidence:
        shown = " ".join(f"#{n}" for n in evidence.numbers[:NUMBERS_LISTED])
        if len(evidence.numbers) > NUMBERS_LISTED:
            shown += " …"
        numbers = ctx.t("indicators.numbers", numbers=shown) if shown else ""
        label = ctx.t(f"indicators.{evidence.key}")
        lines.append(
            ctx.t("indicators.row", label=label, n=ctx.t(unit, n=evidence.count), numbers=numbers)
        )
    if indicator.key == "care_meeting":
        held, attended = (e.count for e in indicator.evidence)
        if held:
            lines.append(ctx.t("indicators.share", share=round(100 * attended / held)))
    return lines
