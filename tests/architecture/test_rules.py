"""House rules: transactions in services, no private API, no app labels, no forms in services."""

import ast
from pathlib import Path

from tests.architecture.test_imports import ROOT, import_graph, project_modules


def calls_and_names(path: Path):
    """Every attribute used in a module, as dotted text ("transaction.atomic"), getattr too."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Attribute):
            parts = [node.attr]
            value = node.value
            while isinstance(value, ast.Attribute):
                parts.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name):
                parts.append(value.id)
            yield ".".join(reversed(parts)), node
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"getattr", "hasattr", "setattr"}
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
        ):
            yield str(node.args[1].value), node  # getattr(connection, "run_on_commit")


def test_views_open_no_transactions():
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for name, path in project_modules().items()
        if name.startswith("assessments.views")
        for dotted, node in calls_and_names(path)
        if dotted in {"transaction.atomic", "django.db.transaction.atomic"}
    ]
    assert not found, f"A view's writes belong in one service call (its transaction): {found}"


def test_no_private_django_api():
    # run_on_commit is the connection's private list of on-commit callbacks.
    private = {"run_on_commit", "_meta.private_fields"}
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno} {dotted}"
        for path in project_modules().values()
        for dotted, node in calls_and_names(path)
        if any(dotted.endswith(p) for p in private)
    ]
    assert not found, f"Private Django API: {found}"


def test_template_tags_name_no_app_label():
    found = []
    for name, path in project_modules().items():
        if ".templatetags" not in name:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get_model"
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "Models move between apps: look them up through the record, " + str(found)


def _is_forms_module(name: str) -> bool:
    """``assessments.forms``, ``invite_forms``, ``import_forms``, or an app's ``forms``."""
    last = name.rpartition(".")[2]
    return last == "forms" or last.endswith("_forms")


def _is_service_or_selector(name: str) -> bool:
    """A module of a ``services`` package or a ``selectors`` module, in whichever app."""
    parts = name.split(".")
    return "services" in parts or "selectors" in parts


def forms_used_by_services(graph: dict[str, set[str]]) -> list[str]:
    """Each "service or selector → forms module" import in ``graph``."""
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if _is_service_or_selector(module)
        for target in targets
        if _is_forms_module(target)
    )


def test_services_and_selectors_import_no_forms():
    # A service is called by views, the API, commands and tasks alike: what it needs to
    # validate comes from the question catalogue or the models, never from a page's form.
    found = forms_used_by_services(import_graph())
    assert not found, f"Services and selectors must not import forms: {found}"


def test_a_service_importing_a_form_would_be_found():
    graph = {
        "assessments.services.scenarios": {"assessments.forms", "assessments.questions"},
        "invites.services.links": {"invites.forms"},
        "assessments.selectors": {"imports.forms"},
        "assessments.views.staff": {"assessments.forms"},
    }
    assert forms_used_by_services(graph) == [
        "assessments.selectors -> imports.forms",
        "assessments.services.scenarios -> assessments.forms",
        "invites.services.links -> invites.forms",
    ]
