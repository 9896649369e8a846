"""The import contract (docs/architecture.md, "The import contract"), read from the source
with `ast`: every `import` statement of the `motcua` package, where it stands and what it
names. The rules:

1. No import cycle crosses packages: no chain of imports leads from a module of one
   top-level package (`motcua.<name>`) through another package's modules back to itself.
   And between domains: leaving out presentation modules (`routes`, `api`, `pages`) and CLI
   modules — the top layer, which may use any domain — the imports between top-level
   packages form no cycle either: domains stand in layers (auth reads org; org never reads
   auth — an org edit gets its permission check from its caller).
2. Layers: `core` imports no other motcua package; `web` imports only `core` and the
   registry `motcua.domains`; `integrations` (adapters and simulators of external systems)
   imports only `core`; `motcua.domains` imports no motcua module (it finds the
   domains by name). Only CLI modules import the composition modules
   (`motcua.app`, `motcua.cli`, `motcua.models`, `motcua.seed`, `motcua.main`).
3. No module imports another domain's `routes`, `api` or `pages` (presentation modules
   are leaves: shared page helpers live in `web`, shared rules in a service).
4. First-party imports stand at module top. Only CLI modules (`cli.py`, `motcua/cli.py`)
   import inside functions, so that `motcua --help` does not load every domain's heavy
   dependencies.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "motcua"
SOURCE = Path(__file__).resolve().parent.parent / PACKAGE
COMPOSITION = ("app", "cli", "models", "seed", "main")  # top-level modules that wire domains
PRESENTATION = {"routes", "api", "pages"}
LAYERS = {  # lower package -> the only other motcua packages it may import
    "core": set(),
    "web": {"core", "domains"},
    # adapters and simulators of external systems: transport only, no application data
    "integrations": {"core"},
    "domains": set(),
}

@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported first-party module
    line: int
    in_function: bool

    def __str__(self) -> str:
        where = " inside a function" if self.in_function else ""
        return f"{self.source}:{self.line} imports {self.target}{where}"


@dataclass(frozen=True)
class Violation:
    rule: str  # "cycle", "layer", "presentation", "function-level"
    source: str
    target: str
    detail: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.source, self.target)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def scan(root: Path) -> tuple[set[str], list[Import]]:
    """Every module of the package at `root` and every first-party import in it."""
    package = root.name
    paths = {_module_name(p, root): p for p in sorted(root.rglob("*.py"))}

    def resolve(name: str) -> str | None:  # the module itself, or the module holding the name
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name or None

    imports: list[Import] = []
    for module, path in paths.items():
        anchor = module if path.name == "__init__.py" else module.rpartition(".")[0]

        def visit(node: ast.AST, in_function: bool, module=module, anchor=anchor) -> None:
            for child in ast.iter_child_nodes(node):
                names: list[str] = []
                if isinstance(child, ast.Import):
                    names = [alias.name for alias in child.names]
                elif isinstance(child, ast.ImportFrom):
                    base = child.module or ""
                    if child.level:
                        parent = anchor
                        for _ in range(child.level - 1):
                            parent = parent.rpartition(".")[0]
                        base = f"{parent}.{base}" if base else parent
                    names = [f"{base}.{alias.name}" for alias in child.names]
                for name in names:
                    target = resolve(name) if name.split(".")[0] == package else None
                    if target and target != module:
                        imports.append(Import(module, target, child.lineno, in_function))
                visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

        visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), False)
    return set(paths), imports


def package_of(module: str) -> str:
    """`motcua.dossiers.service.receive` -> "dossiers"; a top-level module is its own."""
    return module.split(".")[1] if "." in module else module


def is_cli(module: str) -> bool:
    return module.rpartition(".")[2] == "cli"


def _components(modules: set[str], imports: list[Import]) -> list[list[str]]:
    """Strongly connected components (Tarjan) of more than one module: the import cycles."""
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in imports:
        graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while (member := stack.pop()) != node:
                on_stack.discard(member)
                component.append(member)
            on_stack.discard(node)
            if component:
                found.append(sorted([node, *component]))

    for module in sorted(modules):
        if module not in index:
            connect(module)
    return found


def violations(root: Path) -> list[Violation]:
    modules, imports = scan(root)
    package = root.name
    found = []
    for component in _components(modules, imports):
        if len({package_of(m) for m in component}) > 1:
            members = set(component)
            for imp in imports:
                if imp.source in members and imp.target in members:
                    found.append(Violation("cycle", imp.source, imp.target, f"{imp} (cycle: {', '.join(component)})"))
    lower = [imp for imp in imports
             if package_of(imp.source) != package_of(imp.target) and not is_cli(imp.source)
             and imp.source.rpartition(".")[2] not in PRESENTATION]
    packages = [Import(package_of(imp.source), package_of(imp.target), imp.line, False) for imp in lower]
    for component in _components({package_of(m) for m in modules}, packages):
        for imp in lower:
            if package_of(imp.source) in component and package_of(imp.target) in component:
                found.append(Violation("domain-cycle", imp.source, imp.target,
                                       f"{imp} (domains in a cycle: {', '.join(component)})"))
    composition = {f"{package}.{name}" for name in COMPOSITION}
    for imp in imports:
        source, target = package_of(imp.source), package_of(imp.target)
        if source in LAYERS and target != source and target not in LAYERS[source]:
            found.append(Violation("layer", imp.source, imp.target, f"{imp}: {source} may import only {sorted(LAYERS[source])}"))
        if imp.target in composition and imp.source not in composition and not is_cli(imp.source):
            found.append(Violation("layer", imp.source, imp.target, f"{imp}: only CLI modules import the composition modules"))
        if imp.target.rpartition(".")[2] in PRESENTATION and target != source:
            found.append(Violation("presentation", imp.source, imp.target, f"{imp}: another domain's routes/api/pages"))
        if imp.in_function and not is_cli(imp.source):
            found.append(Violation("function-level", imp.source, imp.target, str(imp)))
    return found


def test_motcua_keeps_the_import_contract():
    broken = sorted(v.detail for v in violations(SOURCE))
    assert broken == [], "import contract broken (docs/architecture.md):\n" + "\n".join(broken)


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "app" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "app"


def test_the_contract_finds_each_kind_of_violation(tmp_path):
    """The checker itself, on a small package breaking every rule once."""
    root = _package(tmp_path, {
        "__init__.py": "",
        "cli.py": "def run():\n    from app.seed import x\n",
        "seed.py": "x = 1\n",
        "core/__init__.py": "",
        "core/db.py": "from app.shop.models import Item\n",
        "shop/__init__.py": "",
        "shop/models.py": "Item = 1\n",
        "shop/service.py": "from app.bank.service import pay\n",
        "shop/routes.py": "from app.bank.pages import form\n",
        "shop/cli.py": "def run():\n    from app.shop.service import x\n",
        "bank/__init__.py": "",
        "bank/service.py": "from . import helpers\n\ndef pay():\n    from ..shop.service import x\n",
        "bank/helpers.py": "from app.seed import x\n",
        "bank/pages.py": "form = 1\n",
        "bank/routes.py": "from app.shop.service import x\n",  # presentation may use any domain
        "user/__init__.py": "",
        "user/models.py": "from app.team.models import Team\n",
        "team/__init__.py": "",
        "team/models.py": "Team = 1\n",
        "team/service.py": "from app.user.models import User\n",
    })
    assert sorted(v.key for v in violations(root)) == [
        ("cycle", "app.bank.service", "app.shop.service"),
        ("cycle", "app.shop.service", "app.bank.service"),
        ("domain-cycle", "app.bank.service", "app.shop.service"),
        ("domain-cycle", "app.shop.service", "app.bank.service"),
        ("domain-cycle", "app.team.service", "app.user.models"),
        ("domain-cycle", "app.user.models", "app.team.models"),
        ("function-level", "app.bank.service", "app.shop.service"),
        ("layer", "app.bank.helpers", "app.seed"),
        ("layer", "app.core.db", "app.shop.models"),
        ("presentation", "app.shop.routes", "app.bank.pages"),
    ]
