"""The visit record as a Slack modal: `/tsunagi 訪問` opens it within the trigger's 3 s, a
submission is checked before Slack is answered, and a good one is saved like the chat flow's."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from slack_support import PEERS, SATO, SUZUKI, dm, slack_world
from sqlmodel import select

from bot.clock import ManualClock
from bot.fakes.slack_requests import view_submission_payload
from bot.fakes.slack_state import OpenedView
from storage.db import session_scope
from storage.models import Activity, Lead, Member, Murmur, MurmurCategory

KNEE = "膝を悪くしてから、スーパーまで歩いて行くのがしんどくなってねえ"
DRIVERS = "サロンの送迎ボランティアが足りない、連絡は090-1234-5678まで"


@pytest.fixture
def slack(tmp_path, clock):
    with slack_world(tmp_path, clock) as world:
        yield world


def open_modal(slack, channel: str, text: str = "訪問") -> OpenedView:
    """Run the slash command; check it was answered by a modal alone and return the modal."""
    assert slack.command(SATO, channel, text) == []
    [opened] = slack.fake.views_opened()
    return opened


def option(view: OpenedView, block_id: str, label: str) -> dict[str, Any]:
    """Return the option labelled `label` of the modal's select `block_id`, as Slack sends it."""
    [block] = [b for b in view.view["blocks"] if b["block_id"] == block_id]
    for choice in block["element"]["options"]:
        if choice["text"]["text"] == label:
            return choice
    raise AssertionError(f"no option {label!r} in {block_id}")


def filled(view: OpenedView, **changes: Any) -> dict[str, Any]:
    """Return a filled-in visit modal's state: {block_id: element state}, with `changes`."""

    def select(block: str, label: str) -> dict[str, Any]:
        return {"type": "static_select", "selected_option": option(view, block, label)}

    state: dict[str, Any] = {
        "date": {"type": "datepicker", "selected_date": "2026-11-22"},
        "area": select("area", "本町自治会"),
        "place": "本町集会所",
        "purpose": select("purpose", "宝物さがし"),
        "duration": select("duration", "1時間30分"),
        "participants": {"type": "number_input", "value": "15"},
        "companions": {
            "type": "multi_static_select",
            "selected_options": [option(view, "companions", "民生委員")],
        },
        "counterpart": "本町自治会 会長",
        "treasures": "体操教室を開いている元体育教師",
        "murmurs": f"{KNEE}\n\n{DRIVERS}\n",
        "leads": "ひまわりサロン\n栄町の体操教室",
        "kubun": select("kubun", "把握（①）"),
        "outcome": {"type": "plain_text_input", "value": None},
    }
    return state | changes


def submission(view: OpenedView, state: dict[str, Any]) -> bytes:
    values = {block: {"value": value} for block, value in state.items()}
    metadata = view.view["private_metadata"]
    return view_submission_payload("tsunagi_visit", values, SATO, metadata, view_id=view.id)


def activities(slack) -> list[Activity]:
    return slack.rows(Activity)


def test_the_visit_command_opens_the_modal_with_todays_date_and_the_members_areas(slack):
    slack.register(SATO, "佐藤 花子")
    opened = open_modal(slack, dm(SATO))
    view = opened.view
    assert view["callback_id"] == "tsunagi_visit" and view["title"]["text"] == "訪問記録"
    date = next(b for b in view["blocks"] if b["block_id"] == "date")
    assert date["element"]["initial_date"] == "2026-11-23"  # today in Tokyo
    areas = [
        o["text"]["text"]
        for o in next(b for b in view["blocks"] if b["block_id"] == "area")["element"]["options"]
    ]
    assert areas == ["中央圏域", "茶屋町小学校区", "本町自治会", "栄町自治会", "エリアなし・不明"]
    murmurs = next(b for b in view["blocks"] if b["block_id"] == "murmurs")
    assert "自動で伏せて" in murmurs["hint"]["text"]
    assert all(row.payload["kind"] != "command" for row in slack.inbox())  # nothing to process


def test_english_speakers_get_the_modal_with_visit(slack):
    slack.register(SATO, "佐藤 花子")
    with session_scope(slack.runtime.engine) as s:
        s.exec(select(Member)).one().language = "en"
    opened = open_modal(slack, dm(SATO), "visit")
    assert opened.view["title"]["text"] == "Visit record"


def test_a_visit_command_with_more_words_keeps_the_chat_flow(slack):
    slack.register(SATO, "佐藤 花子")
    answer = slack.command(SATO, dm(SATO), "訪問 チャット")
    assert "いつの訪問ですか" in answer[0]
    assert slack.fake.views_opened() == []


