"""A tiny in-process metrics registry, exposed in the Prometheus text format (version 0.0.4).

Counters live for the life of the process and are moved by the channels where events are
stored, processed or fail and where outbox attempts are retried. Gauges that describe the
store (inbox depth, outbox by status) are read from the database at scrape time by the app.

    # HELP tsunagi_events_received_total Webhook events newly stored in the inbox.
    # TYPE tsunagi_events_received_total counter
    tsunagi_events_received_total{channel="line"} 3
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Iterable
from typing import TypeVar

from sqlalchemy.engine import Engine

from storage import inbox, outbox
from storage.outbox import queue_counts

log = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

LabelValues = tuple[str, ...]
Snapshot = dict[str, list[tuple[LabelValues, float]]]  # counter name -> its samples


class Metric:
    """One named metric with labelled samples (a counter or a gauge)."""

    kind = "untyped"

    def __init__(self, name: str, help: str, labels: Iterable[str] = ()) -> None:
        self.name = name
        self.help = help
        self.labels = tuple(labels)
        self._values: dict[LabelValues, float] = {}
        self._lock = threading.Lock()

    def value(self, **labels: str) -> float:
        """Return the current value of one labelled sample (0 when never touched)."""
        with self._lock:
            return self._values.get(self._key(labels), 0.0)

    def samples(self) -> list[tuple[LabelValues, float]]:
        """Return (label values, value) pairs, sorted by label values."""
        with self._lock:
            return sorted(self._values.items())

    def _key(self, labels: dict[str, str]) -> LabelValues:
        if set(labels) != set(self.labels):
            raise ValueError(f"{self.name} takes labels {self.labels}, got {tuple(labels)}")
        return tuple(str(labels[name]) for name in self.labels)


M = TypeVar("M", bound=Metric)


class Counter(Metric):
    """A value that only goes up (events, retries)."""

    kind = "counter"

    def inc(self, amount: float = 1, **labels: str) -> None:
        """Add `amount` (never negative) to the labelled sample."""
        if amount < 0:
            raise ValueError("a counter only goes up")
        key = self._key(labels)
        with self._lock:
            self._values[key] = self._values.get(key, 0.0) + amount


class Gauge(Metric):
    """A value that is set to what it is now (queue depth, lag)."""

    kind = "gauge"

    def set(self, value: float, **labels: str) -> None:
        """Set the labelled sample to `value`."""
        key = self._key(labels)
        with self._lock:
            self._values[key] = float(value)


class Registry:
    """The metrics of one process, in the order they were made."""

    def __init__(self) -> None:
        self._metrics: list[Metric] = []

    def counter(self, name: str, help: str, labels: Iterable[str] = ()) -> Counter:
        """Make and register a counter (its name should end in `_total`)."""
        return self._add(Counter(name, help, labels))

    def gauge(self, name: str, help: str, labels: Iterable[str] = ()) -> Gauge:
        """Make and register a gauge."""
        return self._add(Gauge(name, help, labels))

    def render(self, *extra: Metric, plus: Snapshot | None = None) -> str:
        """Return every metric (and `extra` ones made for this scrape) as exposition text.

        `plus` adds another process's counters (`counters()` of the worker process) to ours.
        """
        plus = plus or {}
        return "".join(
            _exposition(metric, plus.get(metric.name, ())) for metric in (*self._metrics, *extra)
        )

    def counters(self) -> Snapshot:
        """Return every counter's samples, to be added to another process's `render`."""
        return {m.name: m.samples() for m in self._metrics if isinstance(m, Counter)}

    def _add(self, metric: M) -> M:
        if any(m.name == metric.name for m in self._metrics):
            raise ValueError(f"metric {metric.name} is already registered")
        self._metrics.append(metric)
        return metric


def _exposition(metric: Metric, plus: Iterable[tuple[LabelValues, float]] = ()) -> str:
    lines = [
        f"# HELP {metric.name} {_escape_help(metric.help)}",
        f"# TYPE {metric.name} {metric.kind}",
    ]
    samples = dict(metric.samples())
    for values, value in plus:
        samples[values] = samples.get(values, 0.0) + value
    for values, value in sorted(samples.items()):
        pairs = ",".join(
            f'{name}="{_escape_label(v)}"' for name, v in zip(metric.labels, values, strict=True)
        )
        braced = f"{{{pairs}}}" if pairs else ""
        lines.append(f"{metric.name}{braced} {_number(value)}")
    return "\n".join(lines) + "\n"


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def _escape_label(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _number(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return str(int(value)) if value.is_integer() else repr(value)


# ── the process's metrics ─────────────────────────────────────────────────────────────────────

REGISTRY = Registry()
EVENTS_RECEIVED = REGISTRY.counter(
    "tsunagi_events_received_total",
    "Platform events newly stored in the inbox (a redelivered duplicate is not counted).",
    ["channel"],
)
EVENTS_PROCESSED = REGISTRY.counter(
    "tsunagi_events_processed_total",
    "Inbox events run through the bot (or ignored) without an error.",
    ["channel"],
)
EVENTS_FAILED = REGISTRY.counter(
    "tsunagi_events_failed_total",
    "Failed attempts to process an inbox event (each is retried; given up after a few).",
    ["channel"],
)
OUTBOX_ATTEMPTS = REGISTRY.counter(
    "tsunagi_outbox_attempts_total",
    "Attempts to deliver an outbox message, by outcome (sent, retry, failed, quota_exhausted).",
    ["channel", "outcome"],
)
OUTBOX_RETRIES = REGISTRY.counter(
    "tsunagi_outbox_retries_total",
    "Outbox deliveries that failed for now and were scheduled to be tried again.",
    ["channel"],
)


def note_delivery(channel: str, status: str) -> None:
    """Count one outbox attempt by the status it left the message in (pending = a retry)."""
    outcome = "retry" if status == "pending" else status
    OUTBOX_ATTEMPTS.inc(channel=channel, outcome=outcome)
    if outcome == "retry":
        OUTBOX_RETRIES.inc(channel=channel)


def store_gauges(engine: Engine) -> list[Metric]:
    """Read the inbox and outbox counts from the store as gauges for one scrape."""
    up = Gauge("tsunagi_database_up", "1 when the database answered this scrape, else 0.")
    depth = Gauge("tsunagi_inbox_depth", "Inbox events waiting to be processed.")
    events = Gauge("tsunagi_inbox_events", "Inbox events by status.", ["status"])
    messages = Gauge("tsunagi_outbox_messages", "Outbox messages by status.", ["status"])
    lag = Gauge(
        "tsunagi_reminder_lag_seconds",
        "Seconds the oldest due reminder is late. Placeholder: always 0 until reminders exist.",
    )
    lag.set(0)
    try:
        with engine.connect() as connection:
            counts = queue_counts(connection)
    except Exception:
        log.exception("metrics: database unreachable")
        up.set(0)
        return [up, depth, events, messages, lag]
    up.set(1)
    inbox_counts, outbox_counts = counts["inbox"], counts["outbox"]
    depth.set(inbox_counts.get(inbox.PENDING, 0))
    for status in {inbox.PENDING, inbox.DONE, inbox.IGNORED, inbox.FAILED} | set(inbox_counts):
        events.set(inbox_counts.get(status, 0), status=status)
    known = {outbox.PENDING, outbox.SENT, outbox.FAILED, outbox.QUOTA_EXHAUSTED}
    for status in known | set(outbox_counts):
        messages.set(outbox_counts.get(status, 0), status=status)
    return [up, depth, events, messages, lag]
