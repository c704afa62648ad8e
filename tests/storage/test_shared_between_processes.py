"""Web, worker and reader processes on their own disks share files through the bucket alone."""

import hashlib
import json
import os
import subprocess
import sys

import pytest

from tests.processes.running import ROOT

pytestmark = [pytest.mark.s3, pytest.mark.slow]


def process_env(database_url, bucket, media) -> dict[str, str]:
    """One host's environment: the shared database and bucket, a media folder of its own."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("S3_", "AWS_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "true",
        "ALLOWED_HOSTS": "testserver,localhost",
        "EMAIL_BACKEND": "console",
        "MEDIA_ROOT": str(media),
        **bucket.env(),
    }


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run a command of the portal from the project root, as a host of its own would."""
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def answer(run: subprocess.CompletedProcess) -> dict:
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_one_process_issues_the_worker_renders_and_a_third_downloads_the_same_bytes(
    tmp_path, sqlite_url, bucket
):
    hosts = {name: tmp_path / f"{name}-media" for name in ("web", "worker", "reader")}
    script = [sys.executable, "-m", "tests.storage.shared_files"]

    web = answer(run([*script, "issue"], process_env(sqlite_url, bucket, hosts["web"])))
    assert web["statuses"] == [302, 302]
    assert web["proposal_status"] == "queued"  # the web process rendered nothing
    assert bucket.keys() == [web["logo"]]
    assert hashlib.sha256(bucket.read(web["logo"])).hexdigest() == web["logo_sha256"]

    worker = run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
        process_env(sqlite_url, bucket, hosts["worker"]),
    )
    assert worker.returncode == 0, worker.stderr[-3000:]

    reader = answer(
        run(
            [*script, "download", str(web["assessment"])],
            process_env(sqlite_url, bucket, hosts["reader"]),
        )
    )
    assert reader["statuses"] == [200, 200, 200]
    assert reader["proposal_status"] == "ready"
    assert bucket.keys() == sorted([web["logo"], reader["pdf"], reader["annex"]])
    # The site annex (its workbook) rendered by the worker downloads as the bytes it hashed.
    assert reader["annex_sha256"] == reader["stored_annex_sha256"]
    stored = bucket.read(reader["pdf"])
    assert reader["pdf_sha256"] == reader["stored_sha256"] == hashlib.sha256(stored).hexdigest()
    assert reader["logo_sha256"] == web["logo_sha256"]
    # Nothing went to any host's own disk: the bucket is all they share besides the database.
    assert not any(media.exists() for media in hosts.values())
