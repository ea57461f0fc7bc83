"""meeting gaps: each municipality's weekly summary time

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('summary_weekday', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.add_column(
            sa.Column('summary_time', sa.Time(), nullable=False, server_default='08:30:00')
        )


def downgrade() -> None:
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('summary_time')
        batch_op.drop_column('summary_weekday')
