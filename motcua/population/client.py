"""The process's LGSP adapter: one per configuration, so its login session is reused across
requests (the settings are read from the environment at each call: a changed environment —
in tests, or after a restart — gets its own adapter)."""

from __future__ import annotations

import threading

from motcua.integrations.lgsp.adapter import LgspPopulation
from motcua.integrations.lgsp.config import LgspSettings
from motcua.integrations.lgsp.population import PopulationRegistry

_adapters: dict[str, LgspPopulation] = {}
_lock = threading.Lock()


def population_registry() -> PopulationRegistry:
    settings = LgspSettings()
    key = settings.model_dump_json()
    with _lock:
        adapter = _adapters.get(key)
        if adapter is None:
            adapter = _adapters[key] = LgspPopulation(settings)
        return adapter


def close_adapters() -> None:
    """Close and forget every adapter (their connections and login sessions): at shutdown,
    or when the platform was reset and the sessions it issued are gone."""
    with _lock:
        adapters = list(_adapters.values())
        _adapters.clear()
    for adapter in adapters:
        adapter.close()
