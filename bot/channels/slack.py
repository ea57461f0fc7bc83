"""The Slack channel: bolt-verified requests into the durable inbox, the inbox through the bot,
replies out through the outbox.

    POST /slack/events ─ bolt: signature + timestamp (401), ssl_check
        ─ `/tsunagi 訪問`: open the visit modal at once (the trigger lasts 3 s) ─ empty 200
        ─ a visit modal submitted with problems: Slack's errors answer, nothing stored
        ─ commit the request to the inbox (event_id / interaction hash) ─ empty 200
    (or Socket Mode with SLACK_APP_TOKEN: the same middleware behind the socket)
    inbox worker ─ translate ─ Bot.handle(…, within=queue replies + mark event) ─ outbox
    outbox worker ─ chat.postMessage in a DM; in a channel chat.postEphemeral, public replies posted

bolt's own listeners never run: the storing middleware acknowledges every request itself, so
nothing lives only in memory between the acknowledgement and the processing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot import metrics
from bot.channels.inbox_worker import INBOX_LEASE, OUTBOX_LEASE, StoredEvent, drain
from bot.channels.inbox_writer import InboxWriter, StoreUnavailable
from bot.channels.slack_body import dispatch_limited
from bot.channels.slack_delivery import (
    Pacer,
    call,
    ephemeral_call,
    make_client,
    post_call,
    record,
    respond_call,
    upload_call,
)
from bot.channels.slack_events import CHANNEL, COMMAND, VIEW, ForBot, inbox_row, translate
from bot.channels.slack_modal import VisitModal
from bot.channels.slack_render import render_message
from bot.clock import Clock
from bot.engine import Bot
from bot.messages import Incoming, Reply
from bot.router import normalize
from storage.db import session_scope
from storage.inbox import DONE, IGNORED, finish_event
from storage.members import find_member_by_identity
from storage.outbox import add_outbound, claim_due_outbound, save_attempt

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
REGISTER_WORDS = ("登録", "register")
PATH = "/slack/events"
MODAL_TIMEOUT = 2  # seconds: views.open must land within the trigger's 3 s


class SlackChannel:
    """Everything the Slack channel does, wired with the store, the bot and the Web API."""

    def __init__(
        self,
        *,
        engine: Engine,
        bot: Bot,
        clock: Clock,
        signing_secret: str,
        bot_token: str,
        api_url: str,
        app_token: str | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        self.engine = engine
        self.bot = bot
        self.clock = clock
        self.web = make_client(bot_token, api_url)
        self.pacer = pacer or Pacer()
        self.app_token = app_token
        self.inbox_wakeup = threading.Event()
        self.outbox_wakeup = threading.Event()  # set once an answer is committed to the outbox
        self._writer = InboxWriter(engine, clock, CHANNEL)
        self.app = AsyncApp(
            signing_secret=signing_secret,
            client=AsyncWebClient(token=bot_token, base_url=api_url),
            before_authorize=self.ingress,
        )
        self.modal = VisitModal(
            bot, AsyncWebClient(token=bot_token, base_url=api_url, timeout=MODAL_TIMEOUT), CHANNEL
        )
        self._socket: Any = None

    def routes(self) -> list[Route]:
        """Return the HTTP endpoint (none in Socket Mode: requests come through the socket)."""
        if self.app_token:
            return []

        async def events(request: Request) -> Response:
            return await dispatch_limited(self.app, request, MAX_BODY)  # 413 / 400 before bolt

        return [Route(PATH, events, methods=["POST"])]

    async def ingress(
        self, req: AsyncBoltRequest, resp: BoltResponse, next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Commit a verified request to the inbox, then acknowledge it with an empty 200."""
        body = req.body if isinstance(req.body, dict) else {}
        if body.get("type") == "url_verification":
            await next()  # bolt answers the challenge
            return None
        row = inbox_row(body)
        if row is None:
            return BoltResponse(status=200, body="")
        if row[1]["kind"] == COMMAND and await self.modal.open(body):
            return BoltResponse(status=200, body="")  # the modal is open; nothing to store
        refusal = self.modal.refusal(body) if row[1]["kind"] == VIEW else None
        if refusal is not None:
            return BoltResponse(status=200, body=refusal)
        retry = (req.headers.get("x-slack-retry-num") or [""])[0]
        try:
            await self._writer.store_async([(row[0], row[1], bool(retry))])  # after the commit
        except StoreUnavailable:
            log.warning("Slack request: the inbox is unavailable; answered 503, Slack will retry")
            return BoltResponse(status=503, body="", headers={"Retry-After": "1"})
        self.inbox_wakeup.set()
        return BoltResponse(status=200, body="")

    async def start_socket_mode(self) -> None:
        """Connect to Slack over Socket Mode (when an app-level token is configured)."""
        if not self.app_token:
            return
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        self._socket = AsyncSocketModeHandler(self.app, self.app_token)
        await self._socket.connect_async()

    async def stop_socket_mode(self) -> None:
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None

    def process_pending(self, limit: int = 50, lease: timedelta = INBOX_LEASE) -> int:
        """Run waiting inbox requests (leased to this process) through the bot, oldest first."""
        return drain(
            self.engine, self.clock, channel=CHANNEL, process=self._answer, limit=limit, lease=lease
        )

    def _answer(self, event: StoredEvent) -> None:
        self._process(event)
        self.outbox_wakeup.set()  # the answer is committed: the delivery loop sends it now

    def deliver_due(self, limit: int = 20, lease: timedelta = OUTBOX_LEASE) -> int:
        """Send the outbox messages that are due, paced per channel; return how many.

        A channel's messages go out in order; another channel's go out meanwhile.

        No transaction is open while Slack is called (it would hold SQLite's write lock).
        """
        with session_scope(self.engine) as session:
            due = claim_due_outbound(
                session, channel=CHANNEL, now=self.clock.now(), limit=limit, lease=lease
            )
            session.expunge_all()
        attempted = len(due)
        while due:
            message = due.pop(self.pacer.next_ready([m.recipient for m in due]))
            done = call(self.web, message)
            self.pacer.sent(message.recipient)
            with session_scope(self.engine) as session:
                record(session, message, done, self.clock.now())
                save_attempt(session, message)  # one UPDATE of the row claimed above
            metrics.note_delivery(CHANNEL, message.status)
        return attempted

    def _process(self, event: StoredEvent) -> None:
        action = translate(event.payload)
        if isinstance(action, ForBot):
            incoming, url = self._with_name(action.incoming), action.response_url
            self.bot.handle(
                incoming, within=lambda s, replies: self._queue(s, event, incoming, replies, url)
            )
            return
        with session_scope(self.engine) as session:
            finish_event(session, event_pk=event.pk, status=IGNORED, now=self.clock.now())

    def _queue(
        self,
        session: Session,
        event: StoredEvent,
        incoming: Incoming,
        replies: list[Reply],
        response_url: str | None,
    ) -> None:
        finish_event(session, event_pk=event.pk, status=DONE, now=self.clock.now())
        member = find_member_by_identity(session, channel=CHANNEL, external_id=incoming.user_id)
        lang = member.language if member else "ja"
        for i, entry in enumerate(outgoing(incoming, replies, lang, response_url)):
            add_outbound(
                session,
                channel=CHANNEL,
                idempotency_key=f"reply:{event.event_id}:{i}",
                recipient=incoming.chat_id,
                messages=[entry],
                now=self.clock.now(),
                received_at=event.received_at,
            )

    def _with_name(self, incoming: Incoming) -> Incoming:
        """Fetch the Slack name when an unregistered user registers (it names the member)."""
        if not normalize(incoming.text).lower().startswith(REGISTER_WORDS):
            return incoming
        with session_scope(self.engine) as session:
            if find_member_by_identity(session, channel=CHANNEL, external_id=incoming.user_id):
                return incoming
        return Incoming(**{**incoming.__dict__, "display_name": self._name(incoming.user_id)})

    def _name(self, user_id: str) -> str | None:
        """Return the user's real name (else their name) from users.info; None if unknown."""
        try:
            user = self.web.users_info(user=user_id).get("user") or {}
        except Exception:
            log.warning("users.info failed; the member is named by their Slack ID")
            return None
        profile = user.get("profile") or {}
        return user.get("real_name") or profile.get("real_name") or user.get("name") or None


