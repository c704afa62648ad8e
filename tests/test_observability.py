"""Operations: the health probe, request ids, JSON log lines and production settings."""

import json
import logging
import os
import subprocess
import sys
from unittest import mock

from django.db import connection

import pytest

from portal.observability import JsonFormatter, RequestIdFilter, request_id_var

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_any_host_without_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portal.example.com"]
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200


def test_healthz_is_503_when_the_database_is_down(client):
    with mock.patch.object(connection, "cursor", side_effect=Exception("connection refused")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_every_response_carries_a_request_id(client):
    response = client.get("/accounts/login/")
    assert len(response["X-Request-ID"]) == 32


def test_a_sane_request_id_from_the_proxy_is_kept_and_a_hostile_one_replaced(client):
    kept = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-12345678")
    assert kept["X-Request-ID"] == "lb-12345678"
    replaced = client.get("/accounts/login/", HTTP_X_REQUEST_ID="<script>\nx")
    assert replaced["X-Request-ID"] != "<script>\nx"


def test_log_lines_are_json_with_the_request_id():
    record = logging.LogRecord("portal", logging.INFO, __file__, 1, "hello %s", ("world",), None)
    token = request_id_var.set("abc123abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "hello world"
    assert line["request_id"] == "abc123abc123"
    assert line["level"] == "INFO"


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": "x" * 60 + "-production-like-secret-key-for-the-check",
        "ALLOWED_HOSTS": "portal.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path}/check.sqlite3",
    }
    for name in (
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "EMAIL_BACKEND",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)  # the test settings relax these for the test client and browser
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_database_outage_answers_503_not_a_server_error(world):
    from django.db import OperationalError
    from django.test import Client

    client = Client(raise_request_exception=False)  # as in production: no re-raise
    client.force_login(world.owner)
    with mock.patch(
        "assessments.views.staff.selectors.assessment_list",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    ):
        response = client.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Back in a moment" in response.content.decode()


def test_a_session_that_cannot_be_saved_during_an_outage_is_503_not_400(world):
    from django.contrib.sessions.backends.base import UpdateError
    from django.db import OperationalError
    from django.test import Client

    def unreachable(self, must_create=False):
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            raise UpdateError from None  # what Django's db session store does

    client = Client(raise_request_exception=False)
    client.force_login(world.owner)  # a fresh login is due for renewal: the page saves it
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.save", unreachable):
        response = client.get("/customers/")
    assert response.status_code == 503


def test_activity_renews_the_session_at_most_every_few_minutes(client, world):
    client.force_login(world.owner)
    client.get("/")
    first = client.session["_seen"]
    client.get("/customers/")
    assert client.session["_seen"] == first


def test_an_oversized_request_is_refused_before_it_is_read(client, world, settings):
    client.force_login(world.owner)
    response = client.post(
        "/customers/new/",
        data=b"x" * 100,
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "larger than 10 MB" in response.content.decode()


@pytest.mark.parametrize(
    "hops, header, expected",
    [
        (0, "203.0.113.9", "127.0.0.1"),  # no proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged left part is not believed
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "127.0.0.1"),  # fewer hops than proxies: keep the socket address
    ],
)
def test_the_client_address_behind_trusted_proxies(hops, header, expected, settings):
    from django.test import RequestFactory

    from portal.observability import ClientAddressMiddleware

    settings.TRUSTED_PROXIES = hops
    seen = {}
    middleware = ClientAddressMiddleware(lambda r: seen.setdefault("ip", r.META["REMOTE_ADDR"]))
    middleware(RequestFactory().get("/", HTTP_X_FORWARDED_FOR=header, REMOTE_ADDR="127.0.0.1"))
    assert seen["ip"] == expected


@pytest.mark.parametrize(
    ("token", "args_path", "record_path"),
    [
        # An invite's link, in the message's arguments and in the record's own path.
        ("Q64jfBIr-DnealwXrBQz-HOJ-VVROvZMN1kxmmKjxnY", "/i/{}/organisation/", "/i/{}/voice/"),
        # A customer's proposal link, the PDF download and the view itself.
        ("Zq8mH2v-XbWcLr0sT3uYk9nPq4aFgE1dJ6hK5iO7zRs", "/p/{}/proposal.pdf", "/p/{}/"),
    ],
)
def test_link_tokens_never_reach_the_logs(token, args_path, record_path):
    record = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
        (args_path.format(token),), None,
    )  # fmt: skip
    record.path = record_path.format(token)
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert token not in line
    assert args_path.format("…") in line
    assert record.path == record_path.format("…")
