"""Run a module of the portal in its own process, from the project root."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_module(module: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run ``python -m module`` from the project root; its last stdout line is its answer."""
    return subprocess.run(
        [sys.executable, "-m", module],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
