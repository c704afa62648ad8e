"""The scoring engine stays under mypy in strict mode (issue 13): no silent switch-off."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_mypy_checks_the_whole_engine_strictly():
    mypy = _pyproject()["tool"]["mypy"]
    assert mypy["strict"] is True
    assert mypy["python_version"] == "3.12"
    assert "scoring" in mypy["files"]
    # Nothing may carve files or modules of the engine back out of the check.
    # Only the engine's own tests may be left out.
    assert mypy.get("exclude", ["^scoring/tests/"]) == ["^scoring/tests/"]
    for override in mypy.get("overrides", []):
        modules = override["module"]
        modules = [modules] if isinstance(modules, str) else modules
        assert not any(m.startswith("scoring") for m in modules), override


def test_mypy_is_pinned_and_run_by_the_check_script():
    pins = [p for p in _pyproject()["dependency-groups"]["test"] if isinstance(p, str)]
    assert any(p.startswith("mypy==") for p in pins)
    script = (ROOT / "scripts" / "test").read_text(encoding="utf-8")
    assert "\n.venv/bin/mypy\n" in script
