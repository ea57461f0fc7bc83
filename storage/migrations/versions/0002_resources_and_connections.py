"""resources and connections

Resource gains the fields of published resource lists (PRACTICE.md Part 2): level,
participants, contact with its own consent, PR point, booking, 制度上の位置づけ and updated_at
(a resource made from a murmur is linked by a connection). New tables: resourcechange (history for monthly counts),
connection (つなぎ), followup and followupreminder (the daily reminder's exactly-once key).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TEXT_COLUMNS = ('level', 'participants', 'contact', 'pr_point', 'booking', 'legal_position')


def upgrade() -> None:
    with op.batch_alter_table('resource', schema=None) as batch_op:
        for name in _TEXT_COLUMNS:
            batch_op.add_column(sa.Column(name, sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.add_column(
            sa.Column('contact_consent', sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column('updated_at', storage.types.UTCDateTime(timezone=True), nullable=True)
        )

    op.create_table('resourcechange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('change', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('status_before', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('status_after', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('resourcechange', schema=None) as batch_op:
        batch_op.create_index('ix_resourcechange_muni_at', ['municipality_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_resourcechange_resource_id'), ['resource_id'], unique=False)

    op.create_table('connection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('murmur_id', sa.Integer(), nullable=True),
    sa.Column('target_kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=True),
    sa.Column('organisation', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['member.id'], ),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ),
    sa.ForeignKeyConstraint(['murmur_id'], ['murmur.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('municipality_id', 'number')
    )
    with op.batch_alter_table('connection', schema=None) as batch_op:
        batch_op.create_index('ix_connection_muni_created', ['municipality_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_connection_murmur_id'), ['murmur_id'], unique=False)

    op.create_table('followup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=False),
    sa.Column('connection_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['connection_id'], ['connection.id'], ),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], ),
    sa.ForeignKeyConstraint(['owner_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('connection_id')
    )
    with op.batch_alter_table('followup', schema=None) as batch_op:
        batch_op.create_index('ix_followup_muni_due', ['municipality_id', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_owner_id'), ['owner_id'], unique=False)

    op.create_table('followupreminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('member_id', 'day')
    )


def downgrade() -> None:
    op.drop_table('followupreminder')
    op.drop_table('followup')
    op.drop_table('connection')
    op.drop_table('resourcechange')
    with op.batch_alter_table('resource', schema=None) as batch_op:
        for name in ('updated_at', 'contact_consent', *_TEXT_COLUMNS):
            batch_op.drop_column(name)
