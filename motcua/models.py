"""Imports every domain's `models.py` (motcua.domains) so Alembic and create_app see one
registry of tables."""

from motcua.core.db import Base
from motcua.domains import registry

registry.import_models()

metadata = Base.metadata
