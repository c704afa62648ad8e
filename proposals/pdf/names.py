"""Names as the PDF prints them: isolated when right to left, shortened in the middle."""

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


# Past this many characters a name is shortened in the dense tables (readiness, resilience,
# designs, answers): a column a fifth of the page wide then holds it in two or three lines.
SHORT_NAME = 36


def short_name(name: str, limit: int = SHORT_NAME) -> str:
    """A long name with its middle left out, keeping the start and the distinguishing end.

    Names of one estate often differ only at the end ("Warsaw Sales Office North" and
    "... South"): cutting the end would print four rows of "Warsaw Sales". The full name
    is printed where the site has a row of its own (section 3, the annex).

    Args:
        name: A site's name.
        limit: The longest name printed whole.

    Returns:
        The name, or its first and last words around an ellipsis, e.g.
        ``"Zentrales … Bremerhaven-Geestemünde"``; words are cut only when one alone is longer
        than half the limit.
    """
    if len(name) <= limit:
        return name
    words = name.split()
    head: list[str] = []
    while words and len(" ".join([*head, words[0]])) <= limit // 2 - 2:
        head.append(words.pop(0))
    start = " ".join(head) or name[: limit // 2 - 2]
    room = limit - len(start) - 3  # what the end may take beside the start and " … "
    tail: list[str] = []
    while words and len(" ".join([words[-1], *tail])) <= room:
        tail.insert(0, words.pop())
    end = " ".join(tail) or name[-room:]
    return f"{start} … {end}"
