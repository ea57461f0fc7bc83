"""Shared fixtures: real SQLite and PostgreSQL stores, an injected clock, transcript chats."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from bot.channels.console import ConsoleChannel, render
from bot.clock import ManualClock
from bot.engine import Bot
from bot.messages import Incoming, Reply
from handlers import build_router
from storage.db import make_test_engine, migrate, session_scope
from storage.invites import add_invite
from storage.members import add_area, add_municipality, get_area, get_municipality
from storage.models import AreaKind

TOKYO = ZoneInfo("Asia/Tokyo")
POSTGRES_URL = os.environ.get(
    "TSUNAGI_TEST_POSTGRES_URL", "postgresql+psycopg://root@127.0.0.1:5432/test"
)
# Monday 2026-11-23, 10:00 in Tokyo.
START = datetime(2026, 11, 23, 10, 0, tzinfo=TOKYO)


def postgres_engine() -> Engine:
    """Return an engine on a freshly emptied PostgreSQL schema; fail in CI if unreachable."""
    engine = make_test_engine(POSTGRES_URL)
    try:
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    except Exception as exc:  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            raise RuntimeError(f"PostgreSQL is required in CI but unreachable: {exc}") from exc
        pytest.skip(f"PostgreSQL unreachable at {POSTGRES_URL}: {exc}")
    return engine


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_engine(request: pytest.FixtureRequest, tmp_path) -> Iterator[Engine]:
    """A migrated store on each backend."""
    if request.param == "sqlite":
        engine = make_test_engine(f"sqlite:///{tmp_path / 'tsunagi.db'}")
    else:
        engine = postgres_engine()
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(tmp_path) -> Iterator[Engine]:
    """A migrated SQLite store in a temporary file."""
    engine = make_test_engine(f"sqlite:///{tmp_path / 'tsunagi.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


class Chat:
    """One user's conversation with the bot, as a transcript."""

    def __init__(self, bot: Bot, user: str, channel: str = "console") -> None:
        self.console = ConsoleChannel(bot, user)
        self.bot = bot
        self.user = user
        self.channel = channel
        self.replies: list[Reply] = []

    def send(self, text: str, *, postback: str | None = None) -> str:
        """Send a message and return the replies rendered as the terminal shows them."""
        incoming = Incoming(
            channel=self.channel,
            chat_id=f"{self.channel}:{self.user}",
            user_id=self.user,
            text=text,
            postback=postback,
            display_name=self.user,
        )
        self.replies = self.bot.handle(incoming)
        return render(self.replies)

    @property
    def choices(self) -> list[str]:
        """Return the labels of the choices offered by the last reply."""
        return [c.label for r in self.replies for c in r.choices]


class World:
    """A demo-like municipality with an area tree, and a way to bring users into it."""

    def __init__(self, engine: Engine, clock: ManualClock) -> None:
        self.engine = engine
        self.clock = clock
        self.bot = Bot(engine=engine, router=build_router(), clock=clock, tz=TOKYO)

    def municipality(self, name: str) -> int:
        """Create a municipality with 日常生活圏域 > 小学校区 > 自治会 areas; return its id."""
        with session_scope(self.engine) as s:
            m = add_municipality(s, name=name, prefecture="岡山県", now=self.clock.now())
            assert m.id is not None
            north = add_area(s, municipality_id=m.id, name="北部圏域", kind=AreaKind.DAILY_LIFE)
            central = add_area(s, municipality_id=m.id, name="中央圏域", kind=AreaKind.DAILY_LIFE)
            school = add_area(s, municipality_id=m.id, name="茶屋町小学校区", kind=AreaKind.ELEMENTARY, parent_id=central.id)
            add_area(s, municipality_id=m.id, name="本町自治会", kind=AreaKind.NEIGHBOURHOOD, parent_id=school.id)
            add_area(s, municipality_id=m.id, name="栄町自治会", kind=AreaKind.NEIGHBOURHOOD, parent_id=school.id)
            add_area(s, municipality_id=m.id, name="北山自治会", kind=AreaKind.NEIGHBOURHOOD, parent_id=north.id)
            return m.id

    def invite(self, municipality: str, role: str = "coordinator", area: str | None = "中央圏域", layer: int | None = 2) -> str:
        """Issue an invite and return its code."""
        with session_scope(self.engine) as s:
            m = get_municipality(s, name=municipality)
            assert m.id is not None
            area_id = get_area(s, municipality_id=m.id, name=area).id if area else None
            _, code = add_invite(s, municipality_id=m.id, role=role, area_id=area_id, layer=layer, now=self.clock.now())
        return code

    def chat(self, user: str, municipality: str | None = None, role: str = "coordinator", area: str | None = "中央圏域") -> Chat:
        """Return a chat for a user, registered into `municipality` if one is given."""
        chat = Chat(self.bot, user)
        if municipality is not None:
            reply = chat.send(f"登録 {self.invite(municipality, role=role, area=area)}")
            assert "登録しました" in reply, reply
        return chat


@pytest.fixture
def world(engine: Engine, clock: ManualClock) -> World:
    w = World(engine, clock)
    w.municipality("あおば市")
    return w