def test_a_stale_trigger_falls_back_to_the_chat_flow(slack):
    slack.register(SATO, "佐藤 花子")
    slack.fake.clock = fake_clock = ManualClock(datetime.now(UTC))
    body = slack.command_body(SATO, dm(SATO), "訪問")
    fake_clock.advance(seconds=4)  # the trigger was good for 3 s
    answer = slack.exchange(SATO, body)
    assert "いつの訪問ですか" in answer[0]
    assert slack.fake.views_opened() == []
    assert [c.error for c in slack.fake.calls("views.open")] == ["expired_trigger_id"]


def test_an_unregistered_user_gets_no_modal_but_is_asked_to_register(slack):
    answer = slack.command(SUZUKI, dm(SUZUKI), "訪問")
    assert "登録" in answer[0]
    assert slack.fake.calls("views.open") == []


def test_problems_are_shown_in_the_modal_and_nothing_is_stored(slack):
    slack.register(SATO, "佐藤 花子")
    opened = open_modal(slack, dm(SATO))
    stored = len(slack.inbox())
    wrong = filled(
        opened,
        participants={"type": "number_input", "value": "-3"},
        place={"type": "plain_text_input", "value": None},
        counterpart="田中さん",
        date={"type": "datepicker", "selected_date": "2026-12-01"},
    )
    response = slack.send(submission(opened, wrong))
    answer = json.loads(response.text)
    assert answer["response_action"] == "errors"
    assert answer["errors"] == {
        "participants": "人数は0〜10000の整数で入力してください。",
        "place": "入力してください。",
        "counterpart": "個人の名前・電話番号・住所は書かず、「近所の80代女性」「個人宅」のように書いてください。",
        "date": "未来の日付や1年以上前の日付は記録できません。",
    }
    slack.run()
    assert len(slack.inbox()) == stored and activities(slack) == []


def test_a_submitted_visit_is_saved_with_murmurs_leads_and_kubun(slack):
    slack.register(SATO, "佐藤 花子")
    opened = open_modal(slack, dm(SATO))
    before = len(slack.received(SATO))
    assert slack.send(submission(opened, filled(opened))).text == ""  # the modal closes
    slack.run()
    [answer] = [m.text for m in slack.received(SATO)[before:]]
    assert answer.startswith("訪問記録 #1 を記録しました（つぶやき #2, #3、次の訪問先 #4, #5）")
    [visit] = activities(slack)
    assert (visit.activity_type, visit.place_label, visit.purpose) == (
        "訪問",
        "本町集会所",
        "宝物さがし",
    )
    assert (visit.duration_min, visit.participants_count, visit.kubun) == (90, 15, "把握")
    assert visit.companions == ["民生委員"] and visit.channel == "slack"
    assert str(visit.occurred_on) == "2026-11-22"
    murmurs = slack.rows(Murmur)
    assert [m.text for m in murmurs] == [
        KNEE,
        "サロンの送迎ボランティアが足りない、連絡は[電話番号]まで",
    ]
    assert [m.pii_masked for m in murmurs] == [False, True]
    assert all(m.activity_id == visit.id and m.area_id == visit.area_id for m in murmurs)
    with session_scope(slack.runtime.engine) as s:
        found = s.exec(select(MurmurCategory).where(MurmurCategory.position == 0))
        primary = [c.category_code for c in sorted(found, key=lambda c: c.murmur_id)]
    assert primary == ["shopping", "ibasho"]  # suggested from the text
    assert [lead.label for lead in slack.rows(Lead)] == ["ひまわりサロン", "栄町の体操教室"]


def test_a_submission_slack_sends_twice_is_saved_once(slack):
    slack.register(SATO, "佐藤 花子")
    opened = open_modal(slack, dm(SATO))
    body = submission(opened, filled(opened, murmurs={"type": "plain_text_input", "value": None}))
    slack.send(body)
    slack.send(body)
    slack.run()
    assert len(activities(slack)) == 1
    assert sum("訪問記録 #1" in m.text for m in slack.received(SATO)) == 1


def test_a_modal_opened_in_a_shared_channel_is_answered_only_to_its_author(slack):
    slack.register(SATO, "佐藤 花子")
    opened = open_modal(slack, PEERS)
    slack.send(submission(opened, filled(opened)))
    slack.run()
    answer = slack.fake.ephemerals(SATO)[-1]
    assert answer.channel == PEERS and answer.via == "response_url"
    assert answer.text.startswith("訪問記録 #1 を記録しました")
    assert slack.fake.posts(PEERS) == []


def test_a_submission_leaves_an_unfinished_chat_entry_as_it_was(slack):
    slack.register(SATO, "佐藤 花子")
    slack.say(SATO, "つぶやき")
    opened = open_modal(slack, dm(SATO))
    slack.send(submission(opened, filled(opened)))
    slack.run()
    assert len(activities(slack)) == 1
    answer = slack.say(SATO, "買い物が大変")  # the murmur entry goes on where it was
    assert "どんな種類のつぶやきですか" in answer[0]
