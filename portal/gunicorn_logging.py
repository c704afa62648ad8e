"""gunicorn's logger with invite tokens hidden from every access-log field."""

from gunicorn.glogging import Logger

from portal.observability import redact


class RedactingLogger(Logger):
    """Access-log atoms (request line, path, Referer, any header) with invite tokens redacted.

    The image leaves gunicorn's access log off (the app writes one redacted line a request);
    this class keeps tokens out even when an operator turns it on with ``--access-logfile``.
    """

    def atoms(self, resp, req, environ, request_time):  # noqa: D102
        return {
            key: redact(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }
