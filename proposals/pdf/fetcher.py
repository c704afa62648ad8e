"""A WeasyPrint URL fetcher that serves only the app's own static files and data: URIs."""

import base64
import binascii
import functools
import io
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

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
    """A vendored WOFF2 font decompressed once per process (about 0.2 s each in fontTools).

    WeasyPrint would otherwise decompress every font on every render; the files are our
    own, fixed and few (six per family), so keeping them in memory is cheap.
    """
    from fontTools.ttLib import woff2

    out = io.BytesIO()
    with path.open("rb") as handle:
        woff2.decompress(handle, out)
    return out.getvalue()
