"""Imports every domain's models so Alembic and create_app see one registry."""

import importlib

from motcua.core.db import Base

MODEL_MODULES = [
    "motcua.org.models",
    "motcua.auth.models",
    "motcua.catalog.models",
    "motcua.calendar.models",
    "motcua.workflow.models",
    "motcua.dossiers.models",
    "motcua.documents.models",
    "motcua.notify.models",
    "motcua.core.throttle",
]

for _name in MODEL_MODULES:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise

metadata = Base.metadata
