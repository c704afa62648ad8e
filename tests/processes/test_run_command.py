"""The README's run command: the port it is given is the one it prints, links to and serves."""

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from loadtest.stack import free_port
from tests.processes.running import ROOT

pytestmark = pytest.mark.slow


def _fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_the_run_command_serves_prints_and_links_the_port_it_was_given(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/portal.sqlite3",
        "EMAIL_FILE_PATH": str(tmp_path / "emails"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    for name in ("DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "SITE_URL", "ALLOWED_HOSTS"):
        env.pop(name, None)
    out = (tmp_path / "run.log").open("w")
    server = subprocess.Popen(
        ["bash", "scripts/run", str(port)],
        cwd=ROOT,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                if _fetch(f"{base}/accounts/login/")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the portal did not start"
            time.sleep(0.5)

        printed = (tmp_path / "run.log").read_text()
        assert f"running at  {base}/" in printed
        assert "8000" not in printed.replace(str(port), "")

        # A newcomer who mistypes a URL sees the product's page, not a list of every route.
        status, page = _fetch(f"{base}/no-such-page/")
        assert status == 404
        assert "URLconf" not in page and "Teams Phone Readiness" in page

        # Links in emails follow the port: ask for a password reset of a demo user.
        status, login = _fetch(f"{base}/accounts/password-reset/")
        assert status == 200
        cookie_jar = urllib.request.HTTPCookieProcessor()
        opener = urllib.request.build_opener(cookie_jar)
        form = opener.open(f"{base}/accounts/password-reset/", timeout=20).read().decode()
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": csrf, "email": "sam@northwind.example"}
        ).encode()
        opener.open(urllib.request.Request(f"{base}/accounts/password-reset/", data=data))
        mails = "".join(p.read_text() for p in (tmp_path / "emails").glob("*"))
        assert f"{base}/accounts/reset/" in mails
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        out.close()
