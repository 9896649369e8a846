"""Migration i12track_1 gives every dossier that existed before it a lookup key of its own."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from motcua.cli import upgrade_database
from motcua.dossiers.lookup_keys import KEY_ALPHABET, KEY_LENGTH

BEFORE = "0020_dvcqg_exchange"


def _filler(column: sa.Column):
    """A value for a NOT NULL column of the old `dossiers` table (foreign keys are not checked
    here: only the migration's own work is)."""
    kind = column.type
    if column.name == "id" or column.name.endswith("_id"):  # SQLite keeps UUIDs as 32 hex digits
        return uuid.uuid4().hex
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, (sa.Integer, sa.Numeric)):
        return 1
    if isinstance(kind, sa.DateTime) or "DateTime" in type(kind).__name__:
        return datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    return "x"


def test_existing_dossiers_get_distinct_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade_database(url, BEFORE)
    # A plain engine: SQLite checks no foreign key unless asked (make_engine asks).
    engine = sa.create_engine(url)
    try:
        table = sa.Table("dossiers", sa.MetaData(), autoload_with=engine)
        rows = [{c.name: _filler(c) for c in table.columns if not c.nullable} for _ in range(250)]
        with engine.begin() as conn:
            conn.execute(table.insert(), rows)
        engine.dispose()

        upgrade_database(url)

        keys = dict(engine.connect().execute(sa.text("SELECT id, lookup_key FROM dossiers")).all())
        assert len(keys) == 250
        assert all(len(k) == KEY_LENGTH and set(k) <= set(KEY_ALPHABET) for k in keys.values())
        assert len(set(keys.values())) > 240  # random, not one key for all
        column = next(c for c in sa.inspect(engine).get_columns("dossiers") if c["name"] == "lookup_key")
        assert column["nullable"] is False
    finally:
        engine.dispose()
