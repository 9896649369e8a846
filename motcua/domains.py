"""The domain registry: the one list of the packages that make up motcua.

Adding a domain is one line here, its folder `motcua/<name>/` and its migration. Nothing
else names the domains: everything is found in each package by convention —

- `models.py`    its tables (imported before Alembic or the app look at the metadata)
- `routes.py`    `router`: HTML pages;  `api.py`  `router`: JSON under /api/v1
- `cli.py`       `register(app)`: adds its commands to the `motcua` command
- `templates/`   its Jinja2 templates (`templates/<name>/...`)
- `jobs.py`      `JOBS: list[motcua.core.jobs.Job]`: periodic jobs of `motcua worker`
- `seed.py`      `seed_reference(session)` (every installation) and/or
                 `seed_demo(session)` (demo data only), run in the order of `DOMAINS`

A module that does not exist is simply not part of that domain. A listed domain without
a package, or a conventional module that fails to import, stops the app and the CLI with
an error naming it: a typo never starts the app without a router.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

# In dependency order: a domain's seeds may use the rows seeded by the domains above it,
# and routers are mounted in this order.
DOMAINS: tuple[str, ...] = (
    "core",
    "web",
    "integrations",
    "org",
    "auth",
    "catalog",
    "calendar",
    "workflow",
    "dossiers",
    "documents",
    "reports",
    "payments",
    "citizens",
    "dvcqg",
    "ratings",
    "population",
    "eservice",
    "notify",
    "notices",
    "feedback",
    "reform",
    "operations",
    "jobs",
)


class DomainRegistryError(RuntimeError):
    """The registry names something that is not there (a missing package or attribute)."""


@dataclass(frozen=True)
class Registry:
    """The conventional modules of `domains`, each a package under `package`."""

    package: str
    domains: tuple[str, ...]

    def _package_dir(self, domain: str) -> Path:
        name = f"{self.package}.{domain}"
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            raise DomainRegistryError(
                f"domain {domain!r} is listed in {self.package}/domains.py but {name} is not a package"
            )
        return Path(next(iter(spec.submodule_search_locations)))

    def modules(self, *kinds: str) -> Iterator[ModuleType]:
        """Every module of `kinds` a domain has, in registry order
        (by domain, then in the order of `kinds`).

        `find_spec` decides whether the module exists; importing it is never guarded, so
        an error inside it (including an import of a missing module) stops the caller."""
        for domain in self.domains:
            self._package_dir(domain)
            for kind in kinds:
                name = f"{self.package}.{domain}.{kind}"
                if importlib.util.find_spec(name) is None:
                    continue
                try:
                    module = importlib.import_module(name)
                except Exception as exc:
                    exc.add_note(f"while importing {name} (domain {domain!r} of {self.package}/domains.py)")
                    raise
                yield module

    def _attributes(self, *kinds: str, attribute: str) -> Iterator[Any]:
        for module in self.modules(*kinds):
            if not hasattr(module, attribute):
                raise DomainRegistryError(f"{module.__name__} must define `{attribute}`")
            yield getattr(module, attribute)

    def check(self) -> None:
        """Every listed domain is a package."""
        for domain in self.domains:
            self._package_dir(domain)

    def import_models(self) -> list[ModuleType]:
        return list(self.modules("models"))

    def routers(self) -> list[Any]:
        """Each domain's page router, then its API router."""
        return list(self._attributes("routes", "api", attribute="router"))

    def cli_registrars(self) -> list[Callable[[Any], None]]:
        return list(self._attributes("cli", attribute="register"))

    def template_dirs(self) -> list[Path]:
        dirs = [self._package_dir(domain) / "templates" for domain in self.domains]
        return [d for d in dirs if d.is_dir()]

    def jobs(self) -> list[Any]:
        return [job for jobs in self._attributes("jobs", attribute="JOBS") for job in jobs]

    def seeders(self, kind: str) -> list[Callable[[Any], None]]:
        """`seed_reference` or `seed_demo` of every domain's seed.py that has it."""
        if kind not in {"seed_reference", "seed_demo"}:
            raise ValueError(kind)
        return [getattr(m, kind) for m in self.modules("seed") if hasattr(m, kind)]


registry = Registry("motcua", DOMAINS)
