"""Branding checks: logo type from content, an allowlist SVG sanitiser, and WCAG colour contrast."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only to build and serialise; parsing is defused

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 4096
MIN_CONTRAST_ON_WHITE_TEXT = 4.5  # WCAG 2.x AA for normal text
MIN_CONTRAST_GRAPHICS = 3.0  # WCAG 2.x AA for large or bold text and graphics

PNG = "image/png"
JPEG = "image/jpeg"
SVG = "image/svg+xml"
EXTENSIONS = {PNG: "png", JPEG: "jpg", SVG: "svg"}

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"

# Drawing elements only: no script, foreignObject, image, a, style, animate/set (which can
# rewrite href), iframe or anything else that runs code or loads a URL.
ALLOWED_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "linearGradient", "radialGradient", "stop", "clipPath", "mask",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = frozenset(
    {
        "id", "class", "version", "viewBox", "preserveAspectRatio", "width", "height",
        "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "dx", "dy",
        "d", "points", "pathLength", "transform", "offset",
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
        "stroke-opacity", "opacity", "color", "display", "visibility",
        "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
        "clip-path", "clip-rule", "clipPathUnits", "mask", "maskUnits", "maskContentUnits",
        "font-family", "font-size", "font-weight", "font-style", "text-anchor",
        "dominant-baseline", "letter-spacing", "word-spacing", "text-decoration",
        "style", "href",
    }
)  # fmt: skip
STYLE_PROPERTIES = frozenset(
    a for a in ALLOWED_ATTRIBUTES if a not in {"id", "class", "style", "href", "d", "points"}
)
INTERNAL_REF = re.compile(r"^#[A-Za-z_][\w.:-]*$")
INTERNAL_URL = re.compile(r"^url\(\s*['\"]?#[A-Za-z_][\w.:-]*['\"]?\s*\)$")
SAFE_VALUE = re.compile(r"^[\w\s#%.,:;()/+'\"-]*$")


class LogoError(ValueError):
    """The uploaded file is not an acceptable logo; the message says why."""


def sniff_image_type(data: bytes) -> str | None:
    """The MIME type of a logo judged from its bytes (never from its name or the browser).

    Args:
        data: The file content.

    Returns:
        ``image/png``, ``image/jpeg``, ``image/svg+xml`` or ``None``.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        return SVG
    return None


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _clean_style(value: str) -> str:
    kept = []
    for declaration in value.split(";"):
        prop, _, val = declaration.partition(":")
        prop, val = prop.strip().lower(), val.strip()
        if not prop or prop not in STYLE_PROPERTIES or not _safe_value(val):
            continue
        kept.append(f"{prop}:{val}")
    return ";".join(kept)


def _safe_value(value: str) -> bool:
    lowered = value.lower().replace(" ", "")
    if "url(" in lowered:
        return bool(INTERNAL_URL.match(value.strip()))
    if any(bad in lowered for bad in ("javascript:", "expression(", "@import", "\\")):
        return False
    return bool(SAFE_VALUE.match(value))


def _copy(source: ET.Element, removed: list[str]) -> ET.Element | None:
    ns, name = _local(source.tag)
    if ns not in ("", SVG_NS) or name not in ALLOWED_ELEMENTS:
        removed.append(f"<{name}>")
        return None
    target = ET.Element(f"{{{SVG_NS}}}{name}")
    for key, value in source.attrib.items():
        attr_ns, attr = _local(key)
        if attr_ns not in ("", XLINK_NS) or attr not in ALLOWED_ATTRIBUTES:
            removed.append(f"{attr}=")
            continue
        if attr_ns == XLINK_NS and attr != "href":
            removed.append(f"xlink:{attr}=")
            continue
        if attr == "href":
            if not INTERNAL_REF.match(value.strip()):
                removed.append("external href")
                continue
            target.set(f"{{{XLINK_NS}}}href", value.strip())
            continue
        if attr == "style":
            value = _clean_style(value)
            if not value:
                continue
        elif not _safe_value(value) and attr not in ("d", "points", "viewBox"):
            removed.append(f"{attr}=")
            continue
        target.set(attr, value)
    if name in ("title", "desc", "text", "tspan") and source.text:
        target.text = source.text
    for child in source:
        copied = _copy(child, removed)
        if copied is not None:
            if child.tail and name in ("text", "tspan"):
                copied.tail = child.tail
            target.append(copied)
    return target


def sanitize_svg(data: bytes) -> tuple[bytes, list[str]]:
    """Rebuild an SVG from an allowlist of drawing elements and attributes.

    Parsing is done by defusedxml, which refuses DTDs, entities and external references
    (no billion laughs, no XXE). The output is a fresh tree: only the elements and
    attributes on the allowlists survive; ``href`` only to ``#ids`` in the same file;
    ``style`` keeps presentation properties whose values have no ``url()`` but
    ``url(#id)``. Scripts, event handlers (``onload``...), ``foreignObject``, ``image``,
    links and ``<style>`` sheets are dropped.

    Args:
        data: The uploaded SVG.

    Returns:
        The sanitised SVG bytes and a list of what was removed.

    Raises:
        LogoError: The file is not a well-formed SVG.
    """
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ET.ParseError, ValueError) as exc:
        raise LogoError(f"This SVG cannot be read safely ({exc}).") from exc
    if _local(root.tag) != (SVG_NS, "svg"):
        raise LogoError("This file is not an SVG image (its root element is not <svg>).")
    removed: list[str] = []
    clean = _copy(root, removed)
    assert clean is not None
    if not clean.get("viewBox") and not (clean.get("width") and clean.get("height")):
        raise LogoError("The SVG needs a viewBox or a width and height, so it can be scaled.")
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(clean, encoding="utf-8", xml_declaration=True), removed


def validate_logo(data: bytes) -> tuple[bytes, str]:
    """Check an uploaded logo and return the bytes to store with their type.

    Args:
        data: The uploaded file's content.

    Returns:
        The bytes to store (an SVG is sanitised) and the MIME type.

    Raises:
        LogoError: Too large, not PNG/JPEG/SVG by content, unreadable or too many pixels.
    """
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError(
            f"The logo is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_LOGO_BYTES // 1024 // 1024} MB."
        )
    kind = sniff_image_type(data)
    if kind is None:
        raise LogoError("Upload a PNG, JPEG or SVG image (the file's content is none of these).")
    if kind == SVG:
        clean, _removed = sanitize_svg(data)
        return clean, kind
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise LogoError("This image is damaged or not a real PNG or JPEG.") from exc
    if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
        raise LogoError(
            f"The logo is {width}×{height} pixels; use at most {MAX_LOGO_PIXELS} on each side."
        )
    return data, kind


HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def is_hex_colour(value: str) -> bool:
    """Whether ``value`` is a ``#RRGGBB`` colour."""
    return bool(HEX_COLOUR.match(value or ""))


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#RRGGBB``."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio between two ``#RRGGBB`` colours, from 1 to 21.

    Args:
        a: One colour.
        b: The other.

    Returns:
        The ratio, e.g. 21.0 for black on white.
    """
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
