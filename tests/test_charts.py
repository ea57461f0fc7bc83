"""Charts: valid PNGs drawn in the bundled Noto Sans CJK JP (no tofu), from counts in the store."""

from __future__ import annotations

import io
import warnings
from collections import Counter
from datetime import date

import pytest
from conftest import World
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from records_data import Records

from bot.channels.richmenu_font import font_path
from bot.charts import activity_png, category_area_png, category_trend_png, japanese_font
from bot.cli import main as cli_main
from storage.db import session_scope
from storage.members import get_municipality
from storage.trends import category_by_area, week_starts, weekly_activity, weekly_categories

MONDAYS = week_starts(date(2026, 11, 23), 12)
LABELS: dict[str | None, str] = {"shopping": "買い物", "mobility": "移動・外出（交通）"}


def missing_glyphs(draw) -> list[str]:
    """Run a drawing and return matplotlib's 'Glyph … missing from font' warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw()
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_the_chart_font_is_the_bundled_japanese_one():
    family = japanese_font()
    found = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    assert found == str(font_path())


def test_the_glyph_check_catches_tofu_in_a_latin_font():
    """The control: the same label in DejaVu Sans (no kana) is reported as missing glyphs."""

    def draw_in_dejavu() -> None:
        figure = Figure()
        FigureCanvasAgg(figure)
        figure.text(0.1, 0.5, "買い物", family="DejaVu Sans")
        figure.savefig(io.BytesIO(), format="png")

    assert missing_glyphs(draw_in_dejavu)


@pytest.mark.parametrize(
    "draw",
    [
        lambda: category_trend_png(
            MONDAYS, Counter({(MONDAYS[-1], "shopping"): 3, (MONDAYS[2], None): 1}), LABELS
        ),
        lambda: category_area_png(
            Counter({("shopping", "中央圏域"): 4, ("mobility", None): 2}), LABELS, "分類 × 地区"
        ),
        lambda: activity_png([(m, i % 3, 1, 60 * i) for i, m in enumerate(MONDAYS)]),
        lambda: category_trend_png(MONDAYS, Counter(), LABELS),  # an empty period says so
    ],
    ids=["categories", "areas", "activity", "empty"],
)
def test_each_chart_is_a_png_with_every_japanese_glyph(draw):
    pngs: list[bytes] = []
    assert missing_glyphs(lambda: pngs.append(draw())) == []
    image = Image.open(io.BytesIO(pngs[0]))
    assert image.format == "PNG" and image.size[0] >= 600 and image.size[1] >= 300


def test_the_counts_come_from_the_scope_and_its_weeks(clock, any_engine):
    world = World(any_engine, clock)
    world.municipality("あおば市")
    world.chat("sato", "あおば市")
    world.chat("suzuki", "あおば市")
    aoba = Records(world.engine, clock, "あおば市")
    aoba.murmur(
        "sato", date(2026, 11, 24), "スーパーが遠い", categories=["shopping"], area="本町自治会"
    )
    aoba.murmur(
        "sato",
        date(2026, 11, 17),
        "バスが減った",
        categories=["mobility", "shopping"],
        area="北山自治会",
    )
    aoba.murmur("suzuki", date(2026, 11, 18), "買い物が大変", categories=["shopping"])
    aoba.murmur("sato", date(2026, 8, 1), "昔の話", categories=["shopping"])  # before the 12 weeks
    aoba.visit("sato", date(2026, 11, 20), minutes=90)
    aoba.activity("suzuki", date(2026, 11, 19), type="会議・集まり参加", minutes=30)
    with session_scope(world.engine) as s:
        muni = get_municipality(s, name="あおば市").id
        assert muni is not None
        everyone = weekly_categories(s, municipality_id=muni, mondays=MONDAYS, author_id=None)
        assert everyone == Counter(
            {
                (date(2026, 11, 23), "shopping"): 1,
                (date(2026, 11, 16), "mobility"): 1,
                (date(2026, 11, 16), "shopping"): 1,
            }
        )
        sato = aoba.member_id("sato")
        mine = weekly_categories(s, municipality_id=muni, mondays=MONDAYS, author_id=sato)
        assert sum(mine.values()) == 2
        grid = category_by_area(
            s, municipality_id=muni, start=MONDAYS[0], end=date(2026, 11, 29), author_id=None
        )
        assert grid == Counter(
            {("shopping", "中央圏域"): 1, ("mobility", "北部圏域"): 1, ("shopping", None): 1}
        )
        weeks = weekly_activity(s, municipality_id=muni, mondays=MONDAYS, author_id=None)
        assert (weeks[-2].visits, weeks[-2].others, weeks[-2].minutes) == (1, 1, 120)
        assert sum(w.visits + w.others for w in weeks) == 2


def test_summary_png_writes_the_three_charts(world, clock, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(
        "TSUNAGI_DATABASE_URL", world.engine.url.render_as_string(hide_password=False)
    )
    assert (
        cli_main(
            ["summary", "あおば市", "--week", "2026-W48", "--format", "png", "--out", "aoba.png"]
        )
        == 0
    )
    for name in ("aoba.png", "aoba-areas.png", "aoba-activity.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
    assert "aoba-areas.png" in capsys.readouterr().out
    assert cli_main(["summary", "あおば市", "--format", "png"]) == 1
    assert "--out summary.png" in capsys.readouterr().err
