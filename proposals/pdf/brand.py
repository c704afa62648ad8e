"""The partner's brand in the PDF: validated branding values, font faces and brand CSS."""

from __future__ import annotations

import functools
import re
from typing import Any, TypedDict

from tenancy.branding import DEFAULT_BRANDING, brand_text_colours
from tenancy.models import Font

HEX = re.compile(r"^#[0-9a-fA-F]{6}$")

# Where the brand's font has no glyph (a customer or site named in Chinese, Arabic, Thai...),
# each character prints in the first of these that has it, so every script prints and none
# as boxes. The one list of fallback fonts: the PDF's CSS and its charts read it from here.
# They are free Noto fonts from Debian (fonts-noto-core, fonts-noto-cjk), installed by the
# Dockerfile and scripts/setup.sh (PDF_FONT_PACKAGES); a test checks every one is there.
# Han characters shared by Chinese and Japanese take the Japanese forms (the CJK font
# named first): a name alone does not say its language.
SCRIPT_FALLBACKS = {
    "sans-serif": (
        "Noto Sans",  # Latin, Greek and Cyrillic letters the brand's files lack
        "Noto Sans Arabic",
        "Noto Sans Hebrew",
        "Noto Sans Thai",
        "Noto Sans Devanagari",
        "Noto Sans CJK JP",  # Chinese, Japanese and Korean
    ),
    "serif": (
        "Noto Serif",
        "Noto Naskh Arabic",
        "Noto Serif Hebrew",
        "Noto Serif Thai",
        "Noto Serif Devanagari",
        "Noto Serif CJK JP",
    ),
}


def _stack(family: str, generic: str) -> str:
    """The CSS font-family list: the brand's font, the script fallbacks, the generic family."""
    return ", ".join([f"'{family}'", *(f"'{f}'" for f in SCRIPT_FALLBACKS[generic]), generic])


FONT_FAMILIES = {
    Font.INTER: _stack("Inter", "sans-serif"),
    Font.SOURCE_SANS: _stack("Source Sans 3", "sans-serif"),
    Font.MERRIWEATHER: _stack("Merriweather", "serif"),
}


class Branding(TypedDict):
    """The partner's branding as frozen when the proposal was issued.

    Attributes:
        company_name: The partner's name as customers see it.
        primary_colour: ``#RRGGBB``; white text sits on it (cover, headings bar).
        accent_colour: ``#RRGGBB`` for rules and highlights.
        font: A :class:`~assessments.models.Font` value.
        contact_email: Partner contact, may be blank.
        contact_phone: Partner contact, may be blank.
        website: Partner website, may be blank.
        address: Postal address, may be blank.
        legal_footer: Printed at the foot of every page, may be blank.
        logo_data_uri: The logo as a ``data:`` URI, or ``""``.
    """

    company_name: str
    primary_colour: str
    accent_colour: str
    font: str
    contact_email: str
    contact_phone: str
    website: str
    address: str
    legal_footer: str
    logo_data_uri: str


def safe_branding(branding: dict[str, Any]) -> Branding:
    """Branding with every value the stylesheet uses re-validated (never trust stored CSS).

    Args:
        branding: Stored or submitted branding values.

    Returns:
        The branding with colours and font replaced by defaults when invalid.
    """
    clean = dict(branding)
    for key in ("primary_colour", "accent_colour"):
        if not HEX.match(str(clean.get(key, ""))):
            clean[key] = DEFAULT_BRANDING[key]
    if clean.get("font") not in FONT_FAMILIES:
        clean["font"] = DEFAULT_BRANDING["font"]
    logo = str(clean.get("logo_data_uri") or "")
    if not re.match(r"^data:image/(png|jpeg|svg\+xml);base64,[A-Za-z0-9+/=]+$", logo):
        logo = ""
    clean["logo_data_uri"] = logo
    for key in Branding.__annotations__:
        clean.setdefault(key, "")
    return Branding(**{k: clean[k] for k in Branding.__annotations__})


# The PDF's font files: latin and latin-ext merged into one file per weight
# (scripts/merge_pdf_fonts.py). WeasyPrint writes two unicode-range subsets of one weight
# into the PDF as a single font, and the letters of the second then print as wrong
# glyphs ("Łódź" came out as "Ýód"); browsers, which handle subsets, keep fonts.css.
FONT_FILES = {
    Font.INTER: "fonts/inter/inter",
    Font.SOURCE_SANS: "fonts/source-sans-3/source-sans-3",
    Font.MERRIWEATHER: "fonts/merriweather/merriweather",
}
FONT_WEIGHTS = (400, 600, 700)


@functools.cache
def _font_faces(font: str) -> str:
    # Only the chosen family: WeasyPrint loads (and decompresses) every @font-face it is
    # given, whether the document uses it or not.
    name = FONT_FAMILIES[font].split(",")[0]
    return "".join(
        f"@font-face {{ font-family: {name}; font-style: normal; font-weight: {weight}; "
        f"src: url({FONT_FILES[font]}-{weight}-normal.woff2) format('woff2'); }}\n"
        for weight in FONT_WEIGHTS
    )


def brand_css(branding: Branding) -> str:
    """CSS custom properties from validated branding (hex colours and a vetted font only)."""
    family = FONT_FAMILIES[branding["font"]]
    # Text on the brand colours is white, or black on a light colour (the cover, table
    # heads, numbered circles); the primary as text on white is darkened where it is light.
    text = brand_text_colours(branding["primary_colour"], branding["accent_colour"])
    return (
        _font_faces(branding["font"]) + f":root {{ --primary: {branding['primary_colour']}; "
        f"--accent: {branding['accent_colour']}; --font: {family}; "
        f"--on-primary: {text['on_primary']}; --on-accent: {text['on_accent']}; "
        f"--primary-text: {text['primary_text']}; --accent-text: {text['accent_text']}; }}\n"
        # Margin boxes do not inherit from the document, so the page gets the font itself.
        f"@page {{ font-family: {family}; }}"
    )
