"""Charts as PNG: murmur categories over 12 weeks, a category × area table, activity by week.

Drawn with matplotlib's Agg canvas (no pyplot, no display) in Noto Sans CJK JP — the font the
install brings from PyPI (bot/channels/richmenu_font.py) — so Japanese labels never turn into
tofu boxes on a server without fonts. Each chart is a pure function of its counts; `chart_set`
gathers the counts of one scope from the store.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.channels.richmenu_font import font_path
from storage.records import category_labels
from storage.trends import category_by_area, week_starts, weekly_activity, weekly_categories

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn: it costs ~1 s at start-up
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

WEEKS = 12
TOP_CATEGORIES = 6  # the rest of the categories are drawn as one その他 band
DPI = 100
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")
REST = "#bab0ac"


@dataclass(frozen=True)
class Chart:
    """One rendered chart: a file name, a title for the chat, the PNG bytes."""

    filename: str
    title: str
    png: bytes


@lru_cache(maxsize=1)
def japanese_font() -> str:
    """Register the bundled Noto Sans CJK JP with matplotlib and return its family name."""
    from matplotlib import font_manager

    path = font_path()
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _integer_ticks() -> MaxNLocator:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.15)
    return buffer.getvalue()


def category_trend_png(
    mondays: list[date], counts: Counter[tuple[date, str | None]], labels: dict[str | None, str]
) -> bytes:
    """Return a stacked bar chart of murmurs per week by primary category (top ones, then rest)."""
    family = japanese_font()
    totals = Counter[str | None]()
    for (_, code), n in counts.items():
        totals[code] += n
    top = [code for code, _ in totals.most_common(TOP_CATEGORIES)]
    figure = _figure(11, 5)
    axes = figure.add_subplot()
    x = range(len(mondays))
    bottom = [0] * len(mondays)
    bands = [(labels.get(code, "未分類"), [counts[(m, code)] for m in mondays]) for code in top]
    rest = [
        sum(n for (m, code), n in counts.items() if m == day and code not in top) for day in mondays
    ]
    if any(rest):
        bands.append(("その他の分類", rest))
    for i, (label, values) in enumerate(bands):
        colour = PALETTE[i] if i < len(top) else REST
        axes.bar(x, values, bottom=bottom, label=label, color=colour)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    axes.set_xticks(list(x), [f"{m.month}/{m.day}" for m in mondays], fontfamily=family)
    axes.set_title(f"つぶやきの分類（{len(mondays)}週）", fontfamily=family)
    axes.set_xlabel("週（月曜日）", fontfamily=family)
    axes.set_ylabel("件数", fontfamily=family)
    axes.yaxis.set_major_locator(_integer_ticks())
    if bands:
        # beside the bars, never over them; the first band at the top, as stacked
        handles, names = axes.get_legend_handles_labels()
        figure.legend(
            handles[::-1], names[::-1], loc="outside right upper", prop={"family": family}
        )
    else:
        axes.text(
            0.5,
            0.5,
            "この期間のつぶやきはありません",
            ha="center",
            transform=axes.transAxes,
            fontfamily=family,
        )
    return _png(figure)


def category_area_png(
    counts: Counter[tuple[str | None, str | None]], labels: dict[str | None, str], title: str
) -> bytes:
    """Return a category × area table as a heatmap with the count in each cell."""
    family = japanese_font()
    areas = sorted({area for _, area in counts}, key=lambda a: (a is None, a or ""))
    by_category = Counter[str | None]()
    for (code, _), n in counts.items():
        by_category[code] += n
    categories = [code for code, _ in by_category.most_common()]
    grid = [[counts[(code, area)] for area in areas] for code in categories]
    figure = _figure(max(6.0, 1.6 + 1.3 * len(areas)), max(3.0, 1.4 + 0.45 * len(categories)))
    axes = figure.add_subplot()
    axes.set_title(title, fontfamily=family)
    if not grid:
        axes.axis("off")
        axes.text(0.5, 0.5, "この期間のつぶやきはありません", ha="center", fontfamily=family)
        return _png(figure)
    axes.imshow(grid, cmap="Oranges", aspect="auto")
    axes.set_xticks(range(len(areas)), [a or "地区なし" for a in areas], fontfamily=family)
    axes.set_yticks(
        range(len(categories)), [labels.get(c, "未分類") for c in categories], fontfamily=family
    )
    peak = max(max(row) for row in grid) or 1
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            colour = "white" if value > peak * 0.6 else "black"
            axes.text(j, i, str(value), ha="center", va="center", color=colour, fontfamily=family)
    axes.tick_params(axis="x", labeltop=True, labelbottom=False, top=True, bottom=False)
    return _png(figure)


def activity_png(weeks: list[tuple[date, int, int, int]]) -> bytes:
    """Return visits and other activities per week as bars, with the hours as a line."""
    family = japanese_font()
    figure = _figure(9, 5)
    axes = figure.add_subplot()
    x = list(range(len(weeks)))
    visits = [w[1] for w in weeks]
    others = [w[2] for w in weeks]
    axes.bar(x, visits, label="訪問", color=PALETTE[0])
    axes.bar(x, others, bottom=visits, label="その他の活動", color=PALETTE[1])
    axes.set_xticks(x, [f"{w[0].month}/{w[0].day}" for w in weeks], fontfamily=family)
    axes.set_ylabel("件数", fontfamily=family)
    axes.yaxis.set_major_locator(_integer_ticks())
    hours = axes.twinx()
    hours.plot(x, [w[3] / 60 for w in weeks], color=PALETTE[3], marker="o", label="時間")
    hours.set_ylabel("時間", fontfamily=family)
    hours.set_ylim(bottom=0)
    axes.set_title(f"活動の記録（{len(weeks)}週）", fontfamily=family)
    handles = axes.get_legend_handles_labels()
    line = hours.get_legend_handles_labels()
    figure.legend(
        handles[0] + line[0],
        handles[1] + line[1],
        prop={"family": family},
        loc="outside right upper",
    )
    return _png(figure)


def chart_set(
    session: Session, *, municipality_id: int, last_day: date, author_id: int | None, stem: str
) -> list[Chart]:
    """Return the three charts of a scope for the 12 weeks ending with last_day's week."""
    mondays = week_starts(last_day, WEEKS)
    labels: dict[str | None, str] = {code: ja for code, (ja, _) in category_labels(session).items()}
    muni, author = municipality_id, author_id
    trend = weekly_categories(session, municipality_id=muni, mondays=mondays, author_id=author)
    grid = category_by_area(
        session, municipality_id=muni, start=mondays[0], end=last_day, author_id=author
    )
    activity = weekly_activity(session, municipality_id=muni, mondays=mondays, author_id=author)
    grid_title = f"分類 × 地区（{mondays[0]:%-m/%-d}〜{last_day:%-m/%-d}）"
    rows = [(w.monday, w.visits, w.others, w.minutes) for w in activity]
    return [
        Chart(
            f"{stem}-categories.png",
            "つぶやきの分類（12週）",
            category_trend_png(mondays, trend, labels),
        ),
        Chart(f"{stem}-areas.png", "分類 × 地区", category_area_png(grid, labels, grid_title)),
        Chart(f"{stem}-activity.png", "活動（12週）", activity_png(rows)),
    ]
