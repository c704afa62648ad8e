"""An S3-compatible server (moto) for the storage tests, and a fresh bucket for each test.

The test command starts the server and names it in ``TEST_S3_ENDPOINT_URL``; run alone
(``pytest tests/storage``), the tests start their own on a free loopback port.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest

# The migrated file database the processes tests share (a fresh copy for each test).
from tests.processes.conftest import migrated_sqlite, sqlite_url  # noqa: F401

# moto accepts any keys; fixed ones keep a developer's real AWS credentials out of the tests.
KEYS = {"aws_access_key_id": "portal-test", "aws_secret_access_key": "portal-test-secret"}
REGION = "eu-west-1"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1):
            return True
    except OSError as exc:
        # An HTTP error status is still an answer: the server is up.
        return hasattr(exc, "code")


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a running S3-compatible server on loopback."""
    given = os.environ.get("TEST_S3_ENDPOINT_URL")
    if given:
        assert _answers(given), f"TEST_S3_ENDPOINT_URL={given} does not answer"
        yield given
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not _answers(url):
            assert server.poll() is None, "the S3 server (moto) did not start"
            assert time.monotonic() < deadline, "the S3 server (moto) did not answer in 30 s"
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


@dataclass
class Bucket:
    """A bucket on the test server, read directly (not through the portal)."""

    client: object
    name: str
    endpoint: str

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def env(self) -> dict[str, str]:
        """The portal's environment variables that put its files in this bucket."""
        return {
            "S3_BUCKET": self.name,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": KEYS["aws_access_key_id"],
            "S3_SECRET_ACCESS_KEY": KEYS["aws_secret_access_key"],
            "S3_ADDRESSING_STYLE": "path",
        }


@pytest.fixture
def bucket(s3_endpoint) -> Bucket:
    """A new, empty bucket of its own for one test."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION, **KEYS)
    name = f"portal-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    return Bucket(client=client, name=name, endpoint=s3_endpoint)


@pytest.fixture
def s3(settings, bucket, tmp_path) -> Iterator[Bucket]:
    """The portal's files in ``bucket``, as S3_* environment variables would configure it.

    MEDIA_ROOT points at a folder that does not exist, and must still not exist after
    the test: a file written to the local disk instead of the bucket fails it.
    """
    media = tmp_path / "no-local-files"
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "portal.storage.ObjectStorage",
            "OPTIONS": {
                "bucket_name": bucket.name,
                "endpoint_url": bucket.endpoint,
                "region_name": REGION,
                "addressing_style": "path",
                "location": "",
                "access_key": KEYS["aws_access_key_id"],
                "secret_key": KEYS["aws_secret_access_key"],
            },
        },
    }
    yield bucket
    assert not media.exists(), f"files were written to the local disk: {list(media.rglob('*'))}"
