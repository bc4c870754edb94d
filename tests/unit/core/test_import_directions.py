"""The layers import one way, and no module imports itself back through others.

`bot` → `dialogs` → `services`; inside `services`, `core` imports no capability, and the
capabilities import each other in one order. Imports made only for type checking count too: a
circle of types is still a circle for whoever reads the code.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("bot", "dialogs", "services")
# Which capability may import which (besides `core`, which every one may import).
SERVICES_BELOW = {
    "core": set(),
    "documents": set(),
    "accounts": {"documents"},
    "tenants": {"accounts"},
    "declarations": {"accounts", "tenants", "documents"},
    "payments": {"accounts", "tenants", "documents"},
    "reminders": {"accounts", "tenants", "declarations"},
    "demo": {"accounts", "tenants", "declarations", "payments"},
}
# « Mes locataires » shows what the declarations say of each tenant.
READS_ABOVE = {"services.tenants.views": {"declarations"}}
# The one circle left: the turn names its engine's type; both are about to be rewritten.
KNOWN_CIRCLES = {("dialogs.turn", "dialogs.engine")}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_only(tree: ast.Module) -> set[ast.AST]:
    """Import statements under `if TYPE_CHECKING:`: read by mypy, never run."""
    return {
        child
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for statement in node.body
        for child in ast.walk(statement)
    }


def _imports(tree: ast.Module, modules: set[str], *, runtime_only: bool = False) -> set[str]:
    """Modules a module imports: `from package import submodule` names the submodule only,
    `from module import name` the module."""
    found: set[str] = set()
    skipped = _type_only(tree) if runtime_only else set()
    for node in ast.walk(tree):
        if node in skipped:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in modules else node.module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] in PACKAGES}


@cache
def _graph(runtime_only: bool = False) -> dict[str, set[str]]:
    """Who imports whom; `runtime_only` leaves out the imports made for type checking."""
    files = [p for package in PACKAGES for p in (ROOT / package).rglob("*.py")]
    modules = {_module_name(p): p for p in files}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imports(tree, set(modules), runtime_only=runtime_only)
        graph[name] = {target for target in imported if target in modules and target != name}
    return graph


def test_bot_imports_dialogs_and_services_which_never_import_back() -> None:
    for module, targets in _graph().items():
        for target in targets:
            if module.startswith("services"):
                assert not target.startswith(("dialogs", "bot")), (module, target)
            if module.startswith("dialogs"):
                assert not target.startswith("bot"), (module, target)


def test_core_imports_no_capability_and_capabilities_import_downwards() -> None:
    for module, targets in _graph().items():
        parts = module.split(".")
        if parts[0] != "services" or len(parts) < 3 or parts[1] not in SERVICES_BELOW:
            continue
        allowed = {parts[1], "core"} | SERVICES_BELOW[parts[1]] | READS_ABOVE.get(module, set())
        if module == "services.core.migrations.env":
            allowed |= {"tables"}  # the migrations compare against every capability's tables
        for target in targets:
            target_parts = target.split(".")
            if target_parts[0] == "services" and len(target_parts) > 1:
                assert target_parts[1] in allowed, (module, target)


def test_no_module_imports_itself_back() -> None:
    graph = _graph(runtime_only=True)
    visiting: list[str] = []
    done: set[str] = set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, " -> ".join([*visiting, module])
        visiting.append(module)
        for target in sorted(graph[module]):
            if (module, target) not in KNOWN_CIRCLES:
                visit(target)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)
