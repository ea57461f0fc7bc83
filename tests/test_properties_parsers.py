"""Every parser of untrusted input, fed anything: it answers (a value or "unreadable"), never crashes,
and what it returns stays within its contract.

Chat command matching, dates, durations, due dates, recurrence text, invite codes, LINE events and
postback data, Slack envelopes, commands, button values and modal submissions.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st
from property_support import any_text, chat_text, json_values, line_events, slack_bodies

from bot.channels import line_events as line
from bot.channels import slack_events as slack
from bot.channels.line_render import parse_more
from bot.channels.slack_render import parse_action
from bot.dates import MAX_AGE, MAX_DURATION_MIN, parse_date, parse_due_date, parse_duration
from bot.messages import Incoming
from handlers import build_router
from handlers.summaries import parse_period
from schedules.recurrence import ParseError, Recurrence, parse_recurrence
from storage.invites import hash_code, normalize_code

TODAY = date(2026, 11, 23)
ROUTER = build_router()
date_text = st.one_of(
    chat_text,
    st.from_regex(r"\d{1,6}[-/.年]\d{1,4}[-/.月]\d{1,4}日?", fullmatch=True),
    st.from_regex(r"\d{1,4}[/月]\d{1,4}日?", fullmatch=True),
    st.from_regex(r"(\+\d{1,3}|\d{1,3}日後|\d{1,2}週間後|\d{1,2}か月後)", fullmatch=True),
)
recurrence_text = st.one_of(
    chat_text,
    st.from_regex(
        r"(毎週|隔週|毎月|隔月|毎年|第\d|\d{1,3}日|月|火|水|木|金|土|日|曜|・|、|毎日|"
        r"\d{1,2}:\d{1,2}|\d{4}-\d{1,2}-\d{1,2}|年末|祝日| ){1,6}",
        fullmatch=True,
    ),
)


@settings(max_examples=150)
@given(chat_text)
def test_command_matching_answers_a_command_or_none(text):
    found = ROUTER.match(text)
    assert found is None or isinstance(found[1], str)


@settings(max_examples=150)
@given(date_text)
def test_dates_are_read_within_the_allowed_range_or_refused(text):
    day = parse_date(text, TODAY)
    assert day is None or TODAY - MAX_AGE <= day <= TODAY
    due = parse_due_date(text, TODAY)
    assert due is None or TODAY <= due <= TODAY + timedelta(days=366)
    minutes = parse_duration(text)
    assert minutes is None or 0 < minutes <= MAX_DURATION_MIN
    period = parse_period(text, TODAY)
    assert period is None or period.start <= period.end


@settings(max_examples=150)
@given(recurrence_text)
def test_recurrence_text_is_read_or_answered_with_examples(text):
    found = parse_recurrence(text, start=TODAY)
    if isinstance(found, ParseError):
        assert "毎月第2火曜" in found.describe("ja")  # the answer shows what can be written
    else:
        assert isinstance(found, Recurrence) and found.rrule.startswith("FREQ=")
        assert found.describe("ja") and found.describe("en")


@given(any_text)
def test_any_invite_code_text_hashes_without_error(text):
    assert normalize_code(text).isalnum() or normalize_code(text) == ""
    assert len(hash_code(text)) == 64


@settings(max_examples=150)
@given(line_events)
@example({"type": "message", "source": {"userId": "U1"}, "message": [1]})  # found by hypothesis
@example({"type": "postback", "source": {"userId": "U1"}, "postback": "rsvp:1"})
def test_any_line_event_is_translated_or_ignored(event):
    if not isinstance(event, dict):
        return  # the webhook refuses events that are not objects before storing them
    action = line.translate(event)
    assert isinstance(action, line.Action)
    assert isinstance(line.event_id(event), str)
    if isinstance(action, line.ForBot):
        assert isinstance(action.incoming, Incoming) and action.incoming.user_id
    if isinstance(action, line.MorePage):
        assert action.page >= 1


@given(chat_text)
def test_postback_data_names_a_page_or_nothing(data):
    page = parse_more(data)
    assert page is None or page >= 1


@settings(max_examples=150)
@given(slack_bodies)
@example({"type": "block_actions", "actions": [True]})  # found by hypothesis
def test_any_slack_request_is_kept_and_translated_or_ignored(body):
    if not isinstance(body, dict):
        return  # bolt hands the middleware a dict; anything else is not stored
    row = slack.inbox_row(body)
    assert row is None or isinstance(row[0], str)
    picked = parse_action(body)
    assert picked is None or isinstance(picked[1], str)
    for kind in (slack.EVENT, slack.COMMAND, slack.ACTION, slack.VIEW, None):
        action = slack.translate({"kind": kind, "body": body})
        assert isinstance(action, slack.ForBot | slack.Ignore)
        if isinstance(action, slack.ForBot):
            assert action.incoming.user_id and action.incoming.chat_id


@given(json_values)
def test_a_stored_slack_payload_of_any_shape_is_ignored_not_crashed_on(payload):
    if isinstance(payload, dict):
        assert isinstance(slack.translate(payload), slack.ForBot | slack.Ignore)
