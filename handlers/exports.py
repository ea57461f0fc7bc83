"""まとめ グラフ / まとめ エクセル / まとめ csv: the summary's charts and records as files.

The scope is the summary's: a coordinator's own records, or the whole municipality for an
officer or an admin. Charts cover the 12 weeks up to the period's end (this week by default);
a workbook or CSV covers the period (this month by default). Files are sent in 1:1 chats only,
restricted murmurs' text is never in them, and each is audited (what, not the content).
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.charts import WEEKS, chart_set
from bot.context import Ctx
from bot.export_tables import SHEETS, Scope, export_tables
from bot.files import CSV, PNG, XLSX, attachment
from bot.messages import Reply
from bot.router import Router
from bot.workbook import csv_bytes, xlsx_bytes
from handlers.summaries import parse_period
from storage.access import summary_scope_author
from storage.models import Municipality

PATTERN = r"(?i)(?:まとめ|summary) ((?:グラフ|chart|charts|graph|エクセル|excel|xlsx|csv)(?: .*)?)"
CHART_WORDS = {"グラフ", "chart", "charts", "graph"}
WORKBOOK_WORDS = {"エクセル", "excel", "xlsx"}


def register(router: Router) -> None:
    """Register まとめ グラフ|エクセル|csv (before まとめ itself)."""
    router.add_pattern(PATTERN, summary_files)


def summary_files(ctx: Ctx, args: str) -> list[Reply]:
    """Answer with the charts, the workbook or the CSV of the user's scope."""
    word, _, rest = args.partition(" ")
    word = word.lower()
    if ctx.incoming.is_group:
        return [Reply(ctx.t("files.group_only"), restricted=True)]
    default = "今週" if word in CHART_WORDS else "今月"
    period = parse_period(rest or default, ctx.today())
    if period is None:
        return [Reply(ctx.t("files.usage"))]
    author_id = summary_scope_author(ctx.me)
    scope = _scope_label(ctx, author_id)
    stem = f"tsunagi-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    if word in CHART_WORDS:
        return _charts(ctx, period.end, author_id, scope, stem)
    tables = export_tables(
        ctx.session,
        municipality_id=ctx.municipality_id,
        tz=ctx.tz,
        scope=Scope(period.start, period.end, author_id),
    )
    dates = {"start": period.start.isoformat(), "end": period.end.isoformat()}
    if word in WORKBOOK_WORDS:
        data = xlsx_bytes({SHEETS[name]: tables[name] for name in SHEETS})
        file = attachment(ctx, filename=f"{stem}.xlsx", content_type=XLSX, data=data)
        ctx.audit("export", format="xlsx", scope="mine" if author_id else "all", **dates)
        return [Reply(ctx.t("files.workbook", scope=scope, **dates), attachment=file)]
    data = csv_bytes(*tables["records"])
    file = attachment(ctx, filename=f"{stem}.csv", content_type=CSV, data=data)
    ctx.audit("export", format="csv", scope="mine" if author_id else "all", **dates)
    return [Reply(ctx.t("files.csv", scope=scope, **dates), attachment=file)]


def _charts(ctx: Ctx, end: date, author_id: int | None, scope: str, stem: str) -> list[Reply]:
    charts = chart_set(
        ctx.session,
        municipality_id=ctx.municipality_id,
        last_day=end,
        author_id=author_id,
        stem=stem,
    )
    start = end - timedelta(days=end.weekday()) - timedelta(weeks=WEEKS - 1)
    dates = {"start": start.isoformat(), "end": end.isoformat()}
    ctx.audit("chart", scope="mine" if author_id else "all", **dates)
    replies = [Reply(ctx.t("files.charts", scope=scope, **dates))]
    for chart in charts:
        file = attachment(ctx, filename=chart.filename, content_type=PNG, data=chart.png)
        replies.append(Reply("", attachment=file))
    return replies


def _scope_label(ctx: Ctx, author_id: int | None) -> str:
    if author_id is not None:
        return ctx.t("summary.scope.mine")
    municipality = ctx.session.get(Municipality, ctx.municipality_id)
    return ctx.t("summary.scope.all", municipality=municipality.name if municipality else "")
