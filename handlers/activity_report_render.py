"""A 活動報告 as text (PRACTICE.md Part 2(b) layout, sections 1–9): chat, notification, Excel rows.

`report_sections` returns the report as (heading, lines) pairs so the chat text and the
workbook (bot/activity_report_xlsx.py) show the same content.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.texts import t
from handlers.summary_render import weekday
from storage.models import ActivityReport
from storage.report_data import ReportData
from storage.summaries import month_of

CELLS_LISTED = 5
Tr = Callable[..., str]
Categories = dict[str, tuple[str, str]]


def period_text(start: date, end: date, lang: str) -> str:
    """Return 2026年11月分 for a calendar month, else the range of days."""
    if (start, end) == (
        month_of(start.year, start.month).start,
        month_of(start.year, start.month).end,
    ):
        return t("report.month", lang, year=start.year, month=start.month)
    return t("report.range", lang, start=start.isoformat(), end=end.isoformat())


def who_text(data: ReportData, lang: str) -> str:
    """Return who reports: 「第2層 SC 佐藤」 or 「あおば市全体」."""
    if data.member_name is None:
        return t("report.who.all", lang, municipality=data.municipality)
    layer = t("report.layer", lang, layer=data.layer) if data.layer else ""
    return t("report.who.member", lang, layer=layer, name=data.member_name)


def status_text(report: ActivityReport, lang: str) -> str:
    """Return 「活動報告 #N（下書き）」 or the submission time."""
    if not report.number:
        return t("report.status.unsaved", lang)
    if report.submitted_at is not None and report.status == "submitted":
        at = report.submitted_at.strftime("%Y-%m-%d")
        return t("report.status.submitted", lang, number=report.number, at=at)
    return t("report.status.draft", lang, number=report.number)


def report_sections(
    data: ReportData, report: ActivityReport, *, lang: str, categories: Categories
) -> list[tuple[str, list[str]]]:
    """Return the report's nine sections as (heading, lines)."""

    def tr(key: str, **values: object) -> str:
        return t(key, lang, **values)

    index = 1 if lang == "en" else 0

    def label(code: str | None) -> str:
        return categories[code][index] if code in categories else tr("summary.uncategorized")

    def own(key: str) -> list[str]:
        text = report.sections.get(key)
        return [f"  {line}" for line in text.splitlines()] if text else [tr("report.unwritten")]

    s = data.summary
    return [
        (tr("report.s1"), _work(data, tr)),
        (tr("report.s2"), _councils(data, tr)),
        (tr("report.s3"), own("topics")),
        (tr("report.s4"), _voices(data, tr, label)),
        (tr("report.s5"), [tr("report.s5.row", **data.resources)]),
        (
            tr(
                "report.s6",
                n=s.connections.made,
                resource=s.connections.by_target.get("resource", 0),
                organisation=s.connections.by_target.get("organisation", 0),
                houkatsu=s.connections.by_target.get("houkatsu", 0),
            ),
            [],
        ),
        (tr("report.s7"), own("proposals")),
        (tr("report.s8"), own("requests")),
        (tr("report.s9"), _next_month(data, tr, lang)),
    ]


def render_report(
    data: ReportData, report: ActivityReport, *, lang: str, categories: Categories
) -> str:
    """Return the whole report as one text."""
    lines = [
        t("report.title", lang, period=period_text(data.period.start, data.period.end, lang)),
        status_text(report, lang),
        t("report.header", lang, municipality=data.municipality, who=who_text(data, lang)),
    ]
    for heading, body in report_sections(data, report, lang=lang, categories=categories):
        lines.append(heading)
        lines.extend(body)
    return "\n".join(lines)


def _hours(minutes: int, tr: Tr) -> str:
    return tr("summary.hours", h=f"{minutes / 60:.1f}")


def _work(data: ReportData, tr: Tr) -> list[str]:
    a = data.summary.activities
    kubun = tr("summary.separator").join(
        tr(
            "summary.item_hours",
            label=k or tr("summary.no_kubun"),
            n=tr("summary.count", n=n),
            hours=_hours(m, tr),
        )
        for k, n, m in a.by_kubun
    )
    return [
        tr(
            "report.s1.days",
            days=data.days,
            hours=_hours(a.minutes, tr),
            field=_hours(data.field_minutes, tr),
            desk=_hours(data.desk_minutes, tr),
        ),
        tr("report.s1.kubun", items=kubun or "-"),
        tr(
            "report.s1.visits",
            visits=a.visits,
            first=a.first_visits,
            meetings=data.meetings,
            care=data.care_meetings,
        ),
        tr("report.s1.other", phone=data.phone, training=data.training),
    ]


def _councils(data: ReportData, tr: Tr) -> list[str]:
    lines = []
    for c in data.councils:
        day = f"{c.day.month}/{c.day.day}"
        lines.append(
            tr(
                "report.s2.row",
                day=day,
                kind=c.kind,
                ordinal=c.ordinal,
                total=c.total,
                present=c.present,
                number=c.number,
            )
        )
        lines.append(tr("report.s2.agenda", text=c.agenda))
        if c.decisions:
            lines.append(tr("report.s2.decisions", text=c.decisions))
        if c.follow_up:
            lines.append(tr("report.s2.follow_up", text=c.follow_up))
    return lines or [tr("report.empty")]


def _voices(data: ReportData, tr: Tr, label: Callable[[str | None], str]) -> list[str]:
    s = data.summary
    lines = [tr("report.s4.count", n=s.murmurs.count, before=s.breakdown.previous_count)]
    if data.top_issues:
        items = tr("summary.separator").join(
            tr("summary.item", label=label(code), n=tr("summary.count", n=n))
            for code, n in data.top_issues
        )
        lines.append(tr("report.s4.top", items=items))
    for cell in s.breakdown.cells[:CELLS_LISTED]:
        kinds = tr("summary.separator").join(
            tr("summary.item", label=k, n=n)
            for k, n in sorted(cell.kinds.items(), key=lambda kv: -kv[1])
        )
        area = cell.area or tr("summary.no_area")
        lines.append(
            tr("report.s4.cell", category=label(cell.code), area=area, n=cell.total, kinds=kinds)
        )
    return lines


def _next_month(data: ReportData, tr: Tr, lang: str) -> list[str]:
    lines = []
    for meeting in data.next_month:
        at = meeting.at
        when = tr(
            "summary.upcoming_when",
            month=at.month,
            day=at.day,
            weekday=weekday(at.date(), lang),
            time=f"{at:%H:%M}",
        )
        lines.append(
            tr(
                "report.s9.row",
                when=when,
                number=meeting.number,
                title=meeting.title,
                kind=meeting.kind,
            )
        )
    return lines or [tr("report.empty")]
