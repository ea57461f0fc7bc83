"""Background loops that drain the inbox and the outbox, started and stopped with the app."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class Loop:
    """Run `step` until stopped; sleep on `wakeup` (or `idle` seconds) whenever it found no work."""

    def __init__(
        self,
        name: str,
        step: Callable[[], int],
        *,
        wakeup: threading.Event | None = None,
        idle: float = 1.0,
    ) -> None:
        self.name = name
        self.step = step
        self.wakeup = wakeup or threading.Event()
        self.idle = idle
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the loop to finish its current step and wait for it."""
        self._stop.set()
        self.wakeup.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            # Cleared before the step, so a wake-up that arrives while it runs is not lost.
            self.wakeup.clear()
            try:
                did = self.step()
            except Exception:
                log.exception("%s: step failed; retrying shortly", self.name)
                did = 0
            if did == 0 and not self._stop.is_set():
                self.wakeup.wait(self.idle)
