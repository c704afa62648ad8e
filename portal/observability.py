"""Request ids on every request and log line, JSON log lines, and the /healthz probe."""

import contextvars
import json
import logging
import re
import sys
import time
import uuid

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_log = logging.getLogger("portal.access")


class ClientAddressMiddleware:
    """Behind trusted proxies, take the client's address from X-Forwarded-For.

    Login lockout and the invite rate limit count per address; behind a TLS proxy every
    request would otherwise come from the proxy. Only the last TRUSTED_PROXIES hops are
    believed: anything a client writes into the header itself stays to their left.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.hops = settings.TRUSTED_PROXIES
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: D102
        if self.hops:
            chain = [
                part.strip()
                for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if part.strip()
            ]
            if len(chain) >= self.hops:
                request.META["REMOTE_ADDR"] = chain[-self.hops]
        return self.get_response(request)


class RequestIdMiddleware:
    """Give each request an id (or keep a sane one from a proxy) and log one access line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: D102
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        request.request_id = request_id
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# Invite links (/i/) and proposal links (/p/) carry their token in the path; whoever
# reads the logs must not get them.
_INVITE_TOKEN = re.compile(r"/([ip])/[A-Za-z0-9_-]{16,}")


def redact(text: str) -> str:
    """The text with invite and proposal link tokens in paths replaced by an ellipsis."""
    return _INVITE_TOKEN.sub(r"/\1/…", text)


class RequestIdFilter(logging.Filter):
    """Stamp every log record with the id of the request being served; hide link tokens."""

    def filter(self, record: logging.LogRecord) -> bool:  # noqa: D102
        record.request_id = request_id_var.get()
        message = record.getMessage()
        if "/i/" in message or "/p/" in message:
            record.msg, record.args = redact(message), ()
        if isinstance(getattr(record, "path", None), str):
            record.path = redact(record.path)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id and extra fields."""

    _EXTRA = ("method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:  # noqa: D102
        line = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key in self._EXTRA:
            if hasattr(record, key):
                line[key] = getattr(record, key)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def _database_errors() -> tuple[type[Exception], ...]:
    from django.db import InterfaceError, OperationalError

    return (OperationalError, InterfaceError)


def note_database_failure(sender, request=None, **kwargs) -> None:
    """Mark a request whose failure was the database being unreachable (signal receiver)."""
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, _database_errors()):
        request.database_unavailable = True


class DatabaseUnavailableMiddleware:
    """Answer 503 with a retry hint, not a server error, while the database is away.

    A PostgreSQL restart or fail-over cuts every open connection; requests in flight fail
    once (in the view or when the session is saved), then CONN_HEALTH_CHECKS reconnects.
    Any layer's failure is seen through the got_request_exception signal.
    """

    def __init__(self, get_response):
        from django.core.signals import got_request_exception

        got_request_exception.connect(note_database_failure, dispatch_uid="portal-db-failure")
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: D102
        from django.template.loader import render_to_string

        response = self.get_response(request)
        if response.status_code < 500 or not getattr(request, "database_unavailable", False):
            return response
        logging.getLogger("portal.health").warning("database unavailable: %s", request.path)
        if request.headers.get("HX-Request") or request.path.startswith("/api/"):
            response = JsonResponse({"error": "The portal is briefly unavailable."}, status=503)
        else:
            response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response


class SlidingSessionMiddleware:
    """Extend a signed-in session on activity, writing it at most every few minutes.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would cost a database
    write per page view; this keeps the sliding expiry with one write per interval.
    """

    INTERVAL = 300  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: D102
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get("_seen", 0) > self.INTERVAL:
                request.session["_seen"] = now
        return self.get_response(request)


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than MAX_REQUEST_MB before anything reads it (413).

    Django's own limits apply after the body has been received (the CSRF check reads it
    first); this answers from the Content-Length header alone.
    """

    def __init__(self, get_response):
        from django.conf import settings

        self.limit = settings.MAX_REQUEST_BYTES
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: D102
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.limit:
            message = f"This upload is larger than {self.limit // (1024 * 1024)} MB."
            if request.path.startswith("/api/") or request.headers.get("HX-Request"):
                return JsonResponse({"error": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class HealthCheckMiddleware:
    """Answer /healthz before host checks and HTTPS redirects, so probes by IP work."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:  # noqa: D102
        if request.path == "/healthz":
            return healthz(request)
        return self.get_response(request)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure means "not ready"
        logging.getLogger("portal.health").warning("database check failed: %s", exc)
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