def outgoing(
    incoming: Incoming, replies: list[Reply], lang: str, response_url: str | None = None
) -> list[dict[str, Any]]:
    """Return the calls that answer a message: a post in a DM; in a shared channel the public
    replies posted and everything else ephemeral to the asker (restricted never public), through
    the response_url of a command or button when there is one."""
    if not incoming.is_group:
        answer = _nonempty([post_call(incoming.chat_id, _render(replies, False, lang))])
        return answer + _uploads(incoming.chat_id, replies)
    public = [r for r in replies if r.public and not r.restricted]
    personal = _render([r for r in replies if r not in public], False, lang)
    return _nonempty(
        [
            post_call(incoming.chat_id, _render(public, True, lang)),
            respond_call(response_url, personal)
            if response_url
            else ephemeral_call(incoming.chat_id, incoming.user_id, personal),
        ]
    )


def _uploads(chat_id: str, replies: list[Reply]) -> list[dict[str, Any]]:
    """Return the files.uploadV2 calls that share the replies' files (charts, exports) in a DM."""
    files = [reply.attachment for reply in replies if reply.attachment is not None]
    return [
        upload_call(chat_id, filename=file.filename, title=file.filename, data=file.data)
        for file in files
    ]


def _render(replies: list[Reply], in_shared_channel: bool, lang: str) -> dict[str, Any]:
    return render_message(replies, in_shared_channel=in_shared_channel, lang=lang)


def _nonempty(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e.get("text") or e.get("blocks")]
