"""Start a throwaway PostgreSQL and the portal under gunicorn on loopback, and stop them."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PGBIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class Postgres:
    """A PostgreSQL 15 cluster in a temporary folder, listening on 127.0.0.1 only."""

    def __init__(self) -> None:
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="portal-load-pg."))
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(PGBIN / "pg_ctl"), "-D", str(self.data), *args]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start(self) -> None:
        """Create the cluster (first time) and start the server."""
        if not self.data.exists():
            subprocess.run(
                _as_postgres(
                    [
                        str(PGBIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                        "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
                    ]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )  # fmt: skip
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._ctl("-l", str(self.dir / "log"), "-w", "-t", "30", "-o", options, "start")

    def stop(self) -> None:
        """Stop the server (fast shutdown: connections are cut, as in a real restart)."""
        self._ctl("-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        """Stop the server if it runs and delete the cluster."""
        with suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)

    @property
    def url(self) -> str:
        """The DATABASE_URL of the portal's database."""
        return f"postgres://postgres@127.0.0.1:{self.port}/portal"

    def createdb(self) -> None:
        """Create the portal's database."""
        subprocess.run(
            _as_postgres(
                [str(PGBIN.parent / "bin" / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                 "-U", "postgres", "portal"]
            ),
            check=True,
        )  # fmt: skip


def portal_env(database_url: str, static_root: str) -> dict[str, str]:
    """Production-like settings for a server on loopback (no TLS here, so no HTTPS redirect)."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": "load-test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": static_root,
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
        # Emails stay in memory: their invite links would otherwise be printed in CI output.
        "EMAIL_BACKEND": "locmem",
        "LOG_LEVEL": "WARNING",
        "ACCESS_LOG_LEVEL": "WARNING",
    }


def manage(env: dict[str, str], *args: str) -> None:
    """Run a manage.py command with ``env``."""
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


@contextmanager
def gunicorn(env: dict[str, str], workers: int, threads: int = 2):
    """Serve the portal with gunicorn on a free loopback port; yields the base URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "portal.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
            "--no-control-socket", "--log-level", "warning", "--timeout", "60",
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
