"""A plain text progress bar for long CLI work (imports, exports, generated data), on stderr.

`TextProgress(stream)` is called with (done, total) as work goes; it redraws one line only when
the percentage changes, and ends the line when done. `track(items, progress)` wraps an iterable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TextIO, TypeVar

T = TypeVar("T")
Progress = Callable[[int, int], None]


class TextProgress:
    """A plain text progress bar: `[#####-----]  50% 500,000/1,000,000`."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        # sys.stderr is looked up now, not when this module was imported (it may be replaced)
        self.stream, self.width, self.shown = stream or sys.stderr, width, -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {percent:3d}% {done:,}/{total:,}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def track(items: Sequence[T], progress: Progress | None) -> Iterator[T]:
    """Yield the items, reporting progress after each one (nothing when `progress` is None)."""
    total = len(items)
    for done, item in enumerate(items, start=1):
        yield item
        if progress is not None:
            progress(done, total)
