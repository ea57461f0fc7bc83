"""consent records; inbox claims (replicas)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('consentrecord',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('purpose', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('wording_version', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('wording_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('given_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('record_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consentrecord', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consentrecord_municipality_id'), ['municipality_id'], unique=False)
        batch_op.create_index('ix_consentrecord_record', ['record_kind', 'record_id'], unique=False)

    with op.batch_alter_table('inboundevent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inboundevent', schema=None) as batch_op:
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')

    with op.batch_alter_table('consentrecord', schema=None) as batch_op:
        batch_op.drop_index('ix_consentrecord_record')
        batch_op.drop_index(batch_op.f('ix_consentrecord_municipality_id'))

    op.drop_table('consentrecord')
