"""The S3-compatible object store the portal keeps its files in when S3_BUCKET is set."""

from contextlib import contextmanager

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

from portal.files import StorageUnavailable

# A store that does not answer must not hold a web request or a worker for minutes
# (botocore waits 60 s per attempt by default): a few seconds to connect, a minute for a
# large PDF to arrive, and botocore's standard retries for a brief outage.
CONNECT_TIMEOUT_SECONDS = 5
READ_TIMEOUT_SECONDS = 60
MAX_ATTEMPTS = 3


@contextmanager
def _store_errors(action: str, name: str):
    try:
        yield
    except (BotoCoreError, ClientError) as exc:
        raise StorageUnavailable(f"The file store could not {action} {name!r}: {exc}") from exc


class ObjectStorage(S3Storage):
    """django-storages' S3 backend with the portal's fixed choices.

    - Private: no ACL is sent, so objects take the bucket's default (private); any URL
      made with ``url()`` is signed and expires in five minutes. The portal itself never
      hands out the store's URLs: downloads stream through its views, after their
      permission checks.
    - Never overwrite: a name already taken gets a suffix, as on the file system, so an
      issued proposal's bytes can never be replaced by another save.
    - Failures are :class:`StorageUnavailable` (an ``OSError``), raised when the file is
      opened: a read downloads the whole object at once (logos and PDFs are read whole
      anyway), so no store error surfaces later, half-way through a response.
    """

    def __init__(self, **options):  # noqa: D107
        options.setdefault(
            "client_config",
            Config(
                s3={"addressing_style": options.get("addressing_style")},
                # Signature version 4 everywhere (AWS and the other stores accept it; the
                # older version 2 that botocore may pick for signed URLs is being retired).
                signature_version="s3v4",
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                read_timeout=READ_TIMEOUT_SECONDS,
                retries={"max_attempts": MAX_ATTEMPTS, "mode": "standard"},
            ),
        )
        super().__init__(**options)

    def get_default_settings(self):  # noqa: D102
        return {
            **super().get_default_settings(),
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 300,
        }

    def _open(self, name, mode="rb"):
        with _store_errors("read", name):
            file = super()._open(name, mode)
            if "r" in mode:
                file.file  # noqa: B018 - downloads now, where a failure is caught above
        return file

    def _save(self, name, content):
        with _store_errors("store", name):
            return super()._save(name, content)

    def delete(self, name):  # noqa: D102
        with _store_errors("delete", name):
            super().delete(name)

    def exists(self, name):  # noqa: D102
        with _store_errors("look for", name):
            return super().exists(name)

    def size(self, name):  # noqa: D102
        with _store_errors("measure", name):
            return super().size(name)

    def listdir(self, name):  # noqa: D102
        with _store_errors("list", name):
            return super().listdir(name)
