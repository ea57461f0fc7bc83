"""`tsunagi line setup-richmenu`: the menu, its generated image and the calls LINE receives."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image, ImageDraw, ImageFont

from bot.channels.line_richmenu import (
    RichMenuError,
    richmenu_image,
    richmenu_request,
    run_setup,
    setup_richmenu,
)
from bot.channels.richmenu_font import font_path, japanese_font
from bot.clock import ManualClock
from bot.fakes.line_platform import create_fake_line_app, serve_in_thread
from bot.fakes.line_state import FakeLineState
from bot.settings import Settings

TOKEN = "test-channel-access-token"
MISSING = "\U000f0000"  # a private-use code point no font has: drawn as the .notdef box


@pytest.fixture
def line(clock: ManualClock) -> FakeLineState:
    return FakeLineState(clock=clock, access_token=TOKEN)


@pytest.fixture
def base_url(line: FakeLineState) -> Iterator[str]:
    url, stop = serve_in_thread(create_fake_line_app(line))
    yield url
    stop()


def line_settings(base_url: str, token: str = TOKEN) -> Settings:
    return Settings(
        line_channel_secret="test-channel-secret",
        line_channel_access_token=token,
        line_api_base_url=base_url,
        line_data_api_base_url=base_url,
    )


def rectangle(bounds: dict[str, int]) -> tuple[int, int, int, int]:
    x, y = bounds["x"], bounds["y"]
    return x, y, x + bounds["width"], y + bounds["height"]


def glyph(font: ImageFont.FreeTypeFont | ImageFont.ImageFont, char: str) -> bytes:
    image = Image.new("L", (200, 200), 0)
    ImageDraw.Draw(image).text((100, 100), char, font=font, fill=255, anchor="mm")
    return image.tobytes()


def test_setup_creates_the_menu_uploads_its_image_and_makes_it_the_default(
    line: FakeLineState, base_url: str
) -> None:
    rich_menu_id = run_setup(line_settings(base_url))

    assert line.default_rich_menu == rich_menu_id
    menu = line.rich_menus[rich_menu_id]
    assert menu["chatBarText"] == "メニュー"
    assert menu["size"] == {"width": 2500, "height": 843}
    actions = [(area["action"]["label"], area["action"]["text"]) for area in menu["areas"]]
    assert actions == [
        ("訪問記録", "訪問"),
        ("つぶやき", "つぶやき"),
        ("予定", "予定"),
        ("まとめ", "まとめ"),
        ("検索", "検索"),
        ("ヘルプ", "ヘルプ"),
    ]
    png, content_type = line.rich_menu_images[rich_menu_id]
    assert content_type == "image/png"
    assert Image.open(io.BytesIO(png)).size == (2500, 843)
    assert [call.path for call in line.calls] == [
        "/v2/bot/richmenu",
        f"/v2/bot/richmenu/{rich_menu_id}/content",
        f"/v2/bot/user/all/richmenu/{rich_menu_id}",
    ]


def test_a_refusal_from_line_says_what_line_answered(line: FakeLineState, base_url: str) -> None:
    with pytest.raises(RichMenuError, match="HTTP 401"):
        setup_richmenu(
            api_base_url=base_url, data_api_base_url=base_url, access_token="not-the-token"
        )

    assert line.rich_menus == {}
    assert line.default_rich_menu is None


def test_setup_needs_line_to_be_configured() -> None:
    with pytest.raises(ValueError, match="LINE_CHANNEL_ACCESS_TOKEN"):
        run_setup(Settings())


def test_the_areas_tile_the_whole_menu_without_overlap() -> None:
    boxes = [rectangle(area["bounds"]) for area in richmenu_request()["areas"]]

    assert all(0 <= x0 < x1 <= 2500 and 0 <= y0 < y1 <= 843 for x0, y0, x1, y1 in boxes)
    for i, (ax0, ay0, ax1, ay1) in enumerate(boxes):
        for bx0, by0, bx1, by1 in boxes[i + 1 :]:
            assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, "two areas overlap"
    assert sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in boxes) == 2500 * 843


def test_each_tap_area_shows_its_own_tile_with_a_label() -> None:
    png = richmenu_image()
    image = Image.open(io.BytesIO(png)).convert("RGB")

    assert image.size == (2500, 843)
    assert len(png) < 1024 * 1024
    backgrounds: list[object] = []
    for area in richmenu_request()["areas"]:
        x0, y0, x1, y1 = rectangle(area["bounds"])
        tile = image.crop((x0 + 10, y0 + 10, x1 - 10, y1 - 10))
        background = tile.getpixel((0, 0))
        assert tile.getpixel((tile.width - 1, tile.height - 1)) == background
        darkest, _ = tile.convert("L").getextrema()
        assert isinstance(darkest, int) and darkest < 80, (
            f"no dark label ink on the {area['action']['label']} tile"
        )
        backgrounds.append(background)
    assert len(set(backgrounds)) == 6


def test_the_bundled_font_draws_japanese_not_tofu() -> None:
    font = japanese_font(120)

    assert font_path().is_file()
    for char in "訪問記録つぶやき予定まとめ検索ヘルプ":
        assert glyph(font, char) != glyph(font, MISSING), f"{char} is drawn as a tofu box"
    assert glyph(font, "訪") != glyph(font, "問")


def test_a_font_without_japanese_draws_tofu() -> None:
    latin_only = ImageFont.load_default(120)

    assert glyph(latin_only, "訪") == glyph(latin_only, MISSING)
