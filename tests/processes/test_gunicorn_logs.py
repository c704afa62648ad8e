"""The image's gunicorn command writes no invite token in any log line, access log included."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from loadtest.stack import free_port
from tests.processes.running import ROOT, run_module

pytestmark = pytest.mark.slow


def _image_command(port: int) -> str:
    """The web command of the Dockerfile, bound to a loopback port of this test."""
    line = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD")
    )
    shell = json.loads(line.removeprefix("CMD").strip())[2]
    assert "0.0.0.0:8000" in shell and shell.startswith("gunicorn ")
    shell = shell.replace("0.0.0.0:8000", f"127.0.0.1:{port}")
    return shell.replace("gunicorn ", f"{sys.executable} -m gunicorn ", 1)


def _get(url: str, **headers) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_no_invite_token_reaches_any_log_even_with_gunicorns_access_log_on(tmp_path, sqlite_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": sqlite_url,
        "DEBUG": "false",
        "SECRET_KEY": "log-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "EMAIL_BACKEND": "console",
        "LOG_LEVEL": "INFO",
        "ACCESS_LOG_LEVEL": "INFO",
        "WEB_WORKERS": "1",
        # An operator who turns gunicorn's own access log on, with the Referer in its format.
        "GUNICORN_CMD_ARGS": "--access-logfile - --error-logfile -",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=120,
    )
    made = run_module("tests.processes.invite_world", env)
    assert made.returncode == 0, made.stderr[-2000:]
    token = json.loads(made.stdout.strip().splitlines()[-1])["token"]

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        ["sh", "-c", _image_command(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 30
        while _get_or_none(f"{base}/healthz") != 200:
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        page = f"{base}/i/{token}/organisation/"
        assert _get(f"{base}/i/{token}/") == 200
        assert _get(page, Referer=f"{base}/i/{token}/") == 200
        assert _get(f"{base}/static/css/portal.css", Referer=page) in {200, 404}
        assert _get(f"{base}/i/{token}x/", Referer=page) == 404
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
    written = (tmp_path / "server.log").read_text()
    # gunicorn's access lines and the app's own were written, so the check below is real.
    assert '"GET /i/…/organisation/ HTTP/1.1" 200' in written
    assert '"path": "/i/…/organisation/"' in written
    assert token not in written


def _get_or_none(url: str) -> int | None:
    try:
        return _get(url)
    except OSError:
        return None
