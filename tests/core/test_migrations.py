"""The migrations build exactly the schema the models describe (like `alembic check`)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from motcua.models import metadata


def test_models_match_migrations(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(context, metadata)
    assert diff == [], f"models and migrations differ: {diff}"
