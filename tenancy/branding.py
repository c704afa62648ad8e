"""Branding checks and defaults: logo type from content, an SVG sanitiser, WCAG colour contrast."""

from __future__ import annotations

import base64
import binascii
import io
import re
import xml.etree.ElementTree as ET  # noqa: S405 - only to build and serialise; parsing is defused

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from tenancy.models import Font

# What a page or PDF falls back to when a stored colour or font is missing or invalid.
DEFAULT_BRANDING = {"primary_colour": "#1F4E79", "accent_colour": "#2E8540", "font": Font.INTER}
MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_PIXELS = 4096
MIN_CONTRAST_ON_WHITE_TEXT = 4.5  # WCAG 2.x AA for normal text
MIN_CONTRAST_GRAPHICS = 3.0  # WCAG 2.x AA for large or bold text and graphics

# An SVG's cost to draw is not its file size: a <use>, mask or clip path draws what it
# points to again, so 1.2 KB of <use> fanning out 10 ways, 6 levels deep draws a million
# paths and kept a render busy for minutes (issue 12). Real logos stay far below these.
MAX_SVG_ELEMENTS = 5000  # in the file, and again once every reference is drawn out
MAX_SVG_REFERENCES = 500  # <use>, gradient templates and url(#id) paint, clip and mask
MAX_SVG_REFERENCE_DEPTH = 4  # a reference to something that refers on, and so on
MAX_SVG_NESTING = 64  # elements inside elements
MAX_SVG_EXPANDED_BYTES = 2 * 1024 * 1024  # the markup once every reference is drawn out
MAX_SVG_SIDE = 10_000  # width, height and viewBox size, in CSS pixels

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
URL_REFS = re.compile(r"url\(\s*['\"]?#([A-Za-z_][\w.:-]*)")
LENGTH = re.compile(
    r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*(px|pt|pc|mm|cm|in|em|ex|%)?\s*$"
)
# CSS pixels per unit (CSS Values 3, "absolute lengths"); em and ex at a 16 px font.
UNIT_PX = {"": 1, "px": 1, "pt": 4 / 3, "pc": 16, "mm": 96 / 25.4, "cm": 96 / 2.54, "in": 96}
UNIT_PX |= {"em": 16, "ex": 8}
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


def _check_nesting(root: ET.Element) -> None:
    # Before anything recursive runs: a file of nested <g> must not exhaust the stack.
    count, stack = 0, [(root, 1)]
    while stack:
        element, depth = stack.pop()
        count += 1
        if depth > MAX_SVG_NESTING:
            raise LogoError(
                f"This SVG nests elements more than {MAX_SVG_NESTING} deep. Simplify it in "
                "your drawing tool, or upload a PNG."
            )
        stack.extend((child, depth + 1) for child in element)
    if count > MAX_SVG_ELEMENTS:
        raise LogoError(
            f"This SVG has {count:,} elements; a logo may have at most {MAX_SVG_ELEMENTS:,}. "
            "Simplify it in your drawing tool, or upload a PNG."
        )


def _references(element: ET.Element) -> list[str]:
    """The ids an element draws again: its ``href`` and every ``url(#id)`` it paints with."""
    refs = []
    for key, value in element.attrib.items():
        if key == f"{{{XLINK_NS}}}href":
            refs.append(value[1:])
        else:
            refs.extend(URL_REFS.findall(value))
    return refs


def _own_bytes(element: ET.Element) -> int:
    attributes = sum(len(k) + len(v) + 4 for k, v in element.attrib.items())
    return len(element.tag) + attributes + len(element.text or "") + len(element.tail or "") + 5


def _px(value: str) -> float | None:
    """A width or height in CSS pixels; ``None`` for a percentage, ``auto`` or no value."""
    match = LENGTH.match(value or "")
    if not match or match.group(2) == "%":
        return None  # renderers size these from the page, not from the file
    return float(match.group(1)) * UNIT_PX[match.group(2) or ""]


def _check_dimensions(root: ET.Element) -> None:
    for element in root.iter(f"{{{SVG_NS}}}svg"):
        sides = [_px(element.get("width", "")), _px(element.get("height", ""))]
        if element.get("viewBox"):
            try:
                box = [float(n) for n in re.split(r"[\s,]+", element.get("viewBox").strip())]
            except ValueError:
                box = []
            if len(box) != 4 or box[2] <= 0 or box[3] <= 0:
                raise LogoError("This SVG's viewBox is not four numbers with a positive size.")
            sides += box[2:]
        for side in sides:
            if side is not None and not 0 <= side <= MAX_SVG_SIDE:  # also refuses inf and nan
                shown = f"{side:,.0f}" if side < 1e7 else "millions of"
                raise LogoError(
                    f"This SVG is {shown} pixels on one side; a logo may be at most "
                    f"{MAX_SVG_SIDE:,} on each side. Set a smaller width, height and viewBox."
                )


