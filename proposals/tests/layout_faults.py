"""Layout faults a reader sees in a rendered PDF, found from where poppler places each word."""

from __future__ import annotations

import html
import re
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass

MM = 72 / 25.4
NS = "{http://www.w3.org/1999/xhtml}"
# The page's body: below the running header (the top margin is 20-22 mm) and above the
# footer (22-24 mm); the margins are the proposal's own (templates/pdf/proposal/base.html).
HEADER_BELOW = 20 * MM
FOOTER_ABOVE = 22 * MM
# A page whose body text covers less than this share of the body's height is nearly empty.
NEARLY_EMPTY = 0.12


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    height: float
    words: list[Word]  # the body's words, in poppler's reading order
    blocks: list[str]  # the body's blocks of text, each as one line


def read_pages(data: bytes) -> list[Page]:
    """Every page's body words and text blocks (``pdftotext -bbox-layout``)."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout
    root = ET.fromstring(out)
    pages = []
    for number, page in enumerate(root.iter(f"{NS}page"), start=1):
        height = float(page.get("height"))
        words, blocks = [], []
        for block in page.iter(f"{NS}block"):
            inside = []
            for w in block.iter(f"{NS}word"):
                word = Word(
                    w.text or "", *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))
                )
                if word.y0 >= HEADER_BELOW and word.y1 <= height - FOOTER_ABOVE + 1:
                    inside.append(word)
            if inside:
                words.extend(inside)
                blocks.append((min(w.y0 for w in inside), max(w.y1 for w in inside), inside))
        blocks.sort(key=lambda b: (b[1], b[0]))
        pages.append(Page(number, height, words, [" ".join(w.text for w in b[2]) for b in blocks]))
    return pages


def headings(document_html: str) -> set[str]:
    """The text of every heading of the HTML the PDF was made from (h1 to h4, site heads)."""
    found = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", document_html, flags=re.S)
    texts = {" ".join(html.unescape(re.sub(r"<[^>]+>", " ", h)).split()) for h in found}
    return {t for t in texts if t}


def column_headers(document_html: str) -> set[str]:
    """Each word of the tables' column headers, upper-cased as printed."""
    found = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', document_html, flags=re.S)
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", h)) for h in found).upper().split()
    return {w.strip("().,") for w in words if len(w.strip("().,")) > 2}


def orphaned_headings(pages: list[Page], titles: set[str]) -> list[str]:
    """Pages whose last text is a heading: its section starts on the next page."""
    faults = []
    for page in pages[:-1]:
        if page.blocks and page.blocks[-1] in titles:
            faults.append(f"page {page.number}: heading {page.blocks[-1]!r} left at its foot")
    return faults


def nearly_empty_pages(pages: list[Page], deliberate: set[int]) -> list[str]:
    """Pages whose text covers under :data:`NEARLY_EMPTY` of the body (a row or two spilled)."""
    faults = []
    for page in pages:
        if page.number in deliberate or not page.words:
            continue
        body = page.height - HEADER_BELOW - FOOTER_ABOVE
        filled = (max(w.y1 for w in page.words) - min(w.y0 for w in page.words)) / body
        if filled < NEARLY_EMPTY:
            faults.append(f"page {page.number}: {filled:.0%} filled: {page.blocks[:2]}")
    return faults


def _followed_on_its_line(word, words) -> bool:
    """Whether another word follows ``word`` a space away on its line: it does not end there.

    A word broken at its cell's edge is the last on its line; the next cell's text is at
    least the cells' padding away, wider than a space.
    """
    space = 0.6 * (word.y1 - word.y0)
    return any(abs(other.y0 - word.y0) < 1 and 0 <= other.x0 - word.x1 < space for other in words)


def split_words(pages: list[Page], vocabulary: set[str]) -> list[str]:
    """Words of ``vocabulary`` (upper case) broken over two lines: "SOURC" above "E"."""
    faults = []
    for page in pages:
        for a in page.words:
            for b in page.words:
                below = 0 <= b.y0 - a.y1 < (a.y1 - a.y0) and abs(b.x0 - a.x0) < 3
                joined = (a.text.rstrip("-") + b.text).upper()
                if below and joined in vocabulary and a.text.upper() not in vocabulary:
                    if _followed_on_its_line(a, page.words):
                        continue  # running text whose words happen to line up ("are" / "a")
                    faults.append(f"page {page.number}: {a.text!r} / {b.text!r}")
    return faults


def overlapping_words(pages: list[Page]) -> list[str]:
    """Words printed over others: text run out of its cell, cut there or drawn across the next."""
    faults = []
    for page in pages:
        words = sorted(page.words, key=lambda w: w.y0)
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if b.y0 >= a.y1:
                    break
                width = min(a.x1, b.x1) - max(a.x0, b.x0)
                height = min(a.y1, b.y1) - max(a.y0, b.y0)
                smaller = min((a.x1 - a.x0) * (a.y1 - a.y0), (b.x1 - b.x0) * (b.y1 - b.y0))
                if width > 0 and height > 0 and width * height > 0.2 * smaller:
                    faults.append(f"page {page.number}: {a.text!r} over {b.text!r}")
    return faults
