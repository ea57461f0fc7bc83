"""search indexes: trigram indexes over murmur text (SQLite FTS5, PostgreSQL pg_trgm)

SQLite: `murmur_fts`, an external-content FTS5 table with the trigram tokenizer over
`murmur.text` (rowid = murmur.id), kept in sync by the triggers below and filled from the rows
already there. A later `batch_alter_table('murmur')` on SQLite recreates the table and drops
these triggers: such a migration must create them again (`create_sqlite_triggers`) and rebuild.

PostgreSQL: a GIN index with `gin_trgm_ops` over `lower(text)`, the very expression the search
compares (`lower(text) LIKE '%' || lower(word) || '%'`), so the planner can use it as is.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""
from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = (
    """CREATE TRIGGER murmur_fts_insert AFTER INSERT ON murmur BEGIN
        INSERT INTO murmur_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER murmur_fts_delete AFTER DELETE ON murmur BEGIN
        INSERT INTO murmur_fts(murmur_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER murmur_fts_update AFTER UPDATE OF text ON murmur BEGIN
        INSERT INTO murmur_fts(murmur_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO murmur_fts(rowid, text) VALUES (new.id, new.text);
    END""",
)


def create_sqlite_triggers() -> None:
    """Create the triggers that keep murmur_fts in step with murmur (SQLite)."""
    for statement in SQLITE_TRIGGERS:
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(
            "CREATE VIRTUAL TABLE murmur_fts USING fts5("
            "text, content='murmur', content_rowid='id', tokenize='trigram')"
        )
        create_sqlite_triggers()
        op.execute("INSERT INTO murmur_fts(murmur_fts) VALUES ('rebuild')")
    else:
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute(
            'CREATE INDEX ix_murmur_text_trgm ON murmur USING gin (lower(text) gin_trgm_ops)'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in ('murmur_fts_update', 'murmur_fts_delete', 'murmur_fts_insert'):
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
        op.execute('DROP TABLE IF EXISTS murmur_fts')
    else:
        op.execute('DROP INDEX IF EXISTS ix_murmur_text_trgm')
