"""Saved conversation state: one row per (channel, chat, user) with a flow in progress."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from storage.models import ConversationState


def get_state(
    session: Session, *, channel: str, chat_id: str, user_id: str
) -> ConversationState | None:
    """Return the flow in progress for this user in this chat, if any."""
    params = {"channel": channel, "chat_id": chat_id, "user_id": user_id}
    return session.exec(_STATE, params=params).first()


# Built once: this runs for every incoming message (docs/performance.md, fix 8).
_STATE = select(ConversationState).where(
    col(ConversationState.channel) == bindparam("channel"),
    col(ConversationState.chat_id) == bindparam("chat_id"),
    col(ConversationState.user_id) == bindparam("user_id"),
)


def save_state(session: Session, state: ConversationState) -> ConversationState:
    """Persist a state (new or changed) within the current transaction."""
    session.add(state)
    session.flush()
    return state


def delete_state(session: Session, state: ConversationState) -> None:
    """Drop a finished, cancelled or expired flow."""
    session.delete(state)
    session.flush()


def delete_states_of_member(session: Session, *, member_id: int) -> int:
    """Drop every half-finished flow of a member (on revocation); return how many."""
    states = session.exec(
        select(ConversationState).where(ConversationState.member_id == member_id)
    ).all()
    for state in states:
        session.delete(state)
    return len(states)


def latest_state_of_member(session: Session, *, member_id: int) -> ConversationState | None:
    """Return a member's most recently touched unfinished flow, in any chat."""
    query = (
        select(ConversationState)
        .where(ConversationState.member_id == member_id)
        .order_by(col(ConversationState.updated_at).desc())
    )
    return session.exec(query).first()
