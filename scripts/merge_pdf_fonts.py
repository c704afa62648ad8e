"""Merge each vendored font's script subsets into one file per weight, for PDFs.

The subsets are Latin, Latin Extended, Vietnamese, Cyrillic and Greek (where the family
has them).

Browsers pick a subset by its unicode-range; WeasyPrint embeds fonts keyed by family and
weight, so two subsets of one weight are written into the PDF as one font and the letters
of the second come out as wrong glyphs ("Łódź" printed as "Ýód"). The proposal therefore
loads one merged file per weight. The subsets are fontsource's (npm @fontsource/<family>,
the same version as the web's latin files). Run once after updating them:

    .venv/bin/python scripts/merge_pdf_fonts.py
"""

import tempfile
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
FAMILIES = {"inter": "inter", "source-sans-3": "source-sans-3", "merriweather": "merriweather"}
WEIGHTS = ("400", "600", "700")
# Latin first: on a character two subsets share, the first file's glyph wins.
SUBSETS = ("latin", "latin-ext", "vietnamese", "cyrillic", "greek")


def merge(folder: Path, slug: str, weight: str) -> Path:
    """Write ``<slug>-<weight>-normal.woff2`` from the subsets the family has."""
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for subset in SUBSETS:
            source = folder / f"{slug}-{subset}-{weight}-normal.woff2"
            if not source.exists():  # Merriweather has no Greek
                continue
            font = TTFont(source)
            font.flavor = None  # the merger reads plain TrueType
            path = Path(tmp, f"{subset}.ttf")
            font.save(path)
            parts.append(str(path))
        merged = Merger().merge(parts)
    merged.flavor = "woff2"
    target = folder / f"{slug}-{weight}-normal.woff2"
    merged.save(target)
    return target


def main() -> None:
    """Merge every family and weight; print the files written."""
    for folder, slug in FAMILIES.items():
        for weight in WEIGHTS:
            print(merge(FONTS / folder, slug, weight).relative_to(FONTS.parent))


if __name__ == "__main__":
    main()
