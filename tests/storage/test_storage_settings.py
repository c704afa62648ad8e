"""S3_* environment variables choose where files go; half a configuration stops the portal."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "portal.example.com",
    "DEBUG": "false",
}


def production_env(**env) -> dict[str, str]:
    """Production's environment with ``env``: nothing of the test run's settings leaks in."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "S3_", "AWS_", "SECURE_"))
        and k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return {**clean, **PRODUCTION, **env}


def run_settings(code: str, **env) -> subprocess.CompletedProcess:
    """Run ``code`` after importing portal.settings as ``s``, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-c", f"import portal.settings as s; {code}"],
        cwd=ROOT,
        env=production_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def default_storage_of(**env) -> dict:
    result = run_settings("import json; print(json.dumps(s.STORAGES['default']))", **env)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_files_stay_on_the_local_disk_when_no_bucket_is_set():
    assert default_storage_of() == {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def test_every_s3_variable_reaches_the_storage():
    storage = default_storage_of(
        S3_BUCKET="portal-files",
        S3_ENDPOINT_URL="https://s3.eu-central-1.wasabisys.com",
        S3_REGION="eu-central-1",
        S3_ACCESS_KEY_ID="AKIAEXAMPLE",
        S3_SECRET_ACCESS_KEY="secret-example",
        S3_ADDRESSING_STYLE="virtual",
        S3_PREFIX="/portal/prod/",
    )
    assert storage == {
        "BACKEND": "portal.storage.ObjectStorage",
        "OPTIONS": {
            "bucket_name": "portal-files",
            "endpoint_url": "https://s3.eu-central-1.wasabisys.com",
            "region_name": "eu-central-1",
            "addressing_style": "virtual",
            "location": "portal/prod",
            "access_key": "AKIAEXAMPLE",
            "secret_key": "secret-example",
        },
    }


def test_a_bucket_alone_uses_aws_and_the_hosts_own_credentials():
    storage = default_storage_of(S3_BUCKET="portal-files")
    assert storage["OPTIONS"] == {
        "bucket_name": "portal-files",
        "endpoint_url": None,
        "region_name": None,
        "addressing_style": None,
        "location": "",
    }


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "s3-secret"
    secret.write_text("from-a-docker-secret\n")
    storage = default_storage_of(
        S3_BUCKET="b", S3_ACCESS_KEY_ID="AKIA", S3_SECRET_ACCESS_KEY_FILE=str(secret)
    )
    assert storage["OPTIONS"]["secret_key"] == "from-a-docker-secret"


@pytest.mark.parametrize(
    "env, message",
    [
        ({"S3_BUCKET": "b", "S3_ADDRESSING_STYLE": "dns"}, "S3_ADDRESSING_STYLE='dns' is not one"),
        ({"S3_BUCKET": "b", "S3_ACCESS_KEY_ID": "AKIA"}, "Set S3_ACCESS_KEY_ID and S3_SECRET"),
        ({"S3_SECRET_ACCESS_KEY": "x"}, "S3_SECRET_ACCESS_KEY set without S3_BUCKET"),
        (
            {"S3_ENDPOINT_URL": "http://minio:9000", "S3_REGION": "x"},
            "S3_ENDPOINT_URL, S3_REGION set without S3_BUCKET",
        ),
    ],
)
def test_half_a_configuration_stops_the_portal_with_what_to_fix(env, message):
    result = run_settings("", **env)
    assert result.returncode != 0
    assert message in result.stderr


@pytest.mark.slow
def test_deployment_checks_stay_clean_with_files_on_a_bucket(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(
            DJANGO_SETTINGS_MODULE="portal.settings",
            DATABASE_URL=f"sqlite:///{tmp_path / 'check.sqlite3'}",
            S3_BUCKET="portal-files",
            S3_ENDPOINT_URL="http://127.0.0.1:9",
            S3_ACCESS_KEY_ID="AKIA",
            S3_SECRET_ACCESS_KEY="secret-value",
        ),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout
