"""Forged postbacks and Slack action values naming records the member may not reach are refused,
change nothing, and leave an audit entry (never with the forged text).

Postback data and Slack button values are replayable by the user: tsunagi reads them only as a
choice it offered at the current step, or as an RSVP it checks again (series of the member's
municipality or peer group, member invited, occurrence ahead).
"""

from __future__ import annotations

import pytest
from property_support import MARK, THEIRS, fill_theirs
from slack_support import SATO, dm, slack_world
from sqlmodel import select

from bot.fakes.slack_requests import block_action_payload, view_submission_payload
from bot.messages import Incoming
from bot.texts import t
from storage.db import session_scope
from storage.members import get_area, get_municipality
from storage.models import Activity, AuditLog, Rsvp

CENTRAL_SC = "aoba-sc"


@pytest.fixture
def towns(world):
    forged = fill_theirs(world)
    world.chat(CENTRAL_SC, "あおば市")
    return world, forged


def tap(world, user: str, postback: str, text: str = "") -> str:
    incoming = Incoming("console", f"console:{user}", user, text=text, postback=postback)
    return "\n".join(r.plain() for r in world.bot.handle(incoming))


def audit(engine, action: str) -> list[AuditLog]:
    with session_scope(engine) as s:
        rows = list(s.exec(select(AuditLog).where(AuditLog.action == action)))
        s.expunge_all()
        return rows


def test_an_rsvp_for_another_municipalitys_meeting_is_refused_and_audited(towns):
    world, forged = towns
    for value in [v for v in forged if v.startswith("rsvp:")]:
        reply = tap(world, CENTRAL_SC, value)
        assert "この出欠は受け付けられませんでした" in reply and MARK not in reply
    with session_scope(world.engine) as s:
        assert s.exec(select(Rsvp)).all() == []
        aoba = get_municipality(s, name="あおば市").id
    refused = audit(world.engine, "meeting.rsvp.refused")
    assert len(refused) == 2 and {r.municipality_id for r in refused} == {aoba}
    assert all(r.actor == f"console:{CENTRAL_SC}" for r in refused)


def test_a_postback_outside_any_entry_names_nothing_and_is_audited(towns):
    world, forged = towns
    for value in ["#1", "#2", *[v for v in forged if not v.startswith("rsvp:")]]:
        reply = tap(world, CENTRAL_SC, value)
        assert reply == t("flow.stale_choice", "ja"), reply
        assert MARK not in reply and THEIRS not in reply
    refused = audit(world.engine, "refused.postback")
    assert refused and all(r.detail["reason"] == "no_entry" for r in refused)
    assert all("#" not in str(r.detail) and "area:" not in str(r.detail) for r in refused)


def test_a_foreign_resource_forged_into_the_visit_place_step_is_not_taken(towns):
    world, forged = towns
    chat = world.chat(CENTRAL_SC)
    chat.send("訪問")
    for answer in ("今日", "本町自治会"):
        chat.send(answer)
    assert "訪問先の名前" in chat.replies[-1].text  # the place step
    foreign = next(v for v in forged if v.startswith("r"))
    reply = tap(world, CENTRAL_SC, foreign)
    assert MARK not in reply and "訪問先の名前" in reply  # asked again, nothing taken
    [refused] = audit(world.engine, "refused.postback")
    assert refused.detail["reason"] == "not_offered" and refused.detail["flow"]
    chat.send("キャンセル")


@pytest.fixture
def slack(tmp_path, clock):
    with slack_world(tmp_path, clock) as world:
        fill_theirs(world.world)
        world.register(SATO, "佐藤 花子")
        yield world


def test_a_forged_slack_button_value_for_a_foreign_meeting_is_refused_and_audited(slack):
    forged = [f"rsvp:p{n}:2026-11-24:参加" for n in range(1, 4)] + ["rsvp:1:2026-11-24:参加"]
    for value in forged:
        body = block_action_payload(
            "tsunagi_choice_0",
            value,
            SATO,
            dm(SATO),
            slack.fake.issue_trigger_id(),
            slack.fake.issue_response_url(channel=dm(SATO), user=SATO),
        )
        answer = slack.exchange(SATO, body)
        assert any("この出欠は受け付けられませんでした" in a for a in answer), answer
        assert MARK not in "".join(answer)
    assert slack.rows(Rsvp) == []
    assert len(audit(slack.runtime.engine, "meeting.rsvp.refused")) == len(forged)


def test_a_visit_modal_naming_another_municipalitys_area_is_refused_and_audited(slack):
    with session_scope(slack.runtime.engine) as s:
        theirs = get_municipality(s, name=THEIRS)
        area = get_area(s, municipality_id=theirs.id, name="本町自治会")
    assert slack.command(SATO, dm(SATO), "訪問") == []
    [opened] = slack.fake.views_opened()
    values = {
        "date": {"value": {"type": "datepicker", "selected_date": "2026-11-22"}},
        "area": {"value": {"type": "static_select", "selected_option": {"value": str(area.id)}}},
        "place": {"value": "本町集会所"},
        "purpose": {"value": {"type": "static_select", "selected_option": {"value": "宝物さがし"}}},
        "duration": {"value": {"type": "static_select", "selected_option": {"value": "60"}}},
        "kubun": {"value": {"type": "static_select", "selected_option": {"value": "把握"}}},
    }
    body = view_submission_payload(
        "tsunagi_visit", values, SATO, opened.view["private_metadata"], view_id=opened.id
    )
    answer = slack.exchange(SATO, body)
    assert answer and MARK not in "".join(answer)
    assert [a for a in slack.rows(Activity) if a.municipality_id != theirs.id] == []
    [refused] = audit(slack.runtime.engine, "refused.foreign_record")
    assert refused.target == f"area:{area.id}" and refused.actor == f"slack:{SATO}"
