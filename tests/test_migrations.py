"""The migrations build exactly the schema the models describe, on both backends.

A model change without its migration would pass every test that creates tables from the
migrations but break on the first upgrade of a real database; this test catches it.
"""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers every table)
from storage.db import alembic_config, migrate

# Full-text search tables and their shadow tables, and PostgreSQL's trigram index, are created
# by migration 0008, not by models.
UNMODELLED_PREFIXES = ("murmur_fts", "ix_murmur_text_trgm")


def _include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    if type_ in ("table", "index") and name and name.startswith(UNMODELLED_PREFIXES):
        return False
    return not (type_ == "table" and name == "alembic_version")


def test_migrated_schema_matches_the_models(any_engine: Engine) -> None:
    with any_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _include}
        )
        differences = compare_metadata(context, SQLModel.metadata)
    assert differences == []


def test_migrations_run_twice_without_change(any_engine: Engine) -> None:
    migrate(any_engine)  # already at head: a second run must be a no-op
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(alembic_config(any_engine)).get_heads()
    assert len(heads) == 1  # one linear history, no forgotten branch
