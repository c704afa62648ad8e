"""One cell of a site list: numbers, dates, choices and countries as people type them; formulas."""

import re
from datetime import date
from functools import lru_cache
from typing import Any

from assessments.countries import parse_country
from imports.services.columns import SITE_COLUMN_BY_KEY, Column, normalise
from imports.services.spreadsheets import AmbiguousNumber, BadCell, SheetNumber, read_number

MAX_CELL_CHARS = 5_000  # longer than any field allows (notes aside): a pasted blob, not data


# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


# Extra spellings people use for choice values, by field (the codes and labels always work).
_YES = ("y", "true", "1", "x", "ja", "oui", "si")
_NO = ("n", "false", "0", "nein", "non")
_UNKNOWN = ("", "unknown", "?", "dk", "n a", "na", "not known", "tbd", "tbc", "unsure")
_BYPASS = {
    "none": ("no", "no proxy", "no vpn", "not present"),
    "bypassed": ("bypass", "bypasses", "split tunnel", "split tunnelled", "excluded"),
    "through": ("yes", "goes through", "through it", "inline", "full tunnel"),
}
_CHOICE_SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "internet_breakout": {
        "local": ("local breakout", "yes", "direct", "dia"),
        "backhaul": ("backhauled", "central", "centralised", "centralized", "hub", "no"),
    },
    "proxy": _BYPASS,
    "vpn": _BYPASS,
    "qos": {
        "end_to_end": ("yes", "end to end", "full", "everywhere"),
        "partial": ("partly", "lan only", "partially", "some"),
        "none": ("no", "no qos"),
    },
    "wifi": {
        "enterprise_5ghz": ("5ghz", "5 ghz", "enterprise", "managed 5ghz", "managed"),
        "managed_24ghz": ("2 4ghz", "2 4 ghz", "24ghz", "managed 2 4ghz"),
        "unmanaged": ("consumer", "unmanaged consumer grade"),
        "wired_only": ("wired", "none", "no", "no wifi", "ethernet"),
    },
    "emergency_address_ready": {
        "ready": ("yes", "done", "complete"),
        "partial": ("partly", "partially", "some"),
        "not_ready": ("no", "not ready", "missing"),
    },
    "regulation": {"toll_bypass": ("toll bypass", "india"), "none": ("no",)},
}
_CIRCUIT_KIND_SYNONYMS = {
    "dia": ("fibre", "fiber", "dedicated", "dedicated internet", "leased line", "ftth"),
    "broadband": ("dsl", "adsl", "vdsl", "cable", "business broadband", "docsis"),
    "mpls": ("wan", "private wan", "mpls private wan", "ipvpn", "ip vpn"),
    "cellular": ("lte", "4g", "5g", "lte 5g", "mobile", "cellular lte 5g"),
    "satellite": ("sat", "starlink", "vsat"),
}


class CellError(ValueError):
    """A cell's value is not acceptable; the message is shown after "line N, column X:"."""


def unquote_formula(text: str) -> str:
    """Undo export's neutralising quote: ``'=SUM(A1)`` becomes ``=SUM(A1)``."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def neutralise(value: Any) -> Any:
    """A cell value safe to open in a spreadsheet: text that would run as a formula is quoted.

    Numbers and dates are returned unchanged, so they stay numbers.
    """
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def format_number(value: float) -> str:
    """A number for a message: "1,000", "0.5"."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


_UNIT_SUFFIX = re.compile(r"\s*(mbit/s|mbps|mb/s|mb|kbps|ms|msec|%|percent|users?)\s*$", re.I)


def without_unit(text: str) -> str:
    """A number's text without the unit typed after it: "42 ms" → "42"."""
    return _UNIT_SUFFIX.sub("", text.strip()).strip()


_PERCENT_KEYS = ("peak_concurrency", "_loss_pct", "_reorder_pct")


def _ambiguity(text: str) -> str:
    mark = "." if "." in text else ","
    as_decimal = float(text.replace(",", "."))
    as_thousands = float(text.replace(",", "").replace(".", ""))
    readings = f"{format_number(as_decimal)} or {format_number(as_thousands)}"
    return (
        f"“{text}” could be {readings}: nothing else in the "
        f"file shows whether “{mark}” marks decimals or thousands. Write the number without "
        "the separator, or choose the number format when you upload the file"
    )


