"""GET /metrics: Prometheus text an operator scrapes — events in and out, queues, retries."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import pytest
from line_support import PUSH, REPLY, SATO, line_world
from slack_support import slack_world

from bot.app import build_runtime, create_asgi_app
from bot.channels.inbox_worker import StoredEvent, drain
from bot.metrics import Registry
from bot.settings import Settings

SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?')
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


@dataclass
class Scrape:
    """A /metrics answer parsed as the Prometheus text format 0.0.4."""

    types: dict[str, str]
    helps: dict[str, str]
    samples: dict[tuple[str, frozenset[tuple[str, str]]], float]

    def __call__(self, name: str, **labels: str) -> float:
        """Return one sample's value (0 when it is not there yet: a counter never moved)."""
        return self.samples.get((name, frozenset(labels.items())), 0.0)


def parse(text: str) -> Scrape:
    """Parse exposition text strictly: TYPE before samples, one TYPE per family, valid values."""
    assert text.endswith("\n")
    scrape = Scrape({}, {}, {})
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name, _, help_text = line[7:].partition(" ")
            scrape.helps[name] = help_text
        elif line.startswith("# TYPE "):
            name, kind = line[7:].split(" ")
            assert kind in TYPES and name not in scrape.types, line
            scrape.types[name] = kind
        else:
            match = SAMPLE.match(line)
            assert match, f"not a sample line: {line!r}"
            name, labels, value = match.groups()
            assert name in scrape.types, f"{name} has no TYPE before its samples"
            key = (name, frozenset(_labels(labels or "")))
            assert key not in scrape.samples, f"duplicate sample {line!r}"
            scrape.samples[key] = float(value)
    return scrape


def _labels(text: str) -> list[tuple[str, str]]:
    pairs = LABEL.findall(text)
    assert "".join(f'{k}="{v}",' for k, v in pairs).rstrip(",") == text.rstrip(","), text
    unescape = {"\\\\": "\\", '\\"': '"', "\\n": "\n"}
    return [(k, re.sub(r"\\[\\\"n]", lambda m: unescape[m.group()], v)) for k, v in pairs]


def get_metrics(runtime) -> tuple[str, str]:
    """GET /metrics in-process; return (content type, body)."""

    async def call():
        import httpx

        transport = httpx.ASGITransport(app=create_asgi_app(runtime, start_workers=False))
        async with httpx.AsyncClient(transport=transport, base_url="http://tsunagi") as client:
            return await client.get("/metrics")

    response = asyncio.run(call())
    assert response.status_code == 200
    return response.headers["content-type"], response.text


def scrape(runtime) -> Scrape:
    return parse(get_metrics(runtime)[1])


@pytest.fixture
def line(tmp_path, clock):
    with line_world(tmp_path, clock) as line:
        yield line


def test_metrics_are_prometheus_text_with_the_queues_read_from_the_store(tmp_path):
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 't.db'}"))
    content_type, text = get_metrics(runtime)
    assert content_type.startswith("text/plain; version=0.0.4")
    metrics = parse(text)
    assert metrics.types["tsunagi_events_received_total"] == "counter"
    assert metrics.types["tsunagi_outbox_retries_total"] == "counter"
    assert metrics.types["tsunagi_inbox_depth"] == "gauge"
    assert metrics("tsunagi_database_up") == 1
    assert metrics("tsunagi_inbox_depth") == 0
    assert metrics("tsunagi_outbox_messages", status="quota_exhausted") == 0
    assert metrics("tsunagi_reminder_lag_seconds") == 0
    assert "Placeholder" in metrics.helps["tsunagi_reminder_lag_seconds"]
    assert all(name.endswith("_total") for name, kind in metrics.types.items() if kind == "counter")


def test_metrics_still_answer_when_the_database_is_down(tmp_path):
    from bot.app import Runtime
    from storage.db import make_engine

    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 't.db'}"))
    unreachable = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    broken = Runtime(runtime.settings, unreachable, runtime.clock, runtime.bot)
    _, text = get_metrics(broken)
    assert parse(text)("tsunagi_database_up") == 0
    assert "nobody" not in text


