"""House rules the code keeps: transactions in services, no private Django API, no app labels."""

import ast
from pathlib import Path

from tests.architecture.test_imports import ROOT, project_modules


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
