"""The project's import graph: no circles, and the models and the engine depend on nothing above."""

import ast
from pathlib import Path

from portal.settings import PORTAL_APPS

ROOT = Path(__file__).resolve().parents[2]

PACKAGES = ("portal", "scoring", *PORTAL_APPS)
# What sits above the models and the scoring engine: they must never import it.
UPPER = tuple(
    f"{app}.{layer}" for app in PORTAL_APPS for layer in ("services", "views", "forms", "urls")
)


def project_modules() -> dict[str, Path]:
    """Every module of the project by its dotted name (migrations aside)."""
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The project module that ``name`` (a module, or a name in one) lives in."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules ``name`` imports, at the top or inside a function alike.

    An import inside a function is still a dependency: written there to dodge a circle,
    it hides the circle without removing it.
    """
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            # "from package import module" names a module; "from module import name" not.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        for target in targets:
            owner = _owner(target, modules)
            if owner and owner != name:
                found.add(owner)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import circles: strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for other in graph.get(todo.pop(), ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def test_the_graph_sees_the_project():
    graph = import_graph()
    assert "proposals.services" in graph
    assert "assessments.services.versioning" in graph["assessments.services.assessments"]
    # Relative and package imports are followed too.
    assert "assessments.models.assessments" in graph["assessments.models.audit"]


def test_no_module_imports_itself_in_a_circle():
    found = cycles(import_graph())
    assert not found, "Import circles (move code so the dependency points one way): " + "; ".join(
        " <-> ".join(group) for group in found
    )


def test_a_circle_would_be_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_models_and_the_engine_import_nothing_above_them():
    graph = import_graph()
    wrong = {
        module: sorted(m for m in reachable(graph, module) if m.startswith(UPPER))
        for module in graph
        if module == "scoring"
        or module.startswith(("scoring.", *(f"{app}.models" for app in PORTAL_APPS)))
    }
    wrong = {module: upper for module, upper in wrong.items() if upper}
    assert not wrong, f"Models and the engine must not depend on services, views or forms: {wrong}"


def test_an_apps_models_build_only_on_the_models_of_the_apps_before_it():
    # PORTAL_APPS lists the apps in the order their tables build on each other
    # (organisations, then assessments, then what hangs off an assessment).
    order = {app: i for i, app in enumerate(PORTAL_APPS)}
    graph = import_graph()
    wrong = [
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module.split(".")[0] in order and module.split(".")[1:2] == ["models"]
        for target in targets
        if target.split(".")[0] in order
        and order[target.split(".")[0]] > order[module.split(".")[0]]
    ]
    assert not wrong, f"A model imports a later app's code: {wrong}"


def test_the_organisations_app_needs_no_feature_built_on_it():
    # Tenancy (organisations, members, branding, accounts) sits under every feature; the
    # activity log it writes lives with assessments. A feature's screen (API tokens, a
    # proposal) belongs to that feature's app, even when the account pages link to it.
    features = tuple(app for app in PORTAL_APPS if app not in ("tenancy", "assessments"))
    graph = import_graph()
    wrong = [
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module.split(".")[0] == "tenancy" and ".tests" not in module
        for target in targets
        if target.split(".")[0] in features
    ]
    assert not wrong, f"Tenancy imports a feature built on it: {wrong}"
