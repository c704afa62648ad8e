"""Merge each vendored font's latin and latin-ext subsets into one file per weight, for PDFs.

Browsers pick a subset by its unicode-range; WeasyPrint embeds fonts keyed by family and
weight, so two subsets of one weight are written into the PDF as one font and the letters
of the second come out as wrong glyphs ("Łódź" printed as "Ýód"). The proposal therefore
loads one merged file per weight. Run once after updating the vendored subsets:

    .venv/bin/python scripts/merge_pdf_fonts.py
"""

import tempfile
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

FONTS = Path(__file__).resolve().parents[1] / "static" / "fonts"
FAMILIES = {"inter": "inter", "source-sans-3": "source-sans-3", "merriweather": "merriweather"}
WEIGHTS = ("400", "600", "700")


def merge(folder: Path, slug: str, weight: str) -> Path:
    """Write ``<slug>-<weight>-normal.woff2``: latin first, so its glyphs win on overlap."""
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for subset in ("latin", "latin-ext"):
            font = TTFont(folder / f"{slug}-{subset}-{weight}-normal.woff2")
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
