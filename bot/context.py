"""What a handler gets for one incoming message: the session, the user, the clock, the texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.clock import Clock
from bot.messages import Incoming
from bot.texts import t
from storage.audit import add_audit
from storage.models import Member


class UserError(Exception):
    """A problem with what the user asked; its message is shown to them as it is."""


@dataclass
class Ctx:
    session: Session
    incoming: Incoming
    clock: Clock
    tz: ZoneInfo
    member: Member | None
    lang: str = "ja"
    form_base_url: str | None = None  # where /forms/ is served; None when the form is off
    public_url: str | None = None  # TSUNAGI_PUBLIC_URL without its trailing slash, if set

    def t(self, key: str, **values: object) -> str:
        """Return a catalogue text in the user's language."""
        return t(key, self.lang, **values)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().astimezone(self.tz).date()

    def local(self, moment: datetime) -> datetime:
        """Return a stored UTC time in the configured time zone."""
        return moment.astimezone(self.tz)

    @property
    def me(self) -> Member:
        """Return the registered member (commands that need one are only run for members)."""
        if self.member is None:
            raise UserError(self.t("register.required"))
        return self.member

    @property
    def municipality_id(self) -> int:
        return self.me.municipality_id

    @property
    def actor(self) -> str:
        return f"{self.incoming.channel}:{self.incoming.user_id}"

    def audit(self, action: str, target: str | None = None, **detail: object) -> None:
        """Write an audit entry for this user's action (never with message text)."""
        member = self.member
        add_audit(
            self.session,
            at=self.now(),
            action=action,
            municipality_id=member.municipality_id if member else None,
            member_id=member.id if member else None,
            actor=self.actor,
            target=target,
            detail=dict(detail),
        )
