"""outbox order per recipient

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23

The outbox sends a chat's answers in the order they were queued; finding the oldest pending
message of a recipient uses this index.
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_outboundmessage_recipient',
        'outboundmessage',
        ['channel', 'recipient', 'status'],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index('ix_outboundmessage_recipient', table_name='outboundmessage')