def parse_number(text: str, *, whole: bool, decimal: str | None = None) -> float | int:
    """A number typed the ways people do: ``1 000``, ``0,5``, ``42 ms``, ``0.5%``, ``1.234,5``.

    Args:
        text: the cell; a ``SheetNumber`` is read exactly, without any locale.
        whole: refuse fractions.
        decimal: the file's decimal mark ("dot" or "comma") when known; without it a
            number such as ``3.000`` (3, or 3000 in German) is refused, never guessed.

    Raises:
        CellError: not a number, a fraction where a whole number is needed, or ambiguous.
    """
    raw = text
    try:
        if isinstance(text, SheetNumber):
            number = float(text.rstrip("%"))
        else:
            text = without_unit(text)
            number = read_number(text, decimal)
    except AmbiguousNumber as exc:
        raise CellError(_ambiguity(str(exc))) from None
    except ValueError:
        raise CellError(f"“{short_text(raw)}” is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(f"“{short_text(raw)}” is not a number")
    if whole:
        if not number.is_integer():
            raise CellError(f"{short_text(raw)} is not a whole number")
        return int(number)
    return number


def parse_date(text: str) -> date:
    """A date as ISO (2026-03-01), day.month.year, or day/month/year when unambiguous."""
    text = text.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})", text)
    if match:
        first, sep, second, year = match.groups()
        a, b, y = int(first), int(second), int(year)
        if sep == "." or a > 12:
            day, month = a, b
        elif b > 12:
            month, day = a, b
        else:
            raise CellError(f"“{text}” could be day/month or month/day: write it as YYYY-MM-DD")
        try:
            return date(y, month, day)
        except ValueError:
            pass
    raise CellError(f"“{short_text(text)}” is not a date: write it as YYYY-MM-DD")


@lru_cache(maxsize=4096)
def country_code(text: str) -> str:
    """The ISO code of a country typed by name or code ("Deutschland" → "DE")."""
    try:
        return parse_country(text)
    except ValueError as exc:
        raise CellError(str(exc).rstrip(".")) from None


def _choice_lookup(column: Column) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in column.choices:
        lookup[normalise(value)] = value
        lookup[normalise(label)] = value
    if column.key in SITE_COLUMN_BY_KEY and {"yes", "no", "unknown"} <= {
        v for v, _ in column.choices
    }:
        lookup.update({normalise(s): "yes" for s in _YES})
        lookup.update({normalise(s): "no" for s in _NO})
    for value, spellings in _CHOICE_SYNONYMS.get(column.key, {}).items():
        lookup.update({normalise(s): value for s in spellings})
    if column.attr == "kind":
        for value, spellings in _CIRCUIT_KIND_SYNONYMS.items():
            lookup.update({normalise(s): value for s in spellings})
    if "unknown" in lookup.values():
        lookup.update({normalise(s): "unknown" for s in _UNKNOWN})
    if column.key == "measurement_tool":
        lookup.update({"": "", "none": "", "nat": "nat", "network assessment tool": "nat"})
    return lookup


_CHOICE_LOOKUPS: dict[str, dict[str, str]] = {}


def parse_choice(column: Column, text: str) -> str:
    """The stored code of a choice typed as its code, its label or a common synonym."""
    lookup = _CHOICE_LOOKUPS.get(column.key)
    if lookup is None:
        lookup = _CHOICE_LOOKUPS[column.key] = _choice_lookup(column)
    value = lookup.get(normalise(text))
    if value is None:
        accepted = ", ".join(f"“{label}”" for v, label in column.choices if v)
        raise CellError(f"“{short_text(text)}” is not one of {accepted}")
    return value


def short_text(text: str, limit: int = 40) -> str:
    """A cell shortened for a message, with "…" when it was cut."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_percent(column: Column) -> bool:
    return column.key == "peak_concurrency" or column.key.endswith(_PERCENT_KEYS)


def parse_cell(column: Column, text: str, decimal: str | None = None) -> Any:
    """The clean value of one cell (JSON-able), or ``None`` when the cell is blank.

    Args:
        column: the column the cell is in.
        text: the cell as read (``SheetNumber`` and ``BadCell`` from workbooks).
        decimal: the file's decimal mark, when known (see ``parse_number``).

    Raises:
        CellError: the value is not acceptable for this column.
    """
    if isinstance(text, BadCell):
        raise CellError(text.message)
    if len(text) > MAX_CELL_CHARS:
        raise CellError(f"the cell holds {len(text):,} characters; at most {MAX_CELL_CHARS:,}")
    number_cell = isinstance(text, SheetNumber)
    text = SheetNumber(text.strip()) if number_cell else unquote_formula(text.strip())
    if text == "":
        return None
    kind = column.kind
    if kind == "circuit":
        kind = {"down_mbps": "float", "up_mbps": "float", "kind": "choice"}.get(column.attr, "text")
    if kind == "text":
        limit = column.max_length
        if limit and len(text) > limit:
            raise CellError(f"the text is {len(text):,} characters long; at most {limit}")
        return str(text)
    if kind == "country":
        return country_code(text)
    if kind == "choice":
        return parse_choice(column, text)
    if kind == "date":
        return parse_date(text).isoformat()
    if number_cell and text.endswith("%") and not _is_percent(column):
        raise CellError(f"{text} is a percentage; this column is not measured in per cent")
    number = parse_number(text, whole=kind == "int", decimal=decimal)
    if column.minimum is not None and number < column.minimum:
        raise CellError(f"{format_number(number)} is below {format_number(column.minimum)}")
    if column.maximum is not None and number > column.maximum:
        maximum = format_number(column.maximum)
        raise CellError(f"{format_number(number)} is above the maximum {maximum}")
    return number
