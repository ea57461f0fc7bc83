"""reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa  # noqa: F401
import sqlmodel  # noqa: F401
from alembic import op  # noqa: F401

import storage.types  # noqa: F401

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('activityreport',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('whole_municipality', sa.Boolean(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('sections', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('submitted_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('submitted_text', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('municipality_id', 'member_id', 'period_start', 'period_end'),
    sa.UniqueConstraint('municipality_id', 'number')
    )
    with op.batch_alter_table('activityreport', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activityreport_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activityreport_municipality_id'), ['municipality_id'], unique=False)

    op.create_table('summarysetting',
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('quiet_weeks', sa.Integer(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ),
    sa.PrimaryKeyConstraint('municipality_id')
    )


def downgrade() -> None:
    op.drop_table('summarysetting')
    with op.batch_alter_table('activityreport', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activityreport_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_activityreport_member_id'))
    op.drop_table('activityreport')
