"""The portal run as its own processes (manage.py, db_worker, gunicorn) on a file database."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite file with every migration applied, made once and copied by each test."""
    path = tmp_path_factory.mktemp("migrated") / "portal.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{path}",
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300
    )
    return path


@pytest.fixture
def sqlite_url(migrated_sqlite, tmp_path) -> str:
    """The DATABASE_URL of a fresh copy of the migrated database."""
    copy = tmp_path / "portal.sqlite3"
    shutil.copy(migrated_sqlite, copy)
    return f"sqlite:///{copy}"
