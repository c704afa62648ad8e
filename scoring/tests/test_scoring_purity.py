"""The engine and the document loader never import Django (STYLE.md practice 1)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


def test_importing_the_engine_does_not_import_django():
    modules = _modules_after(
        "import scoring; from scoring import score_assessment, "
        "AssessmentInput, SiteInput; score_assessment(AssessmentInput(sites=(SiteInput("
        "name='a', country='GB'),)))"
    )
    assert "scoring.engine" in modules
    assert not {m for m in modules if m == "django" or m.startswith("django.")}


def test_importing_the_document_loader_does_not_import_django():
    modules = _modules_after("import assessments.schema")
    assert "jsonschema" in modules
    assert not {m for m in modules if m == "django" or m.startswith("django.")}


def test_ruff_bans_django_in_the_engine():
    config = (ROOT / "scoring" / "ruff.toml").read_text()
    assert 'extend = "../pyproject.toml"' in config
    assert '"django".msg' in config
