"""Plain words for the PDF's reader: no glyph the fonts lack, no developer's names."""

from __future__ import annotations

import functools
import re

from assessments.countries import country_name
from assessments.readiness_text import without_internal_refs

# The vendored font subsets (Latin) have no arrow or comparison glyphs: say them in words.
IN_WORDS = ((" → ", " to "), ("→", "to"), ("≈ ", "about "), ("≥ ", "at least "), ("≤ ", "at most "))
# Results scored before the engine's notes were worded for a customer marked estimates in
# capitals, as the sources do: say what they are.
UNCONFIRMED_IN_WORDS = (
    ("are UNCONFIRMED assumptions", "are estimates to confirm"),
    ("(an UNCONFIRMED planning assumption)", "(a planning assumption to confirm)"),
    ("(UNCONFIRMED duration)", "(a typical duration: ask the carrier)"),
    ("(durations UNCONFIRMED)", "(typical durations: ask each provider)"),
)


def country(code: str) -> str:
    """A country's name from its code, the code when unknown, a dash when blank."""
    return country_name(code) or code or "—"


# A large estate repeats the same few thousand messages tens of thousands of times (500
# sites: 26,000 calls, 2,900 texts for the workbook); each process keeps the latest ones.
@functools.lru_cache(maxsize=4096)
def plain(text: str) -> str:
    """An engine message as a customer reads it: in words, without file or constant names."""
    # Section numbers and the notes' file name mean nothing to a customer: each finding's
    # Microsoft page stands beside it instead.
    for symbol, words in (*IN_WORDS, *UNCONFIRMED_IN_WORDS):
        text = text.replace(symbol, words)
    text = re.sub(r" \(ruleset\.[^)]*\)", "", text)  # constant names are for developers
    text = text.replace("not in domain.md", "no Microsoft figure")
    return without_internal_refs(text)
