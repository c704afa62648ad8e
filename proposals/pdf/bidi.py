"""Names in right-to-left and shaped scripts: kept whole in sentences, told apart for SVG."""

import unicodedata

# First Strong Isolate ... Pop Directional Isolate: the name is laid out on its own, its
# direction taken from its first letter, and the text around it keeps its order.
FSI, PDI = "\u2068", "\u2069"


def is_rtl(text: str) -> bool:
    """True when the text has a right-to-left letter (Arabic, Hebrew, Syriac, Thaana...)."""
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def isolated(name: str) -> str:
    """The name isolated for the bidi algorithm when it holds right-to-left letters.

    In "مكتب دبي · 40 users" the figure would otherwise join the Arabic run and print before
    it ("40 · مكتب دبي users"), and two Hebrew names listed with a comma would print in the
    wrong order. WeasyPrint has no ``unicode-bidi: isolate`` and lays out each text node on
    its own, so a name that is its own element (a table cell, a span) needs nothing; a name
    inside a sentence or a list gets the Unicode isolate marks, which print nothing. A
    name in left-to-right scripts is returned as it is (the PDF's bytes do not change).

    Args:
        name: A customer's, site's or partner's name.

    Returns:
        The name, between FSI and PDI when it has right-to-left letters.
    """
    if not name or name.startswith(FSI) or not is_rtl(name):
        return name
    return f"{FSI}{name}{PDI}"


def needs_shaping(text: str) -> bool:
    """True when the text prints right only if shaped as a whole (not letter by letter).

    Right-to-left letters (order, Arabic joining) and combining marks (Thai vowels and
    tones, Devanagari vowel signs and conjuncts) do; Latin, Cyrillic, Greek, Chinese,
    Japanese and precomposed Korean do not.
    """
    return is_rtl(text) or any(unicodedata.category(ch) in ("Mn", "Mc", "Me") for ch in text)
