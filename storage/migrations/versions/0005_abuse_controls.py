"""abuse controls

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import storage.types  # noqa: F401

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('inviteattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('subject_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('inviteattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inviteattempt_at'), ['at'], unique=False)
        batch_op.create_index('ix_inviteattempt_scope_subject_at', ['scope', 'subject_hash', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('inviteattempt', schema=None) as batch_op:
        batch_op.drop_index('ix_inviteattempt_scope_subject_at')
        batch_op.drop_index(batch_op.f('ix_inviteattempt_at'))
    op.drop_table('inviteattempt')