def test_a_line_webhook_moves_received_then_processed(line):
    before = scrape(line.runtime)
    event = line.text(SATO, "こんにちは")
    line.send(event)
    stored = scrape(line.runtime)
    received = "tsunagi_events_received_total"
    processed = "tsunagi_events_processed_total"
    assert stored(received, channel="line") == before(received, channel="line") + 1
    assert stored(processed, channel="line") == before(processed, channel="line")
    assert stored("tsunagi_inbox_depth") == 1
    assert stored("tsunagi_inbox_events", status="pending") == 1

    line.run()
    done = scrape(line.runtime)
    assert done(processed, channel="line") == before(processed, channel="line") + 1
    assert done("tsunagi_inbox_depth") == 0
    assert done("tsunagi_inbox_events", status="done") == 1
    assert done("tsunagi_outbox_messages", status="sent") == 1

    line.send(event)  # LINE redelivers the same webhookEventId: stored once, counted once
    assert scrape(line.runtime)(received, channel="line") == done(received, channel="line")


def test_an_event_that_cannot_be_processed_is_counted_as_failed(line):
    line.send(line.text(SATO, "こんにちは"))
    before = scrape(line.runtime)

    def broken(_event: StoredEvent) -> None:
        raise RuntimeError("processing broke")

    with pytest.raises(RuntimeError):
        drain(line.runtime.engine, line.clock, channel="line", process=broken)
    after = scrape(line.runtime)
    failed = "tsunagi_events_failed_total"
    assert after(failed, channel="line") == before(failed, channel="line") + 1
    assert after("tsunagi_inbox_depth") == 1  # still waiting: it is tried again


def test_a_push_that_fails_for_now_counts_a_retry_then_a_send(line):
    line.send(line.text(SATO, "こんにちは"))
    line.process()
    line.fake.fail_next(1, status=500, path=REPLY)
    line.fake.fail_next(1, status=500, path=PUSH)
    before = scrape(line.runtime)
    line.channel.deliver_due()
    retried = scrape(line.runtime)
    retries = "tsunagi_outbox_retries_total"
    assert retried(retries, channel="line") == before(retries, channel="line") + 1
    assert retried("tsunagi_outbox_messages", status="pending") == 1

    line.clock.advance(minutes=1)
    line.channel.deliver_due()
    sent = scrape(line.runtime)
    attempts = "tsunagi_outbox_attempts_total"
    assert sent(attempts, channel="line", outcome="sent") == (
        before(attempts, channel="line", outcome="sent") + 1
    )
    assert sent(retries, channel="line") == retried(retries, channel="line")
    assert sent("tsunagi_outbox_messages", status="sent") == 1


def test_a_slack_message_moves_the_slack_counters(tmp_path, clock):
    with slack_world(tmp_path, clock) as slack:
        before = scrape(slack.runtime)
        answer = slack.say("U0SATO", "こんにちは")
        assert answer  # told how to register
        after = scrape(slack.runtime)
    for name in ("tsunagi_events_received_total", "tsunagi_events_processed_total"):
        assert after(name, channel="slack") == before(name, channel="slack") + 1
    attempts = "tsunagi_outbox_attempts_total"
    sent = after(attempts, channel="slack", outcome="sent")
    assert sent == before(attempts, channel="slack", outcome="sent") + 1


def test_label_values_and_help_text_are_escaped():
    registry = Registry()
    odd = registry.counter("odd_total", 'a "help"\nwith a line break \\ here', ["who"])
    odd.inc(2, who='say "hi"\\\n')
    odd.inc(0.5, who="plain")
    text = registry.render()
    assert "\\n" in text.splitlines()[0]
    metrics = parse(text)
    assert metrics("odd_total", who='say "hi"\\\n') == 2
    assert metrics("odd_total", who="plain") == 0.5


def test_a_counter_only_goes_up_and_takes_its_own_labels():
    counter = Registry().counter("x_total", "x", ["channel"])
    with pytest.raises(ValueError):
        counter.inc(-1, channel="line")
    with pytest.raises(ValueError):
        counter.inc(channel="line", status="done")


def test_another_process_counters_are_added_to_ours():
    here, worker = Registry(), Registry()
    here.counter("events_total", "events", ["channel"]).inc(3, channel="line")
    processed = worker.counter("events_total", "events", ["channel"])
    processed.inc(2, channel="line")
    processed.inc(5, channel="slack")
    worker.gauge("depth", "not a counter: never added").set(9)

    metrics = parse(here.render(plus=worker.counters()))

    assert metrics("events_total", channel="line") == 5
    assert metrics("events_total", channel="slack") == 5
    assert "depth" not in worker.counters()
