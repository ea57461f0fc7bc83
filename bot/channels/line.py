"""The LINE channel: signed webhooks into the durable inbox, the inbox through the bot, replies
out through the outbox.

    POST /line/webhook ─ verify X-Line-Signature ─ commit events (by webhookEventId) ─ 200
    inbox worker ─ translate event ─ Bot.handle(…, within=queue replies + mark event) ─ outbox
    outbox worker ─ reply token while fresh, else push with X-Line-Retry-Key
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import threading
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from datetime import timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot import metrics
from bot.channels.inbox_worker import INBOX_LEASE, OUTBOX_LEASE, StoredEvent, drain
from bot.channels.inbox_writer import InboxWriter, StoreUnavailable, let_acks_through
from bot.channels.line_api import LineApi
from bot.channels.line_delivery import Attempt, attempt, record
from bot.channels.line_events import (
    CHANNEL,
    ForBot,
    Ignore,
    MorePage,
    Notice,
    Photo,
    Unfollow,
    event_id,
    is_redelivery,
    translate,
)
from bot.channels.line_render import render_choice_page, render_replies
from bot.clock import Clock
from bot.engine import Bot
from bot.messages import Choice, Incoming, Reply
from bot.router import normalize
from bot.texts import t
from storage.conversations import get_state
from storage.db import session_scope
from storage.inbox import (
    DONE,
    IGNORED,
    finish_event,
)
from storage.media import add_media, find_media
from storage.members import deactivate_identity, find_member_by_identity, reactivate_identity
from storage.models import OutboundMessage
from storage.outbox import add_outbound, claim_due_outbound, save_attempt

log = logging.getLogger(__name__)
MAX_BODY = 1024 * 1024
SEND_CONCURRENCY = 8  # LINE calls in flight at once (each to a different chat)
REGISTER_WORDS = ("登録", "register")


class LineChannel:
    """Everything the LINE channel does, wired with the store, the bot and the API client."""

    def __init__(
        self, *, engine: Engine, bot: Bot, clock: Clock, secret: str, api: LineApi
    ) -> None:
        self.engine = engine
        self.bot = bot
        self.clock = clock
        self.api = api
        self._secret = secret.encode()
        self._writer = InboxWriter(engine, clock, CHANNEL)
        self.inbox_wakeup = threading.Event()
        self.outbox_wakeup = threading.Event()  # set once an answer is committed to the outbox
        self._sender_pool: ThreadPoolExecutor | None = None  # started at the first busy send
        self._senders_lock = threading.Lock()

    def routes(self) -> list[Route]:
        return [Route("/line/webhook", self.webhook, methods=["POST"])]

    async def webhook(self, request: Request) -> Response:
        """Verify, store and acknowledge a webhook; processing happens after the 200."""
        body = await _read_limited(request)
        if body is None:
            return PlainTextResponse("payload too large", status_code=413)
        signature = request.headers.get("x-line-signature", "")
        if not _signed(self._secret, body, signature):
            log.warning("LINE webhook refused: bad or missing signature")
            return PlainTextResponse("invalid signature", status_code=400)
        try:
            events = _events(body)
        except ValueError:
            log.warning("LINE webhook refused: malformed body")
            return PlainTextResponse("malformed body", status_code=400)
        if not events:
            return JSONResponse({})  # the console's verification request: nothing to store
        try:
            await self._writer.store_async([_row(e) for e in events])  # returns after the commit
        except StoreUnavailable:
            log.warning("LINE webhook: the inbox is unavailable; answered 503, LINE will redeliver")
            return PlainTextResponse(
                "temporarily unavailable", status_code=503, headers={"Retry-After": "1"}
            )
        self.inbox_wakeup.set()
        return JSONResponse({})

    def store(self, events: list[dict[str, Any]]) -> int:
        """Commit events to the inbox (a repeated webhookEventId is kept once)."""
        return self._writer.store([_row(e) for e in events])

    def process_pending(self, limit: int = 50, lease: timedelta = INBOX_LEASE) -> int:
        """Run waiting inbox events (leased to this process) through the bot, oldest first."""
        return drain(
            self.engine, self.clock, channel=CHANNEL, process=self._answer, limit=limit, lease=lease
        )

    def _answer(self, event: StoredEvent) -> None:
        self._process(event)
        self.outbox_wakeup.set()  # the answer is committed: the delivery loop sends it now

    def deliver_due(self, limit: int = 20, lease: timedelta = OUTBOX_LEASE) -> int:
        """Send the outbox messages that are due; return how many were attempted.

        The claimed messages are each the oldest pending one of its chat, so they go out side by
        side (SEND_CONCURRENCY calls in flight) while every chat still gets its answers in order:
        a LINE call is a network round trip (tens of milliseconds to LINE), and one at a time
        would cap a process at a few dozen answers a second. This thread records the outcomes
        as the calls come back, those that came back together in one transaction. No
        transaction is open while LINE is called: on SQLite it would hold the write lock, and a
        slow LINE would keep webhooks from being stored and acknowledged in time.
        """
        with session_scope(self.engine) as session:
            due = claim_due_outbound(
                session, channel=CHANNEL, now=self.clock.now(), limit=limit, lease=lease
            )
            session.expunge_all()
        if not due:
            return 0
        calls = {self._senders().submit(self._send, message): message for message in due}
        waiting = set(calls)
        while waiting:
            returned, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            outcomes = []
            for call in returned:
                try:
                    outcomes.append((calls[call], call.result()))
                except Exception:  # a bug, not LINE's answer: the others are still recorded
                    log.exception(
                        "LINE message %s not sent; tried again after its lease", calls[call].id
                    )
            with session_scope(self.engine) as session:
                for message, done in outcomes:
                    record(session, message, done, self.clock.now())
                    save_attempt(session, message)  # one UPDATE of the row claimed above
            for message, _done in outcomes:
                metrics.note_delivery(CHANNEL, message.status)
        return len(due)

    def _senders(self) -> ThreadPoolExecutor:
        with self._senders_lock:
            if self._sender_pool is None:
                self._sender_pool = ThreadPoolExecutor(
                    SEND_CONCURRENCY, thread_name_prefix="line-send"
                )
            return self._sender_pool

    def _send(self, message: OutboundMessage) -> Attempt:
        """Call LINE for one claimed message (no database work: the caller records it)."""
        let_acks_through()  # a webhook waiting for its commit goes first
        return attempt(message, self.api, self.clock.now())

    def _process(self, event: StoredEvent) -> None:
        action = translate(event.payload)
        if isinstance(action, Photo):
            photo = self._photo(action)
            if photo is None:
                action = Notice("line.media", action.user_id, action.chat_id, action.is_group)
            else:
                action = ForBot(photo)
        if isinstance(action, ForBot):
            incoming = self._with_name(action.incoming)
            self.bot.handle(
                incoming,
                within=lambda s, replies: self._queue(s, event, incoming, replies),
            )
            return
        with session_scope(self.engine) as session:
            if isinstance(action, Notice):
                self._notice(session, event, action)
            elif isinstance(action, MorePage):
                self._more(session, event, action)
            elif isinstance(action, Unfollow):
                deactivate_identity(session, channel=CHANNEL, external_id=action.user_id)
            status = IGNORED if isinstance(action, Ignore) else DONE
            finish_event(session, event_pk=event.pk, status=status, now=self.clock.now())

    def _queue(
        self, session: Session, event: StoredEvent, incoming: Incoming, replies: list[Reply]
    ) -> None:
        finish_event(session, event_pk=event.pk, status=DONE, now=self.clock.now())
        if incoming.is_group and not find_member_by_identity(
            session, channel=CHANNEL, external_id=incoming.user_id
        ):
            return  # in groups the bot answers registered members only
        messages = render_replies(replies, in_group=incoming.is_group)
        if messages:
            self._enqueue(session, event, incoming.chat_id, messages)

    def _notice(self, session: Session, event: StoredEvent, notice: Notice) -> None:
        key = notice.key
        if key == "line.welcome" and reactivate_identity(
            session, channel=CHANNEL, external_id=notice.user_id
        ):
            key = "line.welcome_back"  # unblocked: the registration still holds
        member = find_member_by_identity(session, channel=CHANNEL, external_id=notice.user_id)
        if notice.is_group and member is None:
            return
        lang = member.language if member else "ja"
        if key == "line.welcome_back" and member is None:
            key = "line.welcome"  # their access was revoked meanwhile
        self._enqueue(
            session,
            event,
            notice.chat_id,
            render_replies([Reply(t(key, lang))], in_group=notice.is_group),
        )

    def _more(self, session: Session, event: StoredEvent, more: MorePage) -> None:
        state = get_state(session, channel=CHANNEL, chat_id=more.chat_id, user_id=more.user_id)
        if state is None or not state.choices:
            return
        choices = tuple(Choice(label, value) for label, value in state.choices)
        self._enqueue(session, event, more.chat_id, [render_choice_page(choices, more.page)])

    def _enqueue(
        self, session: Session, event: StoredEvent, to: str, messages: list[dict[str, Any]]
    ) -> None:
        token = event.payload.get("replyToken")
        add_outbound(
            session,
            channel=CHANNEL,
            idempotency_key=f"reply:{event_id(event.payload)}",
            recipient=to,
            messages=messages,
            now=self.clock.now(),
            reply_token=None if event.redelivery else (str(token) if token else None),
            received_at=event.received_at,
        )

    def _photo(self, photo: Photo) -> Incoming | None:
        """Store a photo sent during a flow that takes photos; None when it is not wanted."""
        with session_scope(self.engine) as session:
            member = find_member_by_identity(session, channel=CHANNEL, external_id=photo.user_id)
            state = get_state(
                session, channel=CHANNEL, chat_id=photo.chat_id, user_id=photo.user_id
            )
            if (
                member is None
                or state is None
                or not self.bot.router.flow(state.flow).accepts_media
            ):
                return None
            known = find_media(session, channel=CHANNEL, source_id=photo.message_id)
        if known is None:
            content = self.api.content(photo.message_id)  # no transaction open while LINE is called
            if content is None:
                return None
            with session_scope(self.engine) as session:
                assert member.id is not None
                known = add_media(
                    session,
                    municipality_id=member.municipality_id,
                    member_id=member.id,
                    channel=CHANNEL,
                    source_id=photo.message_id,
                    content_type=content[1],
                    data=content[0],
                    now=self.clock.now(),
                )
        return Incoming(CHANNEL, photo.chat_id, photo.user_id, media_id=known.id)

    def _with_name(self, incoming: Incoming) -> Incoming:
        """Fetch the LINE display name when an unregistered user registers (it names the member)."""
        if not normalize(incoming.text).lower().startswith(REGISTER_WORDS):
            return incoming
        with session_scope(self.engine) as session:
            if find_member_by_identity(session, channel=CHANNEL, external_id=incoming.user_id):
                return incoming
        name = self.api.display_name(incoming.user_id)
        return Incoming(**{**incoming.__dict__, "display_name": name})


def _row(event: dict[str, Any]) -> tuple[str, dict[str, Any], bool]:
    return event_id(event), event, is_redelivery(event)


def _signed(secret: bytes, body: bytes, signature: str) -> bool:
    """Check X-Line-Signature: base64 HMAC-SHA256 of the raw body bytes (PLATFORMS.md §1.1)."""
    expected = base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()
    return bool(signature) and hmac.compare_digest(expected, signature)


async def _read_limited(request: Request) -> bytes | None:
    """Read the body, or return None once it exceeds 1 MiB (checked before reading it all)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdecimal() and int(declared) > MAX_BODY:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _events(body: bytes) -> list[dict[str, Any]]:
    data = json.loads(body)
    if not isinstance(data, dict) or not isinstance(data.get("events", []), list):
        raise ValueError("not a LINE webhook body")
    return [e for e in data.get("events", []) if isinstance(e, dict)]
