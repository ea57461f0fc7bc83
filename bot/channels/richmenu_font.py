"""The Japanese font tsunagi draws its own images with (rich menu now, charts later).

It is Noto Sans CJK JP Regular (SIL OFL 1.1), installed with the project by the PyPI package
`noto-cjk-sans-jp-regular`, so no system font is needed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONT_PACKAGE = "noto-cjk-sans-jp-regular"


def font_path() -> Path:
    """Return the path of the bundled Japanese font file."""
    try:
        import noto_cjk_sans_jp_regular as package
    except ImportError as exc:
        raise RuntimeError(f"the Japanese font is missing: install {FONT_PACKAGE}") from exc
    path = Path(package.__file__).with_name(package.FONT_FILE)
    if not path.is_file():
        raise RuntimeError(f"the Japanese font file is missing: reinstall {FONT_PACKAGE}")
    return path


@lru_cache(maxsize=16)
def japanese_font(size: int) -> ImageFont.FreeTypeFont:
    """Return the Japanese font loaded at this pixel size."""
    return ImageFont.truetype(str(font_path()), size)
