"""Whatever a member of one municipality sends — any text, any command with any arguments, any
postback data, forged ids of the other municipality's areas, resources and meetings — the bot
answers clearly (never the internal-error apology, never silence in a 1:1 chat) and never shows
a record of the other municipality. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from conftest import World
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from property_support import INTERNAL_ERROR, MARK, OURS, THEIRS, chat_text, fill_theirs
from records_data import Records

from bot.messages import Incoming


@pytest.fixture
def two_towns(any_engine, clock):
    world = World(any_engine, clock)
    world.municipality(OURS)
    forged = fill_theirs(world)
    assert MARK in send(world, "midori-sc", "検索 サロン", None)  # their records can be found
    Records(any_engine, clock, OURS)  # our municipality exists with no records of its own yet
    for user, role, area in (("aoba-sc", "coordinator", "中央圏域"), ("aoba-officer", "officer", None)):
        world.chat(user, OURS, role=role, area=area)
    return world, forged


def send(world: World, user: str, text: str, postback: str | None) -> str:
    incoming = Incoming("console", f"console:{user}", user, text=text, postback=postback)
    return "\n".join(r.plain() for r in world.bot.handle(incoming))


@pytest.mark.parametrize("user", ["aoba-sc", "aoba-officer", "stranger"])
def test_no_message_crashes_the_bot_or_crosses_into_another_municipality(two_towns, user):
    world, forged = two_towns
    message = st.tuples(
        chat_text,
        st.one_of(st.none(), st.none(), st.sampled_from(forged), chat_text),
    )

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(message, min_size=1, max_size=4))
    def conversation(messages):
        for text, postback in messages:
            reply = send(world, user, text, postback)
            assert reply, (text, postback)  # a 1:1 chat always gets an answer
            assert not reply.startswith(INTERNAL_ERROR), (text, postback)
            assert MARK not in reply and THEIRS not in reply, (text, postback, reply)
        send(world, user, "キャンセル", None)  # leave any entry the conversation opened

    conversation()
