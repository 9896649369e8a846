"""The schema stays Citus-ready from the first migration (DESIGN.md "Scale").

CI cannot run Citus, so these rules are checked on the SQLAlchemy metadata and on
the migration scripts.
"""

from pathlib import Path

import pytest
from sqlalchemy import Integer, Sequence, UniqueConstraint

from motcua.models import metadata

TABLES = sorted(metadata.tables.values(), key=lambda t: t.name)
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


def placement(table):
    return table.info.get("citus")


def distribution_column(table):
    return table.info.get("distribution_column")


def test_there_are_tables_to_check():
    assert len(TABLES) > 0


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_every_table_declares_its_placement(table):
    assert placement(table) in {"reference", "distributed"}, (
        f"{table.name}: declare __table_args__ info REFERENCE or distributed(...)"
    )


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_ids_are_generated_by_the_application(table):
    for column in table.primary_key.columns:
        assert not isinstance(column.default, Sequence), f"{table.name}.{column.name} uses a sequence"
        assert column.identity is None, f"{table.name}.{column.name} uses an identity column"
        if isinstance(column.type, Integer) and len(table.primary_key.columns) == 1:
            assert column.autoincrement is False, (
                f"{table.name}.{column.name}: integer primary key would use a database sequence"
            )


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_dossier_scoped_tables_are_distributed_by_dossier_id(table):
    if "dossier_id" in table.columns and table.name != "dossiers":
        assert placement(table) == "distributed" and distribution_column(table) == "dossier_id", table.name


@pytest.mark.parametrize(
    "table", [t for t in TABLES if placement(t) == "distributed"], ids=lambda t: t.name
)
def test_distribution_column_is_in_every_key(table):
    column = distribution_column(table)
    assert column in table.columns, f"{table.name} lacks its distribution column {column}"
    assert column in table.primary_key.columns, f"{table.name}: {column} not in primary key"
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint):
            assert column in constraint.columns, f"{table.name}: unique {constraint.name} lacks {column}"
    for index in table.indexes:
        if index.unique:
            assert column in index.columns, f"{table.name}: unique index {index.name} lacks {column}"


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_foreign_keys_respect_placement(table):
    for fk in table.foreign_key_constraints:
        target = fk.referred_table
        if placement(table) == "reference":
            assert placement(target) == "reference", (
                f"reference table {table.name} must not reference distributed {target.name}"
            )
        elif placement(target) == "distributed":
            # distributed → distributed only within one co-location group, on the distribution column
            own, theirs = distribution_column(table), distribution_column(target)
            pairs = {(e.parent.name, e.column.name) for e in fk.elements}
            target_column = "id" if target.name == "dossiers" else theirs
            assert (own, target_column) in pairs, (
                f"{table.name} → {target.name} must join on the distribution column"
            )


def test_migrations_create_no_triggers_or_sequences():
    for script in MIGRATIONS.glob("*.py"):
        text = script.read_text().upper()
        assert "CREATE TRIGGER" not in text, script.name
        assert "CREATE SEQUENCE" not in text and "SA.SEQUENCE(" not in text, script.name
        assert "SA.IDENTITY(" not in text, script.name
