"""The domain registry (motcua/domains.py): what it finds is what exists, and a listed domain
that is missing or broken stops start-up instead of being skipped."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
import typer
from jinja2 import FileSystemLoader

import motcua.cli
import motcua.models
from motcua.app import create_app
from motcua.core.config import Settings
from motcua.core.db import Base
from motcua.core.jobs import Job
from motcua.domains import DOMAINS, DomainRegistryError, Registry, registry
from motcua.web.templating import templates

SOURCE = Path(motcua.models.__file__).resolve().parent


def _has(domain: str, module: str) -> bool:
    return (SOURCE / domain / f"{module}.py").is_file()


def test_every_domain_router_is_mounted_in_registry_order():
    app = create_app(Settings(database_url="sqlite://", secret_key="k" * 40))
    # FastAPI keeps each included router as one route pointing at it.
    mounted = [r.original_router for r in app.routes if hasattr(r, "original_router")]
    expected = [
        importlib.import_module(f"motcua.{domain}.{kind}").router
        for domain in DOMAINS
        for kind in ("routes", "api")
        if _has(domain, kind)
    ]
    assert expected
    assert [id(r) for r in mounted] == [id(r) for r in expected]


def _commands(app: typer.Typer) -> set[tuple[str, str]]:
    commands = {(c.name or c.callback.__name__, c.callback.__qualname__) for c in app.registered_commands}
    groups = {(g.name, "group") for g in app.registered_groups}
    return commands | groups


def test_every_domain_cli_adds_its_commands():
    domains_with_cli = [d for d in DOMAINS if _has(d, "cli")]
    assert domains_with_cli  # org, auth, catalog, calendar, workflow, dossiers, jobs today
    registered = _commands(motcua.cli.app)
    expected: set[tuple[str, str]] = set()
    for domain in domains_with_cli:
        alone = typer.Typer()
        sys.modules[f"motcua.{domain}.cli"].register(alone)
        added = _commands(alone)
        assert added, f"motcua.{domain}.cli registers nothing"
        expected |= added
    top_level = {("db", "group"), ("serve", "serve"), ("seed", "seed")}
    assert registered == expected | top_level


def test_every_table_is_in_a_listed_models_module():
    modules = {m.class_.__module__ for m in Base.registry.mappers}
    assert modules == {f"motcua.{d}.models" for d in DOMAINS if _has(d, "models")}
    assert "throttle_counters" in motcua.models.metadata.tables


def test_jobs_are_every_domain_jobs_in_registry_order():
    expected: list[Job] = []
    for domain in DOMAINS:
        if _has(domain, "jobs"):
            expected += importlib.import_module(f"motcua.{domain}.jobs").JOBS
    found = registry.jobs()
    assert found == expected
    names = [j.name for j in found]
    assert {"purge-counters", "alert-overdue", "book-files"} <= set(names)
    assert len(set(names)) == len(names)  # `motcua worker --once` reports by name
    assert all(isinstance(j, Job) for j in found)


def test_templates_are_every_domain_templates_folder():
    (loader,) = templates.env.loader.loaders
    assert isinstance(loader, FileSystemLoader)
    folders = [str(SOURCE / d / "templates") for d in DOMAINS if (SOURCE / d / "templates").is_dir()]
    assert loader.searchpath == folders
    assert str(SOURCE / "dossiers" / "templates") in folders


def test_seeds_run_in_registry_order():
    for kind in ("seed_reference", "seed_demo"):
        expected = []
        for domain in DOMAINS:
            if _has(domain, "seed"):
                module = importlib.import_module(f"motcua.{domain}.seed")
                expected += [getattr(module, kind)] if hasattr(module, kind) else []
        assert registry.seeders(kind) == expected
    reference = [f.__module__ for f in registry.seeders("seed_reference")]
    # The catalogue names agencies and forms name procedures: the organisation comes first.
    assert reference[:2] == ["motcua.org.seed", "motcua.catalog.seed"]
    assert {"motcua.calendar.seed", "motcua.documents.seed"} <= set(reference)
    demo = [f.__module__ for f in registry.seeders("seed_demo")]
    assert demo.index("motcua.auth.seed") < demo.index("motcua.dossiers.seed")  # officers receive
    with pytest.raises(ValueError):
        registry.seeders("seed_everything")


def test_a_listed_domain_without_a_package_stops_start_up():
    typo = Registry("motcua", ("web", "dossier"))
    with pytest.raises(DomainRegistryError, match=r"domain 'dossier' is listed in motcua/domains.py but motcua.dossier is not a package"):
        typo.routers()
    with pytest.raises(DomainRegistryError, match="'dossier'"):
        typo.template_dirs()
    with pytest.raises(DomainRegistryError, match=r"'seed' .* motcua.seed is not a package"):
        Registry("motcua", ("seed",)).check()


@pytest.fixture
def fake_package(tmp_path, monkeypatch):
    """A package `fakeapp` on sys.path whose domains the test writes."""
    root = tmp_path / "fakeapp"
    root.mkdir()
    (root / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    for name in [m for m in sys.modules if m == "fakeapp" or m.startswith("fakeapp.")]:
        del sys.modules[name]


def _domain(root: Path, name: str, files: dict[str, str]) -> None:
    (root / name).mkdir()
    (root / name / "__init__.py").write_text("")
    for file, text in files.items():
        (root / name / file).write_text(text)


def test_a_module_that_fails_to_import_is_not_skipped(fake_package):
    _domain(fake_package, "good", {"routes.py": "from fastapi import APIRouter\nrouter = APIRouter()\n"})
    # The old lists skipped a ModuleNotFoundError: a typo inside a router hid the router.
    _domain(fake_package, "broken", {"routes.py": "import fakeapp.broken.helperz\n", "helpers.py": ""})
    with pytest.raises(ModuleNotFoundError) as caught:
        Registry("fakeapp", ("good", "broken")).routers()
    assert caught.value.name == "fakeapp.broken.helperz"
    assert "while importing fakeapp.broken.routes (domain 'broken' of fakeapp/domains.py)" in caught.value.__notes__


def test_an_error_inside_a_jobs_module_stops_the_worker(fake_package):
    _domain(fake_package, "mail", {"jobs.py": "JOBS = [1 / 0]\n"})
    with pytest.raises(ZeroDivisionError):
        Registry("fakeapp", ("mail",)).jobs()


def test_a_conventional_module_without_its_attribute_is_an_error(fake_package):
    _domain(fake_package, "mail", {"jobs.py": "JOB = []\n", "cli.py": "def register(app):\n    pass\n"})
    registry_ = Registry("fakeapp", ("mail",))
    assert len(registry_.cli_registrars()) == 1
    assert registry_.routers() == [] and registry_.seeders("seed_demo") == []
    with pytest.raises(DomainRegistryError, match="fakeapp.mail.jobs must define `JOBS`"):
        registry_.jobs()


def test_adding_a_domain_is_one_line(fake_package):
    """A new domain is found from its name alone: tables, router, CLI, templates, jobs, seeds."""
    _domain(fake_package, "notify", {
        "routes.py": "from fastapi import APIRouter\nrouter = APIRouter()\n\n@router.get('/thu')\ndef inbox():\n    return {}\n",
        "cli.py": "def register(app):\n    app.command('send')(lambda: None)\n",
        "jobs.py": "from motcua.core.jobs import Job\nJOBS = [Job('send-mail', 60, lambda factory: 'gửi 0 thư')]\n",
        "seed.py": "def seed_reference(session):\n    session.append('notify')\n",
    })
    (fake_package / "notify" / "templates").mkdir()
    notify = Registry("fakeapp", ("notify",))
    assert [r.path for r in notify.routers()[0].routes] == ["/thu"]
    assert [j.name for j in notify.jobs()] == ["send-mail"]
    assert notify.template_dirs() == [fake_package / "notify" / "templates"]
    seeded: list[str] = []
    for seed in notify.seeders("seed_reference"):
        seed(seeded)
    assert seeded == ["notify"]
    cli = typer.Typer()
    for register in notify.cli_registrars():
        register(cli)
    assert len(cli.registered_commands) == 1
