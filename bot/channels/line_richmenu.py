"""tsunagi's LINE rich menu: six big buttons under the chat, with an image drawn by tsunagi.

`tsunagi line setup-richmenu` calls run_setup: it creates the menu, uploads the PNG and makes it
every friend's default. Each button sends the same command word a user could type.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from linebot.v3.messaging import (
    ApiClient,
    ApiException,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    RichMenuRequest,
)
from PIL import Image, ImageDraw

from bot.channels.richmenu_font import japanese_font
from bot.settings import Settings

WIDTH, HEIGHT = 2500, 843
COLUMNS, ROWS = 3, 2
GAP = 6  # white lines between tiles, so each button reads as its own
LABEL_SIZE = 120
ICON_SIZE = 150
INK = "#2F3437"
Box = tuple[int, int, int, int]
Icon = Callable[[ImageDraw.ImageDraw, Box, str], None]


class RichMenuError(RuntimeError):
    """LINE refused a rich menu request; the message says what it answered."""


def _house(draw: ImageDraw.ImageDraw, box: Box, colour: str) -> None:
    x0, y0, x1, y1 = box
    w = x1 - x0
    draw.polygon([(x0, y0 + w * 0.45), ((x0 + x1) / 2, y0), (x1, y0 + w * 0.45)], fill=colour)
    draw.rectangle((x0 + w * 0.15, y0 + w * 0.42, x1 - w * 0.15, y1), fill=colour)
    draw.rectangle((x0 + w * 0.42, y0 + w * 0.65, x1 - w * 0.42, y1), fill="white")


def _bubble(draw: ImageDraw.ImageDraw, box: Box, colour: str) -> None:
    x0, y0, x1, y1 = box
    w = x1 - x0
    draw.rounded_rectangle((x0, y0, x1, y1 - w * 0.22), radius=w * 0.2, fill=colour)
    draw.polygon(
        [(x0 + w * 0.2, y1 - w * 0.25), (x0 + w * 0.15, y1), (x0 + w * 0.45, y1 - w * 0.25)],
        fill=colour,
    )
    for i in range(3):
        cx, cy, r = x0 + w * (0.3 + 0.2 * i), y0 + w * 0.39, w * 0.06
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill="white")


def _calendar(draw: ImageDraw.ImageDraw, box: Box, colour: str) -> None:
    x0, y0, x1, y1 = box
    w = x1 - x0
    draw.rounded_rectangle((x0, y0 + w * 0.1, x1, y1), radius=w * 0.1, outline=colour, width=12)
    draw.rectangle((x0 + 6, y0 + w * 0.12, x1 - 6, y0 + w * 0.32), fill=colour)
    for i, j in [(i, j) for i in range(3) for j in range(2)]:
        cx, cy = x0 + w * (0.27 + 0.23 * i), y0 + w * (0.55 + 0.22 * j)
        draw.rectangle((cx - w * 0.06, cy - w * 0.06, cx + w * 0.06, cy + w * 0.06), fill=colour)


def _bars(draw: ImageDraw.ImageDraw, box: Box, colour: str) -> None:
    x0, y0, x1, y1 = box
    w = x1 - x0
    for i, height in enumerate((0.45, 0.8, 0.6)):
        left = x0 + w * (0.08 + 0.3 * i)
        draw.rectangle((left, y1 - w * height, left + w * 0.22, y1 - 12), fill=colour)
    draw.rectangle((x0, y1 - 12, x1, y1), fill=colour)


def _magnifier(draw: ImageDraw.ImageDraw, box: Box, colour: str) -> None:
    x0, y0, x1, y1 = box
    w = x1 - x0
    draw.ellipse((x0, y0, x0 + w * 0.68, y0 + w * 0.68), outline=colour, width=18)
    draw.line((x0 + w * 0.58, y0 + w * 0.58, x1 - 6, y1 - 6), fill=colour, width=30)


def _question(draw: ImageDraw.ImageDraw, box: Box, colour: str) -> None:
    draw.ellipse(box, fill=colour)
    _centred_text(draw, ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), "?", 110, "white")


def _centred_text(
    draw: ImageDraw.ImageDraw, centre: tuple[float, float], text: str, size: int, colour: str
) -> None:
    """Draw text centred on a point, a little bolder than the Regular weight."""
    font = japanese_font(size)
    draw.text(centre, text, font=font, fill=colour, anchor="mm", stroke_width=2, stroke_fill=colour)


@dataclass(frozen=True)
class MenuButton:
    """One tile of the rich menu: what it shows and what tapping it sends."""

    label: str
    text: str
    background: str
    accent: str
    icon: Icon


BUTTONS = (
    MenuButton("訪問記録", "訪問", "#DDEFE3", "#3E8E5E", _house),
    MenuButton("つぶやき", "つぶやき", "#DCE8F6", "#4574A8", _bubble),
    MenuButton("予定", "予定", "#FBF0D6", "#B7862A", _calendar),
    MenuButton("まとめ", "まとめ", "#E9E2F3", "#7A61A6", _bars),
    MenuButton("検索", "検索", "#D9EEEE", "#2F8585", _magnifier),
    MenuButton("ヘルプ", "ヘルプ", "#F5E2DE", "#B0625A", _question),
)


def _bounds(index: int) -> Box:
    """Return (x, y, width, height) of tile index, filling the menu without a stray pixel."""
    column, row = index % COLUMNS, index // COLUMNS
    x, y = column * WIDTH // COLUMNS, row * HEIGHT // ROWS
    return x, y, (column + 1) * WIDTH // COLUMNS - x, (row + 1) * HEIGHT // ROWS - y


def richmenu_request() -> dict[str, Any]:
    """Return the rich menu as the JSON body of LINE's create-rich-menu request."""
    areas = [
        {
            "bounds": dict(zip(("x", "y", "width", "height"), _bounds(i), strict=True)),
            "action": {"type": "message", "label": button.label, "text": button.text},
        }
        for i, button in enumerate(BUTTONS)
    ]
    return {
        "size": {"width": WIDTH, "height": HEIGHT},
        "selected": True,
        "name": "tsunagi",
        "chatBarText": "メニュー",
        "areas": areas,
    }


