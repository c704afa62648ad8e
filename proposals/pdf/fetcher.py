"""A WeasyPrint URL fetcher that serves only the app's own static files and data: URIs."""

import base64
import binascii
import contextlib
import functools
import hashlib
import io
import logging
import mimetypes
import os
import stat
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings

from weasyprint.urls import URLFetcher, URLFetcherResponse

from proposals.pdf import static_root

logger = logging.getLogger(__name__)

# What a proposal may load from static/: its stylesheets, fonts and images, nothing else.
ALLOWED_SUFFIXES = frozenset({".css", ".woff2", ".woff", ".ttf", ".otf", ".png", ".svg"})
# A logo is at most 1 MB; base64 adds a third. Anything bigger is not ours.
MAX_DATA_URI = 2 * 1024 * 1024


class FetchRefused(ValueError):
    """The document asked for something outside the allowlist."""


class StaticOnlyFetcher(URLFetcher):
    """Serves ``file://`` URLs inside static/ (fonts, CSS) and ``data:`` URIs; refuses the rest.

    WeasyPrint resolves relative URLs against ``base_url`` (static/), so the templates
    say ``css/fonts.css``. Anything else - ``http(s)://``, ``file:///etc/passwd``, a
    path that climbs out of static/ with ``..`` or a symlink, ``ftp:`` - is refused
    before any I/O happens. ``served`` and ``refused`` record what was asked for, so
    tests can prove that hostile content fetched nothing.
    """

    def __init__(self, root: Path | None = None):
        # No handlers matter: fetch() below never calls the urllib machinery.
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = (root or static_root()).resolve()
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:  # noqa: D102
        try:
            response = self._fetch(url)
        except FetchRefused:
            self.refused.append(url)
            logger.warning("Proposal renderer refused to fetch %.200s", url)
            raise
        self.served.append(url if not url.startswith("data:") else url[:40])
        return response

    def _fetch(self, url: str) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme != "file":
            raise FetchRefused(f"Only static files and data: URIs may be loaded, not {url!r}")
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"Remote file URL refused: {url!r}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.root) or path.suffix.lower() not in ALLOWED_SUFFIXES:
            raise FetchRefused(f"Outside the proposal's static files: {url!r}")
        if not path.is_file():
            raise FetchRefused(f"No such static file: {url!r}")
        if path.suffix.lower() == ".woff2":
            return URLFetcherResponse(
                path.as_uri(), body=woff2_as_sfnt(path), headers={"Content-Type": "font/ttf"}
            )
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mime}
        )

    def _data(self, url: str) -> URLFetcherResponse:
        if len(url) > MAX_DATA_URI:
            raise FetchRefused("data: URI too large")
        header, _, payload = url[5:].partition(",")
        mime, *params = header.split(";")
        try:
            if "base64" in params:
                body = base64.b64decode(payload, validate=True)
            else:
                body = unquote(payload).encode()
        except (binascii.Error, ValueError) as exc:
            raise FetchRefused("Malformed data: URI") from exc
        return URLFetcherResponse(
            "data:", body=body, headers={"Content-Type": mime or "text/plain"}
        )


@functools.cache
def woff2_as_sfnt(path: Path) -> bytes:
    """A vendored WOFF2 font decompressed once per host, and kept in memory per process.

    WeasyPrint would otherwise decompress every font on every render (about 0.2 s each in
    fontTools); the files are our own, fixed and few (six per family). A process that
    starts cold (a worker after a deploy or a crash) reads the fonts another process of
    the host decompressed from :func:`render_cache_dir`, checked against their SHA-256,
    and decompresses them itself only when no good copy is there.
    """
    data = path.read_bytes()
    key = hashlib.sha256(data).hexdigest()
    folder = render_cache_dir()
    if folder is not None:
        cached = _cached_sfnt(folder, key)
        if cached is not None:
            return cached
    sfnt = _decompress(data)
    if folder is not None:
        _store_sfnt(folder, key, sfnt)
    return sfnt


def _decompress(woff2_data: bytes) -> bytes:
    from fontTools.ttLib import woff2

    out = io.BytesIO()
    woff2.decompress(io.BytesIO(woff2_data), out)
    return out.getvalue()


def render_cache_dir() -> Path | None:
    """The host's private folder of decompressed fonts, or ``None`` when it is not safe.

    ``settings.RENDER_CACHE_DIR`` (by default ``portal-render-<uid>`` in the system's
    temporary folder; empty: no folder), created for this user alone (mode 0700). A font
    read from a folder that another user owns or may write to could be one they planted,
    so such a folder (or a symbolic link in its place) is not used: the fonts are then
    decompressed in memory, as if there were no cache.

    Returns:
        The folder, or ``None``.
    """
    if not settings.RENDER_CACHE_DIR:
        return None
    folder = Path(settings.RENDER_CACHE_DIR)
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(folder)  # not stat: a link planted in its place is refused
    except OSError as exc:
        logger.warning("Render cache %s cannot be used: %s", folder, exc)
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        logger.warning("Render cache %s is not this user's own folder: not used", folder)
        return None
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        logger.warning("Render cache %s may be written by others: not used", folder)
        return None
    return folder


def _cached_sfnt(folder: Path, key: str) -> bytes | None:
    """The font decompressed from the WOFF2 whose SHA-256 is ``key``, if a good copy is kept.

    Each copy's name ends with the SHA-256 of its own bytes: a copy cut short or damaged
    does not match it, and is deleted (the caller writes a good one).
    """
    for candidate in folder.glob(f"{key}-*.ttf"):
        expected = candidate.name[len(key) + 1 : -len(".ttf")]
        try:
            data = candidate.read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() == expected:
            return data
        logger.warning("Render cache: %s does not match its checksum; written again", candidate)
        with contextlib.suppress(OSError):
            candidate.unlink()
    return None


def _store_sfnt(folder: Path, key: str, sfnt: bytes) -> None:
    """Keep a decompressed font for the host's other processes, whole or not at all.

    Written to a temporary file in the same folder and renamed into place, so a process
    reading at the same moment sees the old state or the whole file, never part of it.
    """
    name = f"{key}-{hashlib.sha256(sfnt).hexdigest()}.ttf"
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(sfnt)
        os.replace(temporary, folder / name)
    except OSError as exc:
        logger.warning("Render cache: %s not kept: %s", name, exc)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