def _check_expansion(root: ET.Element) -> None:
    """Refuse a drawing whose references, drawn out, exceed the budget (memoised walk)."""
    elements = list(root.iter())
    by_id: dict[str, ET.Element] = {}
    for element in elements:
        by_id.setdefault(element.get("id", ""), element)
    # A reference to an id that is not there draws nothing; it costs nothing.
    refs = {id(e): [by_id[r] for r in _references(e) if r and r in by_id] for e in elements}
    total = sum(len(targets) for targets in refs.values())
    if total > MAX_SVG_REFERENCES:
        raise LogoError(
            f"This SVG has {total:,} references (<use>, gradients, masks, clip paths); a logo "
            f"may have at most {MAX_SVG_REFERENCES:,}. Flatten it, or upload a PNG."
        )
    too_deep = LogoError(
        f"This SVG's <use>, mask or clip-path references go more than "
        f"{MAX_SVG_REFERENCE_DEPTH} levels deep, or round in a loop. Flatten it (expand "
        "symbols and clones) in your drawing tool, or upload a PNG."
    )
    # Per element: (elements drawn, markup bytes drawn, reference levels below it).
    memo: dict[int, tuple[int, int, int]] = {}
    active: set[int] = set()

    def cost(element: ET.Element, hops: int) -> tuple[int, int, int]:
        key = id(element)
        if key in memo:
            if hops + memo[key][2] > MAX_SVG_REFERENCE_DEPTH:
                raise too_deep
            return memo[key]
        if key in active or hops > MAX_SVG_REFERENCE_DEPTH:
            raise too_deep
        active.add(key)
        count, size, depth = 1, _own_bytes(element), 0
        parts = [(child, 0) for child in element] + [(target, 1) for target in refs[key]]
        for part, hop in parts:
            c_count, c_size, c_depth = cost(part, hops + hop)
            count, size, depth = count + c_count, size + c_size, max(depth, c_depth + hop)
            if count > MAX_SVG_ELEMENTS or size > MAX_SVG_EXPANDED_BYTES:
                raise LogoError(
                    "Drawn out, this SVG's <use>, mask and clip-path references make more "
                    f"than {MAX_SVG_ELEMENTS:,} elements or {MAX_SVG_EXPANDED_BYTES // 2**20} "
                    "MB of drawing: small on disk, but it would take minutes to print. "
                    "Flatten it (expand symbols and clones) in your drawing tool, or upload "
                    "a PNG."
                )
        active.discard(key)
        memo[key] = (count, size, depth)
        return memo[key]

    cost(root, 0)


def check_svg_budget(root: ET.Element) -> None:
    """Refuse an SVG that would cost more to draw than a logo ever needs.

    Counted on the sanitised tree: its elements, its references (``<use>``, gradient
    templates, ``url(#id)`` fills, strokes, clip paths and masks), how deep references
    refer on (loops refused), the element count and markup size once every reference is
    drawn out (a memoised walk, so the count itself costs one pass), and its width, height
    and viewBox.

    Args:
        root: The ``<svg>`` element, nesting already checked.

    Raises:
        LogoError: Over a budget; the message says which and what to do.
    """
    _check_dimensions(root)
    _check_expansion(root)


def sanitize_svg(data: bytes) -> tuple[bytes, list[str]]:
    """Rebuild an SVG from an allowlist of drawing elements and attributes.

    Parsing is done by defusedxml, which refuses DTDs, entities and external references
    (no billion laughs, no XXE). The output is a fresh tree: only the elements and
    attributes on the allowlists survive; ``href`` only to ``#ids`` in the same file;
    ``style`` keeps presentation properties whose values have no ``url()`` but
    ``url(#id)``. Scripts, event handlers (``onload``...), ``foreignObject``, ``image``,
    links and ``<style>`` sheets are dropped. What is kept must fit the drawing budget of
    :func:`check_svg_budget`, so the stored file is bounded whatever renders it.

    Args:
        data: The uploaded SVG.

    Returns:
        The sanitised SVG bytes and a list of what was removed.

    Raises:
        LogoError: The file is not a well-formed SVG, or is over the drawing budget.
    """
    try:
        root = SafeET.fromstring(data, forbid_dtd=True)
    except (DefusedXmlException, ET.ParseError, ValueError) as exc:
        raise LogoError(f"This SVG cannot be read safely ({exc}).") from exc
    if _local(root.tag) != (SVG_NS, "svg"):
        raise LogoError("This file is not an SVG image (its root element is not <svg>).")
    _check_nesting(root)
    removed: list[str] = []
    clean = _copy(root, removed)
    assert clean is not None
    if not clean.get("viewBox") and not (clean.get("width") and clean.get("height")):
        raise LogoError("The SVG needs a viewBox or a width and height, so it can be scaled.")
    check_svg_budget(clean)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(clean, encoding="utf-8", xml_declaration=True), removed