def _draw_tile(draw: ImageDraw.ImageDraw, index: int, button: MenuButton) -> None:
    x, y, width, height = _bounds(index)
    draw.rectangle(
        (x + GAP // 2, y + GAP // 2, x + width - GAP // 2, y + height - GAP // 2),
        fill=button.background,
    )
    centre_x, top = x + width // 2, y + (height - ICON_SIZE - 40 - LABEL_SIZE) // 2
    icon_box = (centre_x - ICON_SIZE // 2, top, centre_x + ICON_SIZE // 2, top + ICON_SIZE)
    button.icon(draw, icon_box, button.accent)
    label_y = top + ICON_SIZE + 40 + LABEL_SIZE // 2
    _centred_text(draw, (centre_x, label_y), button.label, LABEL_SIZE, INK)


def richmenu_image() -> bytes:
    """Draw the rich menu image and return it as a PNG under LINE's 1 MB limit."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    for index, button in enumerate(BUTTONS):
        _draw_tile(draw, index, button)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def setup_richmenu(
    *, api_base_url: str, data_api_base_url: str, access_token: str, timeout: float = 10
) -> str:
    """Create the rich menu, upload its image, make it the default and return its ID."""
    request = RichMenuRequest.from_dict(richmenu_request())
    try:
        with (
            _client(api_base_url, access_token) as api_client,
            _client(data_api_base_url, access_token) as data_client,
        ):
            api, blob = MessagingApi(api_client), MessagingApiBlob(data_client)
            rich_menu_id = api.create_rich_menu(request, _request_timeout=timeout).rich_menu_id
            headers = {"Content-Type": "image/png"}
            blob.set_rich_menu_image(
                rich_menu_id, body=richmenu_image(), _headers=headers, _request_timeout=timeout
            )
            api.set_default_rich_menu(rich_menu_id, _request_timeout=timeout)
    except ApiException as exc:
        raise RichMenuError(f"LINE refused the rich menu (HTTP {exc.status}): {exc.body}") from exc
    return rich_menu_id


def _client(host: str, access_token: str) -> ApiClient:
    return ApiClient(Configuration(host=host.rstrip("/"), access_token=access_token))


def run_setup(settings: Settings) -> str:
    """Set up the rich menu on the configured LINE channel and return its ID."""
    if not settings.line_enabled or settings.line_channel_access_token is None:
        raise ValueError(
            "LINE is not configured: set LINE_CHANNEL_SECRET and LINE_CHANNEL_ACCESS_TOKEN first"
        )
    return setup_richmenu(
        api_base_url=settings.line_api_base_url,
        data_api_base_url=settings.line_data_api_base_url,
        access_token=settings.line_channel_access_token,
    )
