"""The run command's SQLite database takes two people writing at once while the worker renders."""

import json
import os
import subprocess
import sys

import pytest

from portal.env import parse_database_url
from tests.processes.running import ROOT, run_module


def test_the_sqlite_database_is_configured_for_concurrent_writers():
    options = parse_database_url("sqlite:///db.sqlite3")["OPTIONS"]
    assert "journal_mode=WAL" in options["init_command"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10


@pytest.mark.slow
def test_two_people_duplicating_rows_while_the_worker_renders_never_see_a_locked_database(
    tmp_path, sqlite_url
):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": sqlite_url,
        "DEBUG": "true",
        "ALLOWED_HOSTS": "testserver,localhost",
        "EMAIL_BACKEND": "console",
    }
    python = sys.executable
    worker_log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(
        [python, "manage.py", "db_worker"], cwd=ROOT, env=env, stdout=worker_log, stderr=worker_log
    )
    try:
        run = run_module("tests.processes.concurrent_writes", env)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        worker_log.close()
    assert run.returncode == 0, run.stderr[-3000:]
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["statuses"] == [200]
    assert outcome["sites"] == 1 + 2 * 12
    assert set(outcome["proposals"].values()) == {"ready"}, outcome["proposals"]
    logs = run.stderr + (tmp_path / "worker.log").read_text()
    assert "database is locked" not in logs
