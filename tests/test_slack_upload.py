"""Files through the Slack outbox: files.uploadV2 (three calls), retried on 429, shared once."""

from __future__ import annotations

import pytest

from bot.channels.slack_delivery import UPLOAD, call, make_client, upload_call
from bot.fakes.slack_api import serve_fake_slack
from bot.fakes.slack_state import FakeSlackState
from storage.models import OutboundMessage

CSV = "番号,種類\r\n1,つぶやき\r\n".encode("utf-8-sig")


@pytest.fixture
def slack(clock):
    state = FakeSlackState(clock=clock)
    url, stop = serve_fake_slack(state)
    yield state, make_client(state.bot_token, f"{url}/api/")
    stop()


def queued(entry: dict) -> OutboundMessage:
    return OutboundMessage(
        channel="slack", idempotency_key="k", recipient="D1", messages=[entry], retry_key="r"
    )


def test_a_queued_file_is_uploaded_and_shared_in_the_channel(slack):
    state, client = slack
    entry = upload_call("D_SATO", filename="records.csv", title="記録（11月）", data=CSV)
    assert entry["method"] == UPLOAD
    outcome = call(client, queued(entry))
    assert outcome.ok
    (shared,) = state.files("D_SATO")
    assert (shared.filename, shared.title, shared.data, shared.completed) == (
        "records.csv",
        "記録（11月）",
        CSV,
        True,
    )


def test_an_upload_refused_with_429_is_retried_by_the_client_and_shared_once(slack):
    state, client = slack
    state.fail_next(1, method="files.getUploadURLExternal", status=429, retry_after=1)
    assert call(client, queued(upload_call("C1", filename="a.csv", title="a", data=CSV))).ok
    assert len(state.files("C1")) == 1