def validate_logo(data: bytes, *, verify: bool = True) -> tuple[bytes, str]:
    """Check an uploaded logo and return the bytes to store with their type.

    Args:
        data: The uploaded file's content.
        verify: Also read a PNG or JPEG through to check every chunk (at upload); a
            stored raster is checked for its header, size and pixel count only.

    Returns:
        The bytes to store (an SVG is sanitised) and the MIME type.

    Raises:
        LogoError: Too large, not PNG/JPEG/SVG by content, unreadable, too many pixels,
            or an SVG over the drawing budget.
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
            if verify:
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise LogoError("This image is damaged or not a real PNG or JPEG.") from exc
    if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
        raise LogoError(
            f"The logo is {width}×{height} pixels; use at most {MAX_LOGO_PIXELS} on each side."
        )
    return data, kind


def logo_problem(data: bytes) -> str | None:
    """Why a stored logo may not be drawn under today's limits, or ``None`` when it may.

    A logo stored before a limit existed (or by an older sanitiser) is checked again
    before a render, so it is left out rather than allowed to stall the renderer.

    Args:
        data: The logo bytes as stored.

    Returns:
        The reason, as an upload would have been told, or ``None``.
    """
    try:
        # What matters here is the cost of drawing it (an SVG's budget, a raster's pixels);
        # a raster's every chunk was read through at upload and need not be again.
        validate_logo(data, verify=False)
    except LogoError as exc:
        return str(exc)
    return None


LOGO_URI = re.compile(r"^data:image/(?:png|jpeg|svg\+xml);base64,([A-Za-z0-9+/=]+)$")


def logo_uri_problem(uri: str) -> str | None:
    """Why a logo frozen into a proposal as a ``data:`` URI may not be drawn, or ``None``.

    Args:
        uri: The ``data:`` URI (a value that is not one is dropped by the renderer anyway).

    Returns:
        The reason, or ``None``.
    """
    if len(uri) > MAX_LOGO_BYTES * 4 // 3 + 64:
        return f"The logo is larger than {MAX_LOGO_BYTES // 1024 // 1024} MB."
    match = LOGO_URI.match(uri)
    if not match:
        return None
    try:
        data = base64.b64decode(match.group(1), validate=True)
    except (binascii.Error, ValueError):
        return "The logo cannot be read."
    return logo_problem(data)


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


# Text on a brand colour is white or black, whichever reads: white where it reaches WCAG
# AA (so every colour accepted before keeps its look), black otherwise. One of the two
# always reaches 4.5:1 on a 24-bit colour (the worst case, a luminance near 0.18, gives
# about 4.6:1 both ways), so no colour needs refusing; the check stays for the rule's sake.
TEXT_WHITE = "#FFFFFF"
TEXT_DARK = "#000000"


def text_colour_on(background: str, minimum: float = MIN_CONTRAST_ON_WHITE_TEXT) -> str:
    """The colour text on ``background`` should have: white if it reads, else black.

    Args:
        background: ``#RRGGBB``.
        minimum: the contrast white must reach to be chosen.

    Returns:
        ``TEXT_WHITE`` or ``TEXT_DARK``.
    """
    if contrast_ratio(background, TEXT_WHITE) >= minimum:
        return TEXT_WHITE
    dark = contrast_ratio(background, TEXT_DARK)
    return TEXT_DARK if dark > contrast_ratio(background, TEXT_WHITE) else TEXT_WHITE


def readable_text_contrast(background: str) -> float:
    """The contrast of the text colour chosen for ``background`` (``text_colour_on``)."""
    return contrast_ratio(background, text_colour_on(background))


def colour_as_text_on_white(colour: str, minimum: float = MIN_CONTRAST_ON_WHITE_TEXT) -> str:
    """``colour`` darkened just enough to be read as text on white (links, outlines, headings).

    A light brand colour makes a fine background but unreadable text; it is mixed with
    black in 5 % steps until it reaches ``minimum`` (black itself, at worst, reaches 21:1).

    Args:
        colour: ``#RRGGBB``.
        minimum: the contrast on white to reach.

    Returns:
        ``#RRGGBB``: the colour itself when it reads already.
    """
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(21):
        keep = 1 - step / 20
        shade = f"#{round(r * keep):02X}{round(g * keep):02X}{round(b * keep):02X}"
        if contrast_ratio(shade, TEXT_WHITE) >= minimum:
            return shade if step else colour
    return TEXT_DARK


def brand_text_colours(primary: str, accent: str) -> dict[str, str]:
    """The text colours that go with a brand's two colours, for pages and the PDF.

    Args:
        primary: ``#RRGGBB`` (header, buttons, the PDF cover and table heads).
        accent: ``#RRGGBB`` (step numbers and highlights).

    Returns:
        ``on_primary``, ``on_accent`` (text on them), ``primary_text`` and
        ``accent_text`` (each as text on white) and ``shade`` (what hover states mix in:
        away from the text).
    """
    on_primary = text_colour_on(primary)
    return {
        "on_primary": on_primary,
        "on_primary_rgb": "255, 255, 255" if on_primary == TEXT_WHITE else "0, 0, 0",
        "on_accent": text_colour_on(accent),
        "primary_text": colour_as_text_on_white(primary),
        "accent_text": colour_as_text_on_white(accent),
        "shade": "black" if on_primary == TEXT_WHITE else "white",
    }
