"""Per-IP throttling of the HTTP paths that take a secret token in the URL.

`/forms/<token>`, `/ical/<token>.ics` and `/files/<token>` answer 404 to an unknown token. Each
such 404 counts as a failed attempt of the client's IP address (`storage.invites`); after
`ATTEMPT_LIMITS["ip"]` of them within `LOCKOUT` the address gets 429 on these paths — valid
tokens included, so guessing gains nothing — until `LOCKOUT` after its last failure. The
lockout is audited (`link.lockout`) and logged, never with the token.

Behind a reverse proxy the client address is the proxy's unless uvicorn trusts its
X-Forwarded-For (`--forwarded-allow-ips`; `tsunagi serve` trusts 127.0.0.1), see docs/security.md.
"""

from __future__ import annotations

import logging
import math

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.clock import Clock
from bot.texts import t
from storage.audit import add_audit
from storage.db import session_scope
from storage.invites import Lockout, find_lockout, note_failed_attempt

log = logging.getLogger(__name__)
TOKEN_PATHS = ("/forms/", "/ical/", "/files/")


class TokenGuard:
    """ASGI middleware: lock an IP address out of the token paths after too many unknown tokens."""

    def __init__(self, app: ASGIApp, *, engine: Engine, clock: Clock) -> None:
        self.app = app
        self.engine = engine
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or not path.startswith(TOKEN_PATHS):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        subjects = {"ip": str(client[0]) if client else "unknown"}
        locked = await run_in_threadpool(self._find, subjects)
        if locked is not None:
            await self._refuse(locked, scope, receive, send)
            return
        status: list[int] = []

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        await self.app(scope, receive, watch)
        if status == [404]:
            await run_in_threadpool(self._fail, subjects, path)

    def _find(self, subjects: dict[str, str]) -> Lockout | None:
        with session_scope(self.engine) as session:
            return find_lockout(session, subjects=subjects, now=self.clock.now())

    def _fail(self, subjects: dict[str, str], path: str) -> None:
        """Count an unknown token; audit and log the lockout it starts, if it does."""
        prefix = next(p for p in TOKEN_PATHS if path.startswith(p))
        now = self.clock.now()
        with session_scope(self.engine) as session:
            locked = note_failed_attempt(session, subjects=subjects, now=now)
            if locked is None:
                return
            add_audit(
                session,
                at=now,
                action="link.lockout",
                actor=f"ip:{subjects['ip']}",
                target=prefix,
                detail={"scope": locked.scope, "failures": locked.failures},
            )
        log.warning(
            "token links: an IP address is locked out of %s until %s after %d unknown tokens "
            "(audit: link.lockout)",
            prefix,
            locked.until.isoformat(),
            locked.failures,
        )

    async def _refuse(self, locked: Lockout, scope: Scope, receive: Receive, send: Send) -> None:
        wait = max(1, math.ceil((locked.until - self.clock.now()).total_seconds()))
        text = f"{t('link.locked', 'ja')}\n{t('link.locked', 'en')}\n"
        response = PlainTextResponse(text, status_code=429, headers={"Retry-After": str(wait)})
        await response(scope, receive, send)
