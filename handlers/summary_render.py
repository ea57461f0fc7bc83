"""A summary as text: the chat reply, the Monday push, `tsunagi summary` and the 定例連絡会 draft.

With `suppress=True` (anything that leaves the municipality) every count under 3 reads
「3未満」 (bot.masking.suppress decides) and no record is named: no resource or lead names and
no record numbers, only counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bot.masking import suppress as suppress_cell
from bot.texts import t
from storage.summaries import Summary

LISTED = 10  # resources, leads, cells, gaps and areas named in a summary; the rest are counted
NUMBERS_LISTED = 15
UPCOMING_DAYS = 14


@dataclass(frozen=True)
class Writer:
    """Formats texts in one language, with counts suppressed or not."""

    lang: str
    suppress: bool = False

    def __call__(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def raw(self, n: int) -> str:
        """Return a bare count (「3未満」 when suppressed)."""
        if self.suppress and suppress_cell(n).value is None:
            return self("summary.suppressed")
        return str(n)

    def n(self, n: int, unit: str = "summary.count") -> str:
        """Return a count with its unit (「12件」), or 「3未満」 when suppressed."""
        if self.suppress and suppress_cell(n).value is None:
            return self("summary.suppressed")
        return self(unit, n=n)

    def items(self, pairs: list[tuple[str, int]]) -> str:
        return self("summary.separator").join(
            self("summary.item", label=k, n=self.raw(n)) for k, n in pairs
        )

    def hours(self, minutes: int) -> str:
        return self("summary.hours", h=f"{minutes / 60:.1f}")


Categories = dict[str, tuple[str, str]]
Label = Callable[[str | None], str]


def render_summary(
    summary: Summary,
    *,
    lang: str,
    scope: str,
    categories: Categories,
    suppress: bool = False,
) -> str:
    """Return a summary as text (the chat reply and `tsunagi summary` alike)."""
    w = Writer(lang, suppress)
    index = 1 if lang == "en" else 0

    def label(code: str | None) -> str:
        return categories[code][index] if code in categories else w("summary.uncategorized")

    period = summary.period
    lines = [
        w(
            "summary.title",
            start=day_text(period.start, lang),
            end=day_text(period.end, lang),
            scope=scope,
        )
    ]
    lines += activity_lines(summary, w)
    lines += murmur_lines(summary, w, label)
    lines += gap_lines(summary, w, label)
    lines += record_lines(summary, w)
    lines += connection_lines(summary, w)
    lines += meeting_lines(summary, w)
    lines += quiet_lines(summary, w)
    return "\n".join(lines)


def day_text(day: date, lang: str) -> str:
    """Return a day as 2026-11-23（月）."""
    return t("summary.date", lang, date=day.isoformat(), weekday=weekday(day, lang))


def weekday(day: date, lang: str) -> str:
    """Return the short weekday name of a day."""
    weekdays = t("summary.weekdays", lang)
    names = weekdays.split() if " " in weekdays else list(weekdays)
    return names[day.weekday()]


def _rest(count: int, w: Writer) -> list[str]:
    if count == 0:
        return [w("summary.none")]
    return [w("summary.more", n=count - LISTED)] if count > LISTED else []


def _numbers(numbers: list[int]) -> str:
    shown = " ".join(f"#{n}" for n in numbers[:NUMBERS_LISTED])
    return shown + (" …" if len(numbers) > NUMBERS_LISTED else "")


def activity_lines(summary: Summary, w: Writer) -> list[str]:
    """Return the activity and visit lines."""
    a = summary.activities
    lines = [
        w(
            "summary.activities",
            n=w.n(a.count),
            hours=w.hours(a.minutes),
            visit_hours=w.hours(a.visit_minutes),
            other_hours=w.hours(a.other_minutes),
        )
    ]
    if a.untimed:
        lines.append(w("summary.untimed", n=w.n(a.untimed)))
    if a.by_kubun:
        kubun = [
            w("summary.item_hours", label=k or w("summary.no_kubun"), n=w.n(n), hours=w.hours(m))
            for k, n, m in a.by_kubun
        ]
        lines.append(w("summary.by_kubun", items=w("summary.separator").join(kubun)))
    if a.by_type:
        lines.append(w("summary.by_type", items=w.items([(k, n) for k, n, _ in a.by_type])))
    visits = w(
        "summary.visits",
        n=w.n(a.visits),
        first=w.raw(a.first_visits),
        repeat=w.raw(a.repeat_visits),
    )
    lines.append(visits)
    if a.visits_by_purpose:
        purposes = [(p or w("summary.no_purpose"), n) for p, n in a.visits_by_purpose]
        lines.append(w("summary.visits_by_purpose", items=w.items(purposes)))
    if a.visits_by_area:
        areas = [(name or w("summary.no_area"), n) for name, n in a.visits_by_area]
        lines.append(w("summary.visits_by_area", items=w.items(areas)))
    return lines


def _kinds(kinds: dict[str, int], w: Writer) -> str:
    return w.items(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


def murmur_lines(summary: Summary, w: Writer, label: Label) -> list[str]:
    """Return the murmur lines: by category (with the previous period), then category × area."""
    m, b = summary.murmurs, summary.breakdown
    lines = [
        w(
            "summary.murmurs",
            n=w.n(m.count),
            change=w("summary.change", before=w.n(b.previous_count)),
        )
    ]
    if m.restricted:
        lines.append(w("summary.murmurs_restricted", n=w.n(m.restricted)))
    for code, total, kinds in m.by_category:
        change = w("summary.change", before=w.n(b.previous.get(code, 0)))
        lines.append(
            w(
                "summary.murmur_row",
                category=label(code),
                n=w.n(total),
                kinds=_kinds(kinds, w),
                change=change,
            )
        )
    if not m.by_category:
        lines.append(w("summary.none"))
        return lines
    lines.append(w("summary.by_area_head"))
    for cell in b.cells[:LISTED]:
        area = cell.area or w("summary.no_area")
        lines.append(
            w(
                "summary.by_area_row",
                category=label(cell.code),
                area=area,
                n=w.n(cell.total),
                kinds=_kinds(cell.kinds, w),
            )
        )
    if len(b.cells) > LISTED:
        lines.append(w("summary.more", n=len(b.cells) - LISTED))
    return lines


def gap_lines(summary: Summary, w: Writer, label: Label) -> list[str]:
    """Return the categories murmured about where no active resource serves them."""
    gaps = summary.breakdown.gaps
    lines = [w("summary.gaps", n=w.n(len(gaps)))]
    for gap in gaps[:LISTED]:
        lines.append(
            w("summary.gap_row", category=label(gap.code), area=gap.area, n=w.n(gap.murmurs))
        )
    return lines + _rest(len(gaps), w)


def record_lines(summary: Summary, w: Writer) -> list[str]:
    """Return the new resources and leads, named unless suppressed."""
    lines = [w("summary.resources", n=w.n(len(summary.new_resources)))]
    if not w.suppress:
        for number, name, kind, area in summary.new_resources[:LISTED]:
            detail = w("summary.separator").join(x for x in (kind, area) if x) or "-"
            lines.append(w("summary.resource_row", number=number, name=name, detail=detail))
        lines += _rest(len(summary.new_resources), w)
    lines.append(w("summary.leads", n=w.n(len(summary.open_leads))))
    if not w.suppress:
        for number, lead, area in summary.open_leads[:LISTED]:
            area_name = area or w("summary.no_area")
            lines.append(w("summary.lead_row", number=number, label=lead, area=area_name))
        lines += _rest(len(summary.open_leads), w)
    return lines


def connection_lines(summary: Summary, w: Writer) -> list[str]:
    """Return the connections made and the follow-ups opened, closed and overdue."""
    c = summary.connections
    lines = [
        w(
            "summary.connections",
            n=w.n(c.made),
            resource=w.raw(c.by_target.get("resource", 0)),
            organisation=w.raw(c.by_target.get("organisation", 0)),
            houkatsu=w.raw(c.by_target.get("houkatsu", 0)),
        )
    ]
    if c.numbers and not w.suppress:
        lines.append(w("summary.connection_numbers", numbers=_numbers(c.numbers)))
    lines.append(
        w("summary.follow_ups", opened=w.n(c.opened), closed=w.n(c.closed), overdue=w.n(c.overdue))
    )
    if c.overdue_numbers and not w.suppress:
        lines.append(w("summary.overdue_numbers", numbers=_numbers(c.overdue_numbers)))
    return lines


def meeting_lines(summary: Summary, w: Writer) -> list[str]:
    """Return SC attendance at 協議体 and 地域ケア会議, then the meetings ahead."""
    lines = [w("summary.attendance")]
    for row in summary.attendance:
        lines.append(
            w(
                "summary.attendance_row",
                kind=row.kind,
                held=w.n(row.held, "summary.times"),
                attended=w.n(row.sc_attended, "summary.times"),
            )
        )
    if w.suppress:
        return lines
    lines.append(w("summary.upcoming", days=UPCOMING_DAYS))
    for meeting in summary.upcoming[:LISTED]:
        at = meeting.at
        when = w(
            "summary.upcoming_when",
            month=at.month,
            day=at.day,
            weekday=weekday(at.date(), w.lang),
            time=f"{at:%H:%M}",
        )
        lines.append(
            w(
                "summary.upcoming_row",
                when=when,
                number=meeting.number,
                title=meeting.title,
                kind=meeting.kind,
            )
        )
    return lines + _rest(len(summary.upcoming), w)


def quiet_lines(summary: Summary, w: Writer) -> list[str]:
    """Return the areas with no visit for the municipality's number of weeks."""
    lines = [w("summary.quiet", weeks=summary.quiet_weeks, n=w.n(len(summary.quiet)))]
    for area in summary.quiet[:LISTED]:
        last = area.last_visit.isoformat() if area.last_visit else w("summary.never_visited")
        lines.append(w("summary.quiet_row", area=area.name, last=last))
    return lines + _rest(len(summary.quiet), w)
