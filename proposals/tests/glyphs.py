"""Read back which glyphs a PDF draws, in which embedded font, and whether each has a shape."""

from __future__ import annotations

import io
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

FONT_PROGRAMS = ("/FontFile2", "/FontFile3", "/FontFile")
BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")


@dataclass(frozen=True)
class BlankGlyph:
    """A glyph drawn for visible text that has no shape: a box, or nothing, where a letter was."""

    font: str
    glyph_id: int
    text: str


def _to_unicode(font: DictionaryObject) -> dict[int, str]:
    """The font's glyph-to-text map (WeasyPrint writes ``bfchar`` entries only)."""
    if "/ToUnicode" not in font:
        return {}
    data = font["/ToUnicode"].get_object().get_data()
    return {
        int(gid, 16): bytes.fromhex(text.decode()).decode("utf-16-be", "replace")
        for gid, text in BFCHAR.findall(data)
    }


def _program(font: DictionaryObject) -> TTFont:
    """The embedded font file of a composite (Type0) font, read by fontTools."""
    descendant = font["/DescendantFonts"][0].get_object()
    descriptor = descendant["/FontDescriptor"].get_object()
    key = next(k for k in FONT_PROGRAMS if k in descriptor)
    return TTFont(io.BytesIO(descriptor[key].get_object().get_data()))


# What WeasyPrint writes: "/f3 1 Tf" selects a font, "[<00a1004c>-12<0032>]TJ" and "<..>Tj"
# show glyph ids (two bytes each, Identity-H), "/x2 Do" draws a form (a chart, a logo).
OPERATION = re.compile(
    rb"(/[^\s/\[\]<>()]+)\s+[-\d.]+\s+Tf|\[([^\]]*)\]\s*TJ|<([0-9A-Fa-f]*)>\s*Tj|(/[^\s/]+)\s+Do"
)
HEX = re.compile(rb"(?<!<)<([0-9A-Fa-f]*)>(?!>)")


def _shows(content: bytes, resources: DictionaryObject) -> Iterator[tuple[DictionaryObject, bytes]]:
    """Each string shown with its font, in this content and the forms it draws (charts)."""
    fonts = resources.get("/Font", {})
    xobjects = resources.get("/XObject", {})
    font = None
    for match in OPERATION.finditer(content):
        selected, array, single, drawn = match.groups()
        if selected:
            font = fonts[selected.decode()].get_object()
        elif array is not None or single is not None:
            strings = HEX.findall(array) if array is not None else [single]
            for string in strings:
                yield font, bytes.fromhex(string.decode())
        elif drawn:
            form = xobjects[drawn.decode()].get_object()
            if form.get("/Subtype") == "/Form":
                inner = form.get("/Resources", resources)
                if isinstance(inner, IndirectObject):
                    inner = inner.get_object()
                yield from _shows(form.get_data(), inner)


def blank_glyphs(data: bytes) -> list[BlankGlyph]:
    """Glyphs drawn for letters (not spaces) that have no outline in their embedded font.

    This is what a reader sees as a box or a gap: ``.notdef`` (glyph 0), or a glyph id the
    embedded font does not hold, which WeasyPrint uses for a character no font covers.

    Args:
        data: The PDF's bytes (fonts embedded as Type0 with Identity-H, as WeasyPrint writes).

    Returns:
        Each distinct blank glyph with its font and the text it stands for.
    """
    reader = PdfReader(io.BytesIO(data))
    used: dict[int, tuple[DictionaryObject, set[int]]] = {}
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font, string in _shows(page.get_contents().get_data(), resources):
            entry = used.setdefault(id(font), (font, set()))
            entry[1].update(int.from_bytes(string[i : i + 2]) for i in range(0, len(string), 2))
    blank = []
    for font, glyph_ids in used.values():
        program, texts = _program(font), _to_unicode(font)
        order, glyphs = program.getGlyphOrder(), program.getGlyphSet()
        for glyph_id in sorted(glyph_ids):
            text = texts.get(glyph_id, "")
            if text.isspace() or text == "":
                continue  # spaces, and the second glyph of a letter drawn in two (no text)
            if glyph_id == 0 or glyph_id >= len(order):
                blank.append(BlankGlyph(str(font["/BaseFont"]), glyph_id, text))
                continue
            pen = BoundsPen(glyphs)
            glyphs[order[glyph_id]].draw(pen)
            if pen.bounds is None:
                blank.append(BlankGlyph(str(font["/BaseFont"]), glyph_id, text))
    return blank


def embedded_fonts(data: bytes) -> dict[str, bool]:
    """The fonts ``pdffonts`` lists, without subset tags (``Inter-Bold``), and whether embedded."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        listing = subprocess.run(
            ["pdffonts", handle.name], capture_output=True, check=True, text=True
        ).stdout
    # name, type..., encoding, emb, sub, uni, object, generation: "emb" is 5th from the end.
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    return {row[0].rpartition("+")[2]: row[-5] == "yes" for row in rows}
