"""The bot core: one incoming message in, replies out, in one database transaction.

Dispatch order is fixed: a submitted form (a whole record at once, e.g. the Slack visit modal,
leaving any active flow as it is), the active flow, then a command, then "unknown" with
suggestions.
Errors come in two kinds: the user's (`UserError`: a polite answer) and ours (logged with its
traceback, a generic apology, the transaction rolled back, never the exception text in chat).
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.clock import Clock
from bot.context import Ctx, UserError
from bot.flows import Again, Answer, Finish, Flow, Goto, Leave, StartFlow
from bot.masking import confine_to_peer
from bot.messages import Choice, Incoming, Reply
from bot.router import Router, normalize
from bot.texts import t
from storage.conversations import delete_state, get_state, save_state
from storage.db import session_scope
from storage.media import delete_media
from storage.members import find_member_by_identity
from storage.models import ConversationState
from storage.peer import group_for_chat

log = logging.getLogger(__name__)

Within = Callable[[Session, list[Reply]], None]

FLOW_TTL = timedelta(minutes=30)
BACK_WORDS = {"戻る", "もどる", "back"}
CANCEL_WORDS = {"キャンセル", "きゃんせる", "やめる", "中止", "cancel"}
HELP_WORDS = {"ヘルプ", "へるぷ", "help", "?"}
# The rich menu's words: tapped mid-entry they are a new request, not an answer to the step.
MENU_WORDS = {
    "訪問",
    "つぶやき",
    "予定",
    "まとめ",
    "検索",
    "visit",
    "murmur",
    "meetings",
    "summary",
    "search",
}


class Bot:
    """Turns incoming messages into replies, using the router's commands and flows."""

    def __init__(
        self,
        *,
        engine: Engine,
        router: Router,
        clock: Clock,
        tz: ZoneInfo,
        flow_ttl: timedelta = FLOW_TTL,
        form_base_url: str | None = None,
        public_url: str | None = None,
    ) -> None:
        self.engine = engine
        self.router = router
        self.clock = clock
        self.tz = tz
        self.flow_ttl = flow_ttl
        self.form_base_url = form_base_url
        self.public_url = public_url

    def handle(self, incoming: Incoming, *, within: Within | None = None) -> list[Reply]:
        """Process one message and return the replies to send.

        `within` runs in the same transaction as the handling (a channel queues the replies
        and marks its inbox event there), so a crash can never record a message twice.
        """
        try:
            with session_scope(self.engine) as session:
                member = find_member_by_identity(
                    session, channel=incoming.channel, external_id=incoming.user_id
                )
                lang = member.language if member else _guess_language(incoming.text)
                ctx = Ctx(
                    session,
                    incoming,
                    self.clock,
                    self.tz,
                    member,
                    lang,
                    self.form_base_url,
                    public_url=self.public_url,
                )
                replies = self._dispatch(ctx)
                if group_for_chat(session, channel=incoming.channel, chat_id=incoming.chat_id):
                    replies = confine_to_peer(replies)  # a peer chat sees only what was shared
                if within is not None:
                    within(session, replies)
                return replies
        except Exception:
            log.exception("failed to handle a message on channel %s", incoming.channel)
        replies = [Reply(t("error.internal", "ja"))]
        if within is not None:
            with session_scope(self.engine) as session:
                within(session, replies)
        return replies

    def _dispatch(self, ctx: Ctx) -> list[Reply]:
        incoming = ctx.incoming
        if incoming.form is not None:
            return self._run_form(ctx, incoming.form)
        state = get_state(
            ctx.session,
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            user_id=incoming.user_id,
        )
        preface: list[Reply] = []
        if state is not None and (ctx.member is None or state.member_id != ctx.member.id):
            delete_state(ctx.session, state)
            state = None
        if state is not None and ctx.now() - state.updated_at > self.flow_ttl:
            delete_state(ctx.session, state)
            state = None
            preface.append(Reply(ctx.t("flow.expired")))
        if state is not None:
            return self._continue_flow(ctx, state)
        return preface + self._run_command(ctx)

    def _run_command(self, ctx: Ctx) -> list[Reply]:
        postback = ctx.incoming.postback
        if postback is not None and not ctx.incoming.text and not postback.startswith("rsvp:"):
            # a button of a finished or expired entry, or forged data: it names nothing here
            ctx.audit("refused.postback", reason="no_entry", size=len(postback))
            return [Reply(ctx.t("flow.stale_choice"))]
        text = ctx.incoming.text or postback or ""  # a reminder's RSVP button is a command
        found = self.router.match(text)
        if found is None:
            if ctx.incoming.is_group:
                return []  # in a group, small talk is not for the bot
            if ctx.member is None:
                return [Reply(ctx.t("register.required"))]
            return [self._unknown(ctx, text)]
        command, args = found
        if command.needs_member and ctx.member is None:
            return [Reply(ctx.t("register.required"))]
        if command.roles is not None and ctx.me.role not in command.roles:
            return [Reply(ctx.t("error.not_allowed"))]
        try:
            result = command.fn(ctx, args)
        except UserError as exc:
            return [Reply(str(exc))]
        if isinstance(result, StartFlow):
            return self.start_flow(ctx, result)
        return result

    def _run_form(self, ctx: Ctx, submitted: dict[str, Any]) -> list[Reply]:
        """Hand a submitted form's values to its handler (members with the form's roles only)."""
        form = self.router.form(str(submitted.get("name")))
        if ctx.member is None:
            return [Reply(ctx.t("register.required"))]
        if form.roles is not None and ctx.me.role not in form.roles:
            return [Reply(ctx.t("error.not_allowed"))]
        try:
            return form.fn(ctx, dict(submitted.get("values") or {}))
        except UserError as exc:
            return [Reply(str(exc))]

    def _unknown(self, ctx: Ctx, text: str) -> Reply:
        words = self.router.suggestions(text)
        if words:
            return Reply(ctx.t("unknown.suggest", words="、".join(words)))
        return Reply(ctx.t("unknown.help"))

    def start_flow(self, ctx: Ctx, start: StartFlow) -> list[Reply]:
        """Begin a flow for this user and return its first prompt (after any preface)."""
        flow = self.router.flow(start.flow)
        step, _ = flow.step(str(start.step)) if start.step else (flow.first, None)
        incoming = ctx.incoming
        state = ConversationState(
            channel=incoming.channel,
            chat_id=incoming.chat_id,
            user_id=incoming.user_id,
            member_id=ctx.me.id,
            flow=flow.name,
            step=step.value,
            draft=dict(start.draft),
            history=[],
            updated_at=ctx.now(),
        )
        return start.preface + [self._prompt(ctx, flow, state)]

    def _continue_flow(self, ctx: Ctx, state: ConversationState) -> list[Reply]:
        flow = self.router.flow(state.flow)
        word = normalize(ctx.incoming.text).lower()
        if word in CANCEL_WORDS and not ctx.incoming.postback:
            delete_state(ctx.session, state)
            return [Reply(ctx.t("flow.cancelled"))]
        if word in BACK_WORDS:
            if not state.history:
                return [Reply(ctx.t("flow.cannot_go_back")), self._prompt(ctx, flow, state)]
            history = list(state.history)
            state.step = history.pop()
            state.history = history
            return [self._prompt(ctx, flow, state)]
        if word in HELP_WORDS:
            return [Reply(ctx.t(flow.help_key)), self._prompt(ctx, flow, state)]
        if ctx.incoming.media_id is not None:
            return self._media_arrived(ctx, flow, state)
        if "media_pending" in state.draft:
            return self._media_consent(ctx, flow, state)
        _, step = flow.step(state.step)
        answer = self._answer(ctx.incoming, state, step.numeric)
        if ctx.incoming.postback is not None and answer.value is None:
            # not a choice offered at this step (an old button, or forged data): read as typed
            ctx.audit("refused.postback", reason="not_offered", flow=flow.name)
        if answer.value is None and word in MENU_WORDS and not flow.browsing:
            return [
                Reply(ctx.t("flow.menu_word", word=ctx.incoming.text.strip())),
                self._prompt(ctx, flow, state),
            ]
        draft = copy.deepcopy(state.draft)  # steps may change nested lists in place
        try:
            result = step.handle(ctx, draft, answer)
        except UserError as exc:
            result = Again(str(exc))
        if isinstance(result, Again):
            state.draft = draft
            return [Reply(result.message), self._prompt(ctx, flow, state)]
        if isinstance(result, Finish):
            delete_state(ctx.session, state)
            return result.replies
        if isinstance(result, Leave):
            delete_state(ctx.session, state)
            return self._run_command(ctx)
        assert isinstance(result, Goto)
        state.history = [*state.history, state.step]
        state.step = result.step.value
        state.draft = draft
        return [self._prompt(ctx, flow, state)]

    def _media_arrived(self, ctx: Ctx, flow: Flow, state: ConversationState) -> list[Reply]:
        """Ask for the photo's consent (撮影・掲載の了承) before attaching it to the draft."""
        if not flow.accepts_media:
            return [Reply(ctx.t("media.not_here")), self._prompt(ctx, flow, state)]
        pending = [*state.draft.get("media_pending", []), ctx.incoming.media_id]  # several at once
        state.draft = {**state.draft, "media_pending": pending}
        question = Reply(ctx.t("media.consent"), choices=media_consent_choices(ctx))
        state.choices = [[c.label, c.value] for c in question.choices]
        state.updated_at = ctx.now()
        save_state(ctx.session, state)
        return [question]

    def _media_consent(self, ctx: Ctx, flow: Flow, state: ConversationState) -> list[Reply]:
        """Attach the pending photo with the consent given, or drop it when there is none."""
        value = self._answer(ctx.incoming, state, False).value or ""
        if not value.startswith(MEDIA_PREFIX):
            return [Reply(ctx.t("media.consent_again"), choices=media_consent_choices(ctx))]
        draft = copy.deepcopy(state.draft)
        pending = [int(media_id) for media_id in draft.pop("media_pending")]
        consent = value.removeprefix(MEDIA_PREFIX)
        if consent == MEDIA_NO_CONSENT:
            for media_id in pending:
                delete_media(ctx.session, media_id=media_id, member_id=ctx.me.id)
            note = Reply(ctx.t("media.dropped"))
        else:
            draft.setdefault("media", []).extend({"id": i, "consent": consent} for i in pending)
            key = "media.attached" if len(pending) == 1 else "media.attached_many"
            note = Reply(ctx.t(key, consent=consent, count=len(pending)))
        state.draft = draft
        return [note, self._prompt(ctx, flow, state)]

    def _prompt(self, ctx: Ctx, flow: Flow, state: ConversationState) -> Reply:
        _, step = flow.step(state.step)
        reply = step.prompt(ctx, copy.deepcopy(state.draft))
        state.choices = [[c.label, c.value] for c in reply.choices]
        state.updated_at = ctx.now()
        save_state(ctx.session, state)
        return reply

    @staticmethod
    def _answer(incoming: Incoming, state: ConversationState, numeric: bool) -> Answer:
        text = normalize(incoming.text)
        values = {value for _, value in state.choices}
        if incoming.postback is not None and incoming.postback in values:
            return Answer(text=text, value=incoming.postback)
        if not numeric and text.isdecimal() and 1 <= int(text) <= len(state.choices):
            return Answer(text=text, value=state.choices[int(text) - 1][1])
        for label, value in state.choices:
            if normalize(label) == text:
                return Answer(text=text, value=value)
        return Answer(text=text)


MEDIA_PREFIX = "media:"
MEDIA_NO_CONSENT = "なし"
MEDIA_CONSENTS = ("なし", "内部のみ", "公開可")


def media_consent_choices(ctx: Ctx) -> tuple[Choice, ...]:
    """Return the consent choices for a photo: none, internal use only, publishable."""
    return tuple(Choice(ctx.t(f"media.consent.{c}"), MEDIA_PREFIX + c) for c in MEDIA_CONSENTS)


def _guess_language(text: str) -> str:
    """Answer unregistered users in English only when they wrote in English."""
    return "en" if text and text.isascii() and any(c.isalpha() for c in text) else "ja"
