"""Country names and codes: django-countries for codes, Babel's CLDR names for reading."""

import re
import unicodedata
from functools import lru_cache

from django_countries import countries

# Names people write that no CLDR locale uses as the country's main name (CLDR's English
# says "Czechia", "Türkiye", "United Kingdom"...). Keys are normalised with ``_key``.
ALIASES = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "america": "US",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "the netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "turkey": "TR",
    "korea": "KR",
    "republic of korea": "KR",
    "russian federation": "RU",
    "uae": "AE",
    "emirates": "AE",
    "ivory coast": "CI",
    "swaziland": "SZ",
    "burma": "MM",
    "macedonia": "MK",
    "cape verde": "CV",
    "vatican": "VA",
}

_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f\u1e00-\u1eff]")


def _key(text: str) -> str:
    """A country name compared loosely: case, spacing, punctuation, Latin accents."""
    text = unicodedata.normalize("NFKD", str(text).replace("’", "'").casefold())
    kept: list[str] = []
    for char in text:
        # Accents are dropped on Latin letters only: on Cyrillic "ї" or "й" they are letters.
        if unicodedata.combining(char) and kept and _LATIN.match(kept[-1]):
            continue
        kept.append(char)
    text = unicodedata.normalize("NFC", "".join(kept))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _name_locales() -> list[str]:
    """Every CLDR language, with its script variants (``sr_Latn``), but not its regions."""
    from babel.localedata import locale_identifiers

    return [
        ident
        for ident in locale_identifiers()
        if "_" not in ident or (ident.count("_") == 1 and len(ident.split("_")[1]) == 4)
    ]


@lru_cache(maxsize=1)
def _name_lookup() -> dict[str, str]:
    """Normalised country name → alpha-2 code, built once per process (about 1.5 s).

    From Babel's territory names in every language it has, keeping only names that mean
    one country in every language (a name two codes share is no answer), then
    django-countries' English names and the aliases above.
    """
    from babel import Locale

    known = {code for code, _name in countries}
    by_name: dict[str, set[str]] = {}
    for ident in _name_locales():
        for code, name in Locale.parse(ident).territories.items():
            if code in known:
                by_name.setdefault(name, set()).add(code)
    found: dict[str, set[str]] = {}
    for name, codes in by_name.items():  # many languages share a spelling: normalise it once
        found.setdefault(_key(name), set()).update(codes)
    lookup = {key: codes.pop() for key, codes in found.items() if len(codes) == 1 and key}
    lookup.update(_english_lookup())
    return lookup


@lru_cache(maxsize=1)
def _english_lookup() -> dict[str, str]:
    """django-countries' English names and the aliases: most files need nothing more."""
    lookup = {_key(name): code for code, name in countries}
    lookup.update(ALIASES)
    return lookup


def country_code(text: str) -> str:
    """The alpha-2 code for a country typed any common way, "" when it is no country.

    Accepts alpha-2 and alpha-3 codes (``DE``, ``DEU``), numeric codes (``276``) and names
    in the languages CLDR knows (``Deutschland``, ``España``, ``Česko``, ``日本``), spelt
    with any case, spacing or Latin accents, plus aliases such as ``UK`` or ``Holland``.
    """
    text = " ".join(str(text).split())
    if not text:
        return ""
    upper = text.upper()
    if len(text) == 2 and text.isascii() and upper in countries:
        return upper
    if len(text) == 3 and text.isascii() and text.isalnum():
        code = country_alpha2(upper)
        if code:
            return code
    key = _key(text)
    return _english_lookup().get(key) or _name_lookup().get(key, "")


def parse_country(text: str) -> str:
    """The alpha-2 code of a country as a person typed it, "" for blank.

    The one reading of a typed country, shared by the forms and the site-list import so
    both accept the same spellings and refuse with the same words.

    Raises:
        ValueError: ``text`` names no country (the message says what to type).
    """
    text = text.strip()
    if not text:
        return ""
    code = country_code(text)
    if not code:
        raise ValueError(f"“{text}” is not a country: type its name or two-letter code (e.g. DE).")
    return code


def country_name(code: str) -> str:
    """The country's English name for a code (alpha-2, alpha-3 or numeric), "" for none.

    django-countries reads any text whose ``str.isdigit()`` is true as a numeric code and
    calls ``int()`` on it, which raises for digits such as "²": such text is no country.
    """
    try:
        return countries.name(code)
    except ValueError:
        return ""


def country_alpha2(code: str) -> str:
    """The alpha-2 code for a code (alpha-2, alpha-3 or numeric), "" for none."""
    try:
        return countries.alpha2(code)
    except ValueError:
        return ""
