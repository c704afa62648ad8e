"""Site lists in and out: CSV/XLSX/CQD building data import with a preview, and export.

The import is two steps. ``parse_site_file`` turns the uploaded bytes into clean rows
(JSON-able, kept server-side in a ``PendingSiteImport``) and lists every problem by line
and column; ``plan_import`` matches those rows against the assessment's sites (by name,
ignoring case) to show what will be created and updated; ``site_import_commit`` applies
the plan in one transaction, all rows or none. ``sites_export_csv``/``sites_export_xlsx``
write the same columns, so an exported file imports back to the same sites.
"""

import csv
import hashlib
import io
import ipaddress
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from assessments import presenters, questions
from assessments.countries import country_name, parse_country
from assessments.models import Assessment, Change, Circuit, CircuitKind, CircuitRole, Site
from assessments.services.assessments import (
    CIRCUIT_FIELDS,
    circuits_plain,
    site_update,
    sorted_circuits,
)
from assessments.services.versioning import Actor, plain
from imports.models import PendingSiteImport
from imports.services.spreadsheets import (
    MAX_COLUMNS,
    AmbiguousNumber,
    BadCell,
    Budget,
    ImportFileError,
    SheetNumber,
    accented_words,
    decimal_mark_shown,
    decode_bytes,
    read_number,
    xlsx_rows,
)

# --- Limits ------------------------------------------------------------------------------

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_CELL_CHARS = 5_000  # longer than any field allows (notes aside): a pasted blob, not data
PENDING_MAX_AGE = timedelta(hours=24)
MAX_STORED_PROBLEMS = 2_000

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class ImportBlockedError(Exception):
    """The preview still lists problems: nothing may be saved."""


class StalePreviewError(Exception):
    """The sites changed since the preview was shown; the user must look at it again."""


class SupersededUploadError(Exception):
    """Another tab uploaded a newer file since the confirmed preview was shown."""


# --- Columns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One importable/exportable column: a site field or one attribute of a circuit."""

    key: str  # a Site field name, or "<role>[_<n>]_<attr>" for circuits
    header: str  # the heading written by export and the template
    kind: str  # text, int, float, choice, country, date, circuit
    help: str = ""
    synonyms: tuple[str, ...] = ()
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    nullable: bool = True
    default: Any = None
    role: str = ""  # circuits only
    number: int = 1  # circuits only: the 2nd secondary circuit is number 2
    attr: str = ""  # circuits only: down_mbps, up_mbps, kind, provider


# The columns are the site and circuit questions that site list files carry, with their
# headings and aliases, from the question catalogue; the file layout (circuits after
# "users", one set of columns per circuit) is this module's.
_CIRCUIT_QUESTIONS = questions.file_columns(Circuit)
# Words that only decorate a heading: "Number of users (count)" means "users".
_NOISE = {
    "mbps",
    "mbit",
    "mb",
    "kbps",
    "ms",
    "msec",
    "pct",
    "percent",
    "number",
    "no",
    "nr",
    "of",
    "the",
    "count",
    "s",
    "in",
    "a",
}

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


def _norm(text: str) -> str:
    text = str(text).strip().lower().replace("%", " pct ").replace("&", " and ")
    text = text.replace("#", " number ").replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _reduce(normalised: str) -> str:
    words = [w for w in normalised.split() if w not in _NOISE]
    return " ".join(words) or normalised


def _limits(model_field: models.Field) -> tuple[Any, Any]:
    """A number field's bounds from its validators (a 64-bit database range is no rule)."""
    minimum = maximum = None
    for validator in model_field.validators:
        if isinstance(validator, MinValueValidator):
            minimum = validator.limit_value
        elif isinstance(validator, MaxValueValidator) and validator.limit_value < 10**12:
            maximum = validator.limit_value
    return minimum, maximum


def _site_column(question: questions.Question) -> Column:
    name, model_field = question.name, question.field
    spellings = (*question.aliases, name.replace("_", " "), str(model_field.verbose_name))
    extra = tuple(dict.fromkeys(spellings))  # the upload page lists them: once each
    minimum, maximum = _limits(model_field)
    if name == "country":
        kind = "country"
    elif model_field.choices:
        kind = "choice"
    elif isinstance(model_field, models.IntegerField):
        kind = "int"
    elif isinstance(model_field, models.FloatField):
        kind = "float"
    elif isinstance(model_field, models.DateField):
        kind = "date"
    else:
        kind = "text"
    choices = tuple((str(v), str(label)) for v, label in (model_field.choices or []))
    default = model_field.get_default() if model_field.has_default() else None
    if kind == "text" and default is None:
        default = ""
    return Column(
        key=name,
        header=question.column,
        kind=kind,
        help=str(model_field.help_text),
        synonyms=extra,
        max_length=model_field.max_length if kind == "text" else None,
        choices=choices,
        minimum=minimum,
        maximum=maximum,
        nullable=model_field.null,
        default=default,
    )


def circuit_column(role: str, number: int, attr: str) -> Column:
    """The column for one attribute of the ``number``-th circuit of ``role``."""
    question = questions.question(Circuit, attr)
    model_field = question.field
    suffix = f" {number}" if number > 1 else ""
    key = f"{role}{'_' + str(number) if number > 1 else ''}_{attr}"
    # A circuit's aliases are the words after its role ("Backup download"); the first also
    # reads after "circuit" ("backup circuit down"), the first two after "second".
    aliases = question.aliases
    synonyms = tuple(f"{role}{suffix} {s}" for s in aliases)
    synonyms += (f"{role}{suffix} circuit {aliases[0]}",)
    if role == CircuitRole.PRIMARY and number == 1:
        synonyms += aliases
        synonyms += tuple(f"{w} {attr.split('_')[0]}" for w in ("internet", "wan", "circuit"))
    if role == CircuitRole.SECONDARY:
        synonyms += tuple(f"second{suffix} {s}" for s in aliases[:2])
    numeric = isinstance(model_field, models.FloatField)
    minimum, maximum = _limits(model_field)
    return Column(
        key=key,
        header=f"{role.capitalize()}{suffix} {question.column}",
        kind="circuit",
        help="Mbps, more than 0" if numeric else "",
        synonyms=synonyms,
        max_length=model_field.max_length if not model_field.choices else None,
        choices=tuple((str(v), str(lbl)) for v, lbl in model_field.choices or ()),
        minimum=minimum,
        maximum=maximum,
        role=role,
        number=number,
        attr=attr,
    )


SITE_COLUMNS: list[Column] = [_site_column(q) for q in questions.file_columns(Site)]
SITE_COLUMN_BY_KEY = {c.key: c for c in SITE_COLUMNS}
CIRCUIT_ROLES = tuple(CircuitRole.values)
MAX_CIRCUITS_PER_ROLE = 4


def _circuit_columns(counts: dict[str, int]) -> list[Column]:
    return [
        circuit_column(role, n, attr)
        for role in CIRCUIT_ROLES
        for n in range(1, counts.get(role, 1) + 1)
        for attr in (q.name for q in _CIRCUIT_QUESTIONS)
    ]


def all_columns(circuit_counts: dict[str, int] | None = None) -> list[Column]:
    """Every column in export order: location and people, then circuits, then the rest."""
    circuits = _circuit_columns(circuit_counts or {})
    cut = [c.key for c in SITE_COLUMNS].index("users") + 1
    return SITE_COLUMNS[:cut] + circuits + SITE_COLUMNS[cut:]


def _build_lookup() -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    everything = SITE_COLUMNS + _circuit_columns(
        dict.fromkeys(CIRCUIT_ROLES, MAX_CIRCUITS_PER_ROLE)
    )
    # Specific spellings (the column's own heading and key) win over generic synonyms.
    for column in everything:
        for spelling in (column.header, column.key.replace("_", " ")):
            lookup.setdefault(_reduce(_norm(spelling)), column)
    for column in everything:
        for spelling in column.synonyms:
            lookup.setdefault(_reduce(_norm(spelling)), column)
    return lookup


HEADER_LOOKUP = _build_lookup()


def match_header(text: str) -> Column | None:
    """The column a heading means, leniently: case, spacing, punctuation, units, synonyms."""
    candidates = [text, re.sub(r"\(.*?\)|\[.*?\]", " ", text)]
    for candidate in candidates:
        key = _reduce(_norm(candidate))
        if key in HEADER_LOOKUP:
            return HEADER_LOOKUP[key]
    return None


# --- Reading files ------------------------------------------------------------------------

_MAGIC = [
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\xd0\xcf\x11\xe0", "an old Excel 97-2003 (.xls) or Word file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
]


def decode_text(data: bytes, encoding: str = "") -> tuple[str, str]:
    """Text of an uploaded text file and the encoding used (see ``decode_bytes``).

    Raises:
        ImportFileError: binary content, or bytes no known encoding reads.
    """
    text, name, _guessed = decode_bytes(data, encoding)
    return text, name


def _check_text_is_plausible(text: str) -> None:
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if sample and controls > len(sample) * 0.01:
        raise ImportFileError(
            "This does not look like a CSV file: it contains control characters. "
            "Upload a .csv or .xlsx file."
        )


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Count outside quotes only: "Lyon, France" must not make the comma win.
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(text: str, budget: Budget) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a CSV text; line numbers as an editor shows them."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    start = 1
    try:
        for cells in reader:
            yield start, cells
            start = reader.line_num + 1
            if start % 256 == 0:
                budget.check()
    except csv.Error as exc:
        raise ImportFileError(
            f"Line {reader.line_num}: the file is not valid CSV ({exc}). A cell may be too "
            "large or a quote may be unbalanced."
        ) from exc


@dataclass
class Table:
    """An upload read as rows of cells, and how its text was read."""

    file_format: str  # csv or xlsx
    rows: Iterator[tuple[int, list[str]]]
    encoding: str = ""
    guessed: bool = False  # the encoding was a guess: say which one
    sample: list[str] = field(default_factory=list)  # words that show a guess right or wrong


def read_table(
    data: bytes, file_name: str, *, encoding: str = "", budget: Budget | None = None
) -> Table:
    """Detect a CSV or XLSX upload and read it row by row.

    Args:
        data: the uploaded bytes.
        file_name: the name the browser sent (only used in messages).
        encoding: the text encoding the user chose ("" to detect it).
        budget: the reading time allowed.

    Raises:
        ImportFileError: empty, too large, or not a spreadsheet at all.
    """
    budget = budget or Budget()
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )
    if not data.strip():
        raise ImportFileError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        return Table("xlsx", xlsx_rows(data, budget))
    for magic, what in _MAGIC:
        if data.startswith(magic):
            hint = " Save it as .xlsx or CSV." if "Excel" in what else ""
            raise ImportFileError(
                f"This is {what}, not a site list. Upload a .csv or .xlsx file.{hint}"
            )
    text, name, guessed = decode_bytes(data, encoding)
    _check_text_is_plausible(text)
    if re.match(r"\s*<(\?xml|!doctype|html)", text[:200], re.IGNORECASE):
        raise ImportFileError("This is an HTML or XML document, not a CSV or Excel file.")
    sample = accented_words(text) if guessed else []
    return Table("csv", _csv_rows(text, budget), name, guessed, sample)


# --- Cell values --------------------------------------------------------------------------


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


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


_UNIT_SUFFIX = re.compile(r"\s*(mbit/s|mbps|mb/s|mb|kbps|ms|msec|%|percent|users?)\s*$", re.I)


_PERCENT_KEYS = ("peak_concurrency", "_loss_pct", "_reorder_pct")


def _ambiguity(text: str) -> str:
    mark = "." if "." in text else ","
    as_decimal = float(text.replace(",", "."))
    as_thousands = float(text.replace(",", "").replace(".", ""))
    return (
        f"“{text}” could be {_fmt(as_decimal)} or {_fmt(as_thousands)}: nothing else in the "
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
            text = _UNIT_SUFFIX.sub("", text.strip()).strip()
            number = read_number(text, decimal)
    except AmbiguousNumber as exc:
        raise CellError(_ambiguity(str(exc))) from None
    except ValueError:
        raise CellError(f"“{_short(raw)}” is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError(f"“{_short(raw)}” is not a number")
    if whole:
        if not number.is_integer():
            raise CellError(f"{_short(raw)} is not a whole number")
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
    raise CellError(f"“{_short(text)}” is not a date: write it as YYYY-MM-DD")


@lru_cache(maxsize=4096)
def _country(text: str) -> str:
    try:
        return parse_country(text)
    except ValueError as exc:
        raise CellError(str(exc).rstrip(".")) from None


def _choice_lookup(column: Column) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for value, label in column.choices:
        lookup[_norm(value)] = value
        lookup[_norm(label)] = value
    if column.key in SITE_COLUMN_BY_KEY and {"yes", "no", "unknown"} <= {
        v for v, _ in column.choices
    }:
        lookup.update({_norm(s): "yes" for s in _YES})
        lookup.update({_norm(s): "no" for s in _NO})
    for value, spellings in _CHOICE_SYNONYMS.get(column.key, {}).items():
        lookup.update({_norm(s): value for s in spellings})
    if column.attr == "kind":
        for value, spellings in _CIRCUIT_KIND_SYNONYMS.items():
            lookup.update({_norm(s): value for s in spellings})
    if "unknown" in lookup.values():
        lookup.update({_norm(s): "unknown" for s in _UNKNOWN})
    if column.key == "measurement_tool":
        lookup.update({"": "", "none": "", "nat": "nat", "network assessment tool": "nat"})
    return lookup


_CHOICE_LOOKUPS: dict[str, dict[str, str]] = {}


def parse_choice(column: Column, text: str) -> str:
    """The stored code of a choice typed as its code, its label or a common synonym."""
    lookup = _CHOICE_LOOKUPS.get(column.key)
    if lookup is None:
        lookup = _CHOICE_LOOKUPS[column.key] = _choice_lookup(column)
    value = lookup.get(_norm(text))
    if value is None:
        accepted = ", ".join(f"“{label}”" for v, label in column.choices if v)
        raise CellError(f"“{_short(text)}” is not one of {accepted}")
    return value


def _short(text: str, limit: int = 40) -> str:
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
        return _country(text)
    if kind == "choice":
        return parse_choice(column, text)
    if kind == "date":
        return parse_date(text).isoformat()
    if number_cell and text.endswith("%") and not _is_percent(column):
        raise CellError(f"{text} is a percentage; this column is not measured in per cent")
    number = parse_number(text, whole=kind == "int", decimal=decimal)
    if column.minimum is not None and number < column.minimum:
        raise CellError(f"{_fmt(number)} is below {_fmt(column.minimum)}")
    if column.maximum is not None and number > column.maximum:
        raise CellError(f"{_fmt(number)} is above the maximum {_fmt(column.maximum)}")
    return number


# --- Parsing a whole file -----------------------------------------------------------------


@dataclass
class Problem:
    """One problem of one row (or of the file when ``line`` is 0)."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return (
            f"{where}, column {self.column}: {self.message}"
            if self.column
            else (f"{where}: {self.message}")
        )


@dataclass
class ParsedFile:
    """A site list read from a file: clean rows, problems, and what was recognised."""

    file_format: str  # csv, xlsx, cqd
    encoding: str = ""
    columns: list[str] = field(default_factory=list)  # site field keys present
    circuit_roles: dict[str, int] = field(default_factory=dict)  # role → circuits per row
    headers: dict[str, str] = field(default_factory=dict)  # key → heading as in the file
    ignored: list[str] = field(default_factory=list)  # headings not recognised
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # The headings of the columns read, in file order, and lines that became no row (a CQD
    # line of the wrong shape): the rejected-rows download repeats them with the reason.
    source_headings: list[str] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    number_format: str = ""  # the decimal mark used: "dot", "comma" or "" (unknown)

    def payload(self) -> dict[str, Any]:
        """A JSON document to keep until commit (see ``PendingSiteImport``)."""
        return {
            "format": self.file_format,
            "encoding": self.encoding,
            "columns": self.columns,
            "circuit_roles": self.circuit_roles,
            "headers": self.headers,
            "ignored": self.ignored,
            "rows": self.rows,
            # Bounded: a file of 5,000 bad rows must not become a huge stored document.
            "errors": [vars(p) for p in self.errors[:MAX_STORED_PROBLEMS]],
            "errors_dropped": max(0, len(self.errors) - MAX_STORED_PROBLEMS),
            "warnings": self.warnings,
            "source_headings": self.source_headings,
            "rejects": self.rejects[:MAX_STORED_PROBLEMS],
            "number_format": self.number_format,
        }


def _non_blank(rows: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    for line, cells in rows:
        if any(c.strip() for c in cells):
            yield line, cells


def _looks_like_cqd(cells: list[str]) -> bool:
    if len(cells) not in (14, 15):
        return False
    try:
        ipaddress.ip_address(cells[0].strip())
    except ValueError:
        return False
    return cells[2].strip().isdigit()


def parse_site_file(
    *,
    data: bytes,
    file_name: str,
    encoding: str = "",
    number_format: str = "",
    budget: Budget | None = None,
) -> ParsedFile:
    """Read an uploaded site list: a CSV/XLSX with headings, or a CQD building data file.

    Args:
        data: the uploaded bytes.
        file_name: the name the browser sent (only used in messages).
        encoding: the text encoding the user chose for a CSV, "" to detect it.
        number_format: "dot" (1,234.5) or "comma" (1.234,5) as the user chose, "" to
            decide from the file's own numbers.
        budget: the reading time allowed (``READ_SECONDS`` by default).

    Returns:
        Clean rows and every problem found, by line and column. Nothing is saved.

    Raises:
        ImportFileError: the file as a whole cannot be used (the message says why).
    """
    budget = budget or Budget()
    table = read_table(data, file_name, encoding=encoding, budget=budget)
    rows = _non_blank(table.rows)
    first = next(rows, None)
    if first is None:
        raise ImportFileError("The file has no rows.")
    if _looks_like_cqd(first[1]):
        parsed = _parse_cqd(first, rows, budget)
    else:
        parsed = _parse_with_headers(first, rows, number_format, budget)
    parsed.encoding = table.encoding
    if table.file_format == "xlsx" and parsed.file_format != "cqd":
        parsed.file_format = "xlsx"
    if table.guessed:
        shown = ", ".join(f"“{w}”" for w in table.sample)
        parsed.warnings.append(
            f"The file does not say how its text is encoded; it was read as {table.encoding}, "
            "the likeliest. "
            + (f"Check that names read right ({shown}). " if shown else "")
            + "If they do not, upload it again choosing its encoding, or save it from Excel "
            "as “CSV UTF-8”."
        )
    return parsed


def _find_header(
    first: tuple[int, list[str]], rows: Iterator[tuple[int, list[str]]]
) -> tuple[int, list[str], list[int]]:
    """The heading row: the first of the first 10 rows that names the site-name column."""
    skipped: list[int] = []
    candidate = first
    for _ in range(10):
        line, cells = candidate
        if any((c := match_header(cell)) and c.key == "name" for cell in cells if cell.strip()):
            return line, cells, skipped
        skipped.append(line)
        nxt = next(rows, None)
        if nxt is None:
            break
        candidate = nxt
    raise ImportFileError(
        "No column for the site name was found in the first rows. The first row should name "
        "the columns, e.g. “Site name, Country, City, Users”: download the template to see "
        "them all. A Call Quality Dashboard building file (no heading row, 14 or 15 columns) "
        "is recognised by itself."
    )


_NUMERIC_KINDS = ("int", "float")


def _is_numeric(column: Column) -> bool:
    return column.kind in _NUMERIC_KINDS or column.attr in ("down_mbps", "up_mbps")


def _decimal_mark(rows: list[tuple[int, list[str]]], indexes: list[int]) -> tuple[str, str]:
    """The file's decimal mark from its own numbers: ("dot"|"comma"|"", how it was decided).

    Only numbers typed as text count (a workbook's number cells have no locale). One
    number that can only be read one way (``0,5``, ``1.234,5``, ``1.5``) settles it; a
    file with both kinds settles nothing.
    """
    seen: dict[str, str] = {}
    for _line, cells in rows:
        for index in indexes:
            if index < len(cells) and not isinstance(cells[index], SheetNumber):
                text = _UNIT_SUFFIX.sub("", cells[index].strip()).strip()
                mark = decimal_mark_shown(text) if text else None
                if mark and mark not in seen:
                    seen[mark] = text
        if len(seen) == 2:
            break
    if len(seen) == 1:
        ((mark, example),) = seen.items()
        return mark, example
    return "", ""


def _parse_with_headers(
    first: tuple[int, list[str]],
    rows: Iterator[tuple[int, list[str]]],
    number_format: str,
    budget: Budget,
) -> ParsedFile:
    header_line, header_cells, skipped = _find_header(first, rows)
    if len(header_cells) > MAX_COLUMNS:
        raise ImportFileError(f"The file has more than {MAX_COLUMNS} columns.")
    parsed = ParsedFile(file_format="csv")
    if skipped:
        parsed.warnings.append(
            f"Line(s) {', '.join(map(str, skipped))} above the headings were ignored."
        )
    mapping: list[tuple[int, Column]] = []
    seen: dict[str, str] = {}
    for index, heading in enumerate(header_cells):
        heading = unquote_formula(heading.strip())
        if not heading:
            continue
        column = match_header(heading)
        if column is None:
            parsed.ignored.append(_short(heading, 60))
            continue
        if column.key in seen:
            raise ImportFileError(
                f"Columns “{seen[column.key]}” and “{_short(heading)}” both mean "
                f"“{column.header}”: keep one of them and upload again."
            )
        seen[column.key] = heading
        mapping.append((index, column))
        parsed.headers[column.key] = _short(heading, 60)
        parsed.source_headings.append(heading[:120])
        if column.kind == "circuit":
            parsed.circuit_roles[column.role] = max(
                parsed.circuit_roles.get(column.role, 0), column.number
            )
        else:
            parsed.columns.append(column.key)
    if parsed.ignored:
        parsed.warnings.append(
            "These columns are not recognised and were ignored: "
            + ", ".join(f"“{h}”" for h in parsed.ignored)
            + "."
        )
    # Only the recognised columns are kept, so a wide sheet costs little past this point.
    table: list[tuple[int, list[str]]] = []
    for count, (line, cells) in enumerate(rows, start=1):
        if count > MAX_ROWS:
            raise ImportFileError(
                f"The file has more than {MAX_ROWS:,} sites. Split it into files of at most "
                f"{MAX_ROWS:,} rows and import them one after the other."
            )
        table.append((line, [cells[i] if i < len(cells) else "" for i, _c in mapping]))
    if not table:
        raise ImportFileError(
            "The file has column headings but no sites below them: add one row per site."
        )
    decimal, example = number_format, ""
    if not decimal:
        numeric = [position for position, (_i, c) in enumerate(mapping) if _is_numeric(c)]
        decimal, example = _decimal_mark(table, numeric)
        if decimal:
            mark = "a decimal comma (1.234,5)" if decimal == "comma" else "a decimal point"
            parsed.warnings.append(
                f"Numbers were read with {mark}, as “{example}” in the file shows."
            )
    parsed.number_format = decimal
    columns = [column for _i, column in mapping]
    seen_names: dict[str, int] = {}
    for count, (line, cells) in enumerate(table):
        if count % 256 == 0:
            budget.check()
        parsed.rows.append(_parse_row(parsed, line, cells, columns, seen_names, decimal or None))
    return parsed


def _parse_row(
    parsed: ParsedFile,
    line: int,
    cells: list[str],
    columns: list[Column],
    seen_names: dict[str, int],
    decimal: str | None,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    circuits: dict[str, dict[int, dict[str, Any]]] = {}
    failed: set[tuple[str, int]] = set()
    bad = False
    for text, column in zip(cells, columns, strict=True):
        try:
            value = parse_cell(column, text, decimal)
        except CellError as exc:
            parsed.errors.append(Problem(line, parsed.headers[column.key], str(exc)))
            bad = True
            if column.kind == "circuit":  # already reported: no second message for the circuit
                failed.add((column.role, column.number))
            continue
        if column.kind == "circuit":
            circuits.setdefault(column.role, {}).setdefault(column.number, {})[column.attr] = value
        else:
            values[column.key] = value
    name = values.get("name")
    if not name:
        parsed.errors.append(
            Problem(line, parsed.headers["name"], "empty: every site needs a name")
        )
        bad = True
    else:
        key = name.lower()
        if key in seen_names:
            parsed.errors.append(
                Problem(
                    line,
                    parsed.headers["name"],
                    f"“{_short(name)}” is already on line {seen_names[key]}",
                )
            )
            bad = True
        else:
            seen_names[key] = line
    circuit_rows: dict[str, list[dict[str, Any]]] = {}
    for role, numbered in circuits.items():
        circuit_rows[role] = []
        for number in sorted(numbered):
            if (role, number) in failed:
                continue
            try:
                row = _circuit_row(role, numbered[number])
            except CellError as exc:
                blamed = circuit_column(role, number, exc.args[1])
                heading = parsed.headers.get(blamed.key, blamed.header)
                parsed.errors.append(Problem(line, heading, exc.args[0]))
                bad = True
                continue
            if row:
                circuit_rows[role].append({**row, "n": number})
    row = {"line": line, "values": values, "circuits": circuit_rows, "bad": bad}
    if bad or not values.get("country") or _blank_count(values):
        # Kept for the rejected-rows download: this row is, or may be, refused (a new site
        # without a country; a blank count when blank cells clear, see ``plan_import``).
        row["cells"] = [str(c) for c in cells]
    return row


def _is_count(column: Column) -> bool:
    """A number that has no blank (users, rooms…): clearing it would store 0."""
    return not column.nullable and column.kind in _NUMERIC_KINDS


def _blank_count(values: dict[str, Any]) -> bool:
    """A count is blank: ``plan_import`` refuses the row if blank cells clear."""
    return any(v is None and _is_count(SITE_COLUMN_BY_KEY[k]) for k, v in values.items())


def _circuit_row(role: str, attrs: dict[str, Any]) -> dict[str, Any] | None:
    """A circuit from its cells; CellError(message, attribute to blame) when incomplete.

    A blank type or provider stays ``None``: planning keeps the stored circuit's own or
    uses the default, as the user chose.
    """
    down, up = attrs.get("down_mbps"), attrs.get("up_mbps")
    if down is None and up is None:
        for attr in ("kind", "provider"):
            if attrs.get(attr):
                raise CellError(
                    f"give the {role} circuit's down and up Mbps, or leave its "
                    f"{'type' if attr == 'kind' else 'provider'} empty",
                    attr,
                )
        return None
    if down is None or up is None:
        raise CellError(
            f"give both down and up Mbps for the {role} circuit, or neither",
            "down_mbps" if down is None else "up_mbps",
        )
    return {
        "role": role,
        "kind": attrs.get("kind"),
        "down_mbps": down,
        "up_mbps": up,
        "provider": attrs.get("provider"),
    }


CQD_COLUMNS = (
    "NetworkIP",
    "NetworkName",
    "NetworkRange",
    "BuildingName",
    "OwnershipType",
    "BuildingType",
    "BuildingOfficeType",
    "City",
    "ZipCode",
    "Country",
    "State",
    "Region",
    "InsideCorp",
    "ExpressRoute",
    "VPN",
)


def _is_vpn_row(cells: list[str]) -> bool:
    """A VPN address pool, not a building: VPN = 1, or named "VPN" as Microsoft suggests."""
    vpn_flag = len(cells) == 15 and cells[14].strip() == "1"
    return vpn_flag or "vpn" in (cells[3].strip().lower(), cells[1].strip().lower())


def _reject(parsed: ParsedFile, problem: Problem, cells: list[str]) -> None:
    parsed.errors.append(problem)
    if len(parsed.rejects) < MAX_STORED_PROBLEMS:
        parsed.rejects.append({"line": problem.line, "cells": [str(c)[:200] for c in cells[:15]]})


def _parse_cqd(
    first: tuple[int, list[str]], rows: Iterator[tuple[int, list[str]]], budget: Budget
) -> ParsedFile:
    """A CQD building data file (domain.md §3.5): one site per distinct BuildingName."""
    parsed = ParsedFile(file_format="cqd", columns=["name", "city", "country"])
    parsed.headers = {"name": "BuildingName", "city": "City", "country": "Country"}
    parsed.source_headings = list(CQD_COLUMNS)
    buildings: dict[str, dict[str, Any]] = {}
    count = vpn_rows = 0
    for line, cells in _chain(first, rows):
        count += 1
        if count > MAX_ROWS * 20:
            raise ImportFileError("The building file has more than 100,000 subnets.")
        if count % 256 == 0:
            budget.check()
        if len(cells) not in (14, 15):
            problem = Problem(
                line,
                "",
                f"a building data row has 14 or 15 fields (NetworkIP … ExpressRoute[, VPN]); "
                f"this one has {len(cells)}",
            )
            _reject(parsed, problem, cells)
            continue
        if _is_vpn_row(cells):
            vpn_rows += 1
            continue
        name = unquote_formula(cells[3].strip())
        if not name:
            _reject(parsed, Problem(line, "BuildingName", "empty: a site needs a name"), cells)
            continue
        if len(name) > SITE_COLUMN_BY_KEY["name"].max_length:
            problem = Problem(
                line, "BuildingName", f"the text is {len(name):,} characters long; at most 120"
            )
            _reject(parsed, problem, cells)
            continue
        city = unquote_formula(cells[7].strip())[:120]
        country_text = cells[9].strip()
        try:
            country = _country(country_text) if country_text else ""
        except CellError as exc:
            _reject(parsed, Problem(line, "Country", str(exc)), cells)
            continue
        key = name.lower()
        building = buildings.get(key)
        if building is None:
            if len(buildings) >= MAX_ROWS:
                raise ImportFileError(f"The building file names more than {MAX_ROWS:,} buildings.")
            buildings[key] = {
                "line": line,
                "values": {"name": name, "city": city or None, "country": country or None},
                "circuits": {},
                "bad": False,
                "subnets": 1,
                "cells": [str(c)[:200] for c in cells],
            }
            continue
        building["subnets"] += 1
        known = building["values"]
        if country and known["country"] and country != known["country"]:
            parsed.errors.append(
                Problem(
                    line,
                    "Country",
                    f"building “{_short(name)}” is in {known['country']} on line "
                    f"{building['line']} but {country} here",
                )
            )
            building["bad"] = True
        elif country and not known["country"]:
            known["country"] = country
        if city and not known["city"]:
            known["city"] = city
    parsed.rows = list(buildings.values())
    for row in parsed.rows:  # only a row that may be refused keeps its cells
        if not row["bad"] and row["values"]["country"]:
            del row["cells"]
    if not parsed.rows and not parsed.errors:
        raise ImportFileError(
            "The building data file has no buildings."
            + (" It lists only VPN address ranges." if vpn_rows else "")
        )
    subnets = sum(r["subnets"] for r in parsed.rows)
    parsed.warnings.append(
        f"Read as a Call Quality Dashboard building data file: {subnets:,} subnet rows, "
        f"{len(parsed.rows):,} buildings. Each building becomes a site with its city and country."
    )
    if vpn_rows:
        parsed.warnings.append(
            f"{vpn_rows:,} VPN row{'s' if vpn_rows > 1 else ''} (VPN = 1, or named “VPN”) "
            "describe remote users' address ranges, not buildings: skipped."
        )
    return parsed


def _chain(first, rows):
    yield first
    yield from rows


# --- Planning against the stored sites ----------------------------------------------------


@dataclass
class PlannedRow:
    """What committing one row will do."""

    line: int
    name: str
    action: str  # create, update, unchanged, invalid
    site_id: int | None = None
    site_version: int | None = None
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (label, old, new)
    values: dict[str, Any] = field(default_factory=dict)
    circuits: list[dict[str, Any]] | None = None  # the full new list, when it changes
    subnets: int | None = None
    problems: list[Problem] = field(default_factory=list)  # this line's problems

    @property
    def country_name(self) -> str:
        """The country of a new site, by name."""
        code = self.values.get("country") or ""
        return country_name(code) or code


PLAN_ACTIONS = ("create", "update", "unchanged", "invalid")


@dataclass
class ImportPlan:
    """The preview: every row's action, every problem, and a fingerprint of the plan."""

    rows: list[PlannedRow]
    errors: list[Problem]
    warnings: list[str]
    fingerprint: str
    errors_dropped: int = 0  # problems beyond MAX_STORED_PROBLEMS, counted only
    rejected: int = 0  # lines of the file that will not be imported (bad rows, bad lines)

    @property
    def good(self) -> int:
        """Rows that can be imported (new, updated or unchanged)."""
        return len(self.rows) - self.count("invalid")

    @property
    def problem_count(self) -> int:
        """Every problem, including those not kept for display."""
        return len(self.errors) + self.errors_dropped

    def count(self, action: str) -> int:
        """How many rows will be ``action`` (create, update, unchanged, invalid)."""
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        """Rows per action, for the preview's summary."""
        return {action: self.count(action) for action in PLAN_ACTIONS}

    @property
    def can_commit(self) -> bool:
        """Every row can be imported: no problem anywhere in the file."""
        return not self.errors and not self.count("invalid")

    @property
    def has_changes(self) -> bool:
        """Importing would add or change at least one site."""
        return bool(self.count("create") or self.count("update"))

    @property
    def matches_stored(self) -> bool:
        """Some row names a stored site, so the blank-cells choice can matter."""
        return any(r.site_id for r in self.rows)


def _model_value(key: str, value: Any) -> Any:
    """The value to set on a Site for a clean JSON value (None means the field's default)."""
    column = SITE_COLUMN_BY_KEY[key]
    if value is None:
        if column.nullable:
            return None
        return column.default
    if column.kind == "date":
        return date.fromisoformat(value)
    return value


def _display(key: str, value: Any) -> str:
    return _short(presenters.display(Site, key, value), 60)


def _circuits_text(rows: list[dict[str, Any]]) -> str:
    return presenters.circuits_text(rows)


def _circuit_key(role: str, number: int, attr: str) -> str:
    return f"{role}{'_' + str(number) if number > 1 else ''}_{attr}"


def _filled(circuit: dict[str, Any]) -> dict[str, Any]:
    """A circuit from the file with a blank type or provider set to the defaults."""
    return {
        **circuit,
        "kind": circuit.get("kind") or CircuitKind.DIA.value,
        "provider": circuit.get("provider") or "",
    }


def _new_circuits(
    site: Site,
    roles: dict[str, int],
    given: dict[str, list[dict[str, Any]]],
    headers: dict,
    blank_clears: bool,
) -> list[dict[str, Any]]:
    """The circuit list after an import: the file's circuits replace the stored ones.

    A circuit whose cells are all blank keeps the stored circuit in its place (first
    primary, second secondary…), and so does one the file has no columns for; with
    ``blank_clears`` blank cells remove it. A blank or missing type or provider likewise
    keeps the stored circuit's own, so a file with only speeds does not wipe providers.
    """
    existing: dict[str, list[Circuit]] = {}
    for circuit in site.circuits.all():  # in id order: the order export numbers them
        existing.setdefault(circuit.role, []).append(circuit)
    kept = [c for c in circuits_plain(site) if c["role"] not in roles]
    added = []
    for role, columns in roles.items():
        stored = existing.get(role, [])
        by_number = {c.get("n", 1): c for c in given.get(role, [])}
        for number in range(1, max(columns, len(stored)) + 1):
            old = stored[number - 1] if len(stored) >= number else None
            circuit = by_number.get(number)
            if circuit is None:
                if old is not None and not (blank_clears and number <= columns):
                    added.append({name: getattr(old, name) for name in CIRCUIT_FIELDS})
                continue
            circuit = dict(circuit)
            for attr in ("kind", "provider"):
                in_file = _circuit_key(role, number, attr) in headers
                if old is not None and not circuit.get(attr) and not (blank_clears and in_file):
                    circuit[attr] = getattr(old, attr)
            added.append(_filled(circuit))
    return sorted_circuits(kept + added)


def plan_import(
    *, assessment: Assessment, payload: dict[str, Any], blank_clears: bool = False
) -> ImportPlan:
    """Match parsed rows to the assessment's sites by name (ignoring case) and diff them.

    Runs a fixed number of queries whatever the number of rows. A blank cell leaves the
    stored value as it is, like a column the file does not have; with ``blank_clears`` a
    blank cell sets the field blank (or to its default) instead. A blank country never
    removes the stored one.

    Args:
        assessment: the assessment the sites go into.
        payload: ``ParsedFile.payload()`` as stored.
        blank_clears: the user chose that blank cells clear stored values.

    Returns:
        The plan, with plan-level problems (e.g. a new site without a country) added.
    """
    existing = {
        site.name.lower(): site
        for site in assessment.sites.prefetch_related("circuits").order_by("position", "id")
    }
    roles: dict[str, int] = payload.get("circuit_roles", {})
    errors = [Problem(**p) for p in payload["errors"]]
    planned: list[PlannedRow] = []
    headers = payload["headers"]
    for row in payload["rows"]:
        values = {k: v for k, v in row["values"].items() if not (k == "country" and v is None)}
        name = values.get("name") or ""
        site = existing.get(name.lower()) if name else None
        item = PlannedRow(line=row["line"], name=name, action="invalid", subnets=row.get("subnets"))
        if row.get("bad"):
            planned.append(item)
            continue
        if site is None:
            if not values.get("country"):
                column = headers.get("country", "country")
                errors.append(Problem(row["line"], column, "empty: a new site needs a country"))
                planned.append(item)
                continue
            item.action = "create"
            item.values = values
            item.circuits = sorted_circuits(
                [_filled(c) for rs in row["circuits"].values() for c in rs]
            )
            planned.append(item)
            continue
        item.site_id, item.site_version = site.pk, site.version
        values.pop("name", None)  # matched by name: keep the stored spelling
        refused = False
        for key, value in values.items():
            if value is None and not blank_clears:
                continue  # a blank cell leaves the stored value
            column = SITE_COLUMN_BY_KEY[key]
            if value is None and _is_count(column):
                # A count has no blank: clearing it would store 0, which the file did not say.
                errors.append(
                    Problem(
                        row["line"],
                        headers.get(key, column.header),
                        "empty: a number is needed here (only answers that may be empty are "
                        "cleared); write 0, or let empty cells keep the stored value",
                    )
                )
                refused = True
                continue
            old = plain(getattr(site, key))
            new = plain(_model_value(key, value))
            if old != new:
                item.values[key] = value
                item.changes.append(
                    (SITE_COLUMN_BY_KEY[key].header, _display(key, old), _display(key, new))
                )
        if roles:
            current = circuits_plain(site)
            wanted = _new_circuits(site, roles, row["circuits"], headers, blank_clears)
            if wanted != current:
                item.circuits = wanted
                item.changes.append(("Circuits", _circuits_text(current), _circuits_text(wanted)))
        if refused:  # the row is refused whole: nothing half-saved
            item.values, item.circuits, item.changes = {}, None, []
            planned.append(item)
            continue
        item.action = "update" if item.changes else "unchanged"
        planned.append(item)
    errors.sort(key=lambda p: (p.line, p.column))
    by_line: dict[int, list[Problem]] = {}
    for problem in errors:
        by_line.setdefault(problem.line, []).append(problem)
    for item in planned:
        item.problems = by_line.get(item.line, [])
    digest = hashlib.sha256(
        json.dumps(
            [blank_clears] + [(r.line, r.action, r.site_id, r.site_version) for r in planned],
            default=str,
        ).encode()
    ).hexdigest()[:32]
    return ImportPlan(
        rows=planned,
        errors=errors,
        warnings=payload["warnings"],
        fingerprint=digest,
        errors_dropped=payload.get("errors_dropped", 0),
        rejected=sum(1 for r in planned if r.action == "invalid") + len(payload.get("rejects", [])),
    )


# --- Committing ---------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    """What a commit did."""

    created: int
    updated: int
    unchanged: int
    skipped: int = 0  # rejected rows left out on the user's choice

    def summary(self, skipped: str = "rejected row{s} skipped") -> str:
        """What the import did, in words: "2 added, 1 rejected row skipped".

        Args:
            skipped: how skipped rows are named; ``{s}`` is the plural ending.
        """
        parts = [
            f"{self.created:,} added" if self.created else "",
            f"{self.updated:,} updated" if self.updated else "",
            f"{self.unchanged:,} unchanged" if self.unchanged else "",
            f"{self.skipped:,} " + skipped.format(s="" if self.skipped == 1 else "s")
            if self.skipped
            else "",
        ]
        return ", ".join(p for p in parts if p) or "no changes"


def _uploader(*, user=None, invite=None) -> dict[str, Any]:
    """Whose pending upload: a member's, or a customer's invite link's (exactly one)."""
    if (user is None) == (invite is None):
        raise ValueError("A pending upload belongs to a member or to an invite link.")
    return {"user": user, "invite": None} if user is not None else {"user": None, "invite": invite}


def pending_import_create(
    *, assessment: Assessment, file_name: str, parsed: ParsedFile, user=None, invite=None
) -> PendingSiteImport:
    """Keep a parsed file until its preview is confirmed; sweep old and superseded ones.

    Each uploader (a member, or a customer's invite link) has one upload waiting per
    assessment: a new one replaces it.
    """
    uploader = _uploader(user=user, invite=invite)
    PendingSiteImport.objects.filter(created_at__lt=timezone.now() - PENDING_MAX_AGE).delete()
    PendingSiteImport.objects.filter(assessment=assessment, **uploader).delete()
    return PendingSiteImport.objects.create(
        assessment=assessment,
        file_name=file_name[:255],
        file_format=parsed.file_format,
        payload=parsed.payload(),
        **uploader,
    )


def pending_import_discard(*, assessment: Assessment, user=None, invite=None) -> None:
    """Drop the uploader's waiting upload, if any: nothing is saved."""
    PendingSiteImport.objects.filter(
        assessment=assessment, **_uploader(user=user, invite=invite)
    ).delete()


@transaction.atomic
def pending_import_commit(
    *,
    pending: PendingSiteImport,
    upload: str,
    fingerprint: str,
    actor: Actor,
    skip_rejected: bool = False,
    blank_clears: bool = False,
) -> ImportOutcome:
    """Save the waiting upload whose preview the uploader confirmed, then let it go.

    Args:
        pending: the uploader's waiting upload.
        upload: the id of the upload the confirmed preview showed.
        fingerprint: the plan's fingerprint as the uploader saw it on the preview.
        actor: who imports.
        skip_rejected: import the good rows even though others are rejected.
        blank_clears: blank cells clear stored values (see ``plan_import``).

    Raises:
        SupersededUploadError: the preview was of an earlier upload (another tab replaced it).
        ImportBlockedError, StalePreviewError: as :func:`site_import_commit`; the upload
            stays waiting, to look at again.
    """
    if upload != str(pending.pk):
        raise SupersededUploadError
    outcome = site_import_commit(
        assessment=pending.assessment,
        payload=pending.payload,
        fingerprint=fingerprint,
        actor=actor,
        skip_rejected=skip_rejected,
        blank_clears=blank_clears,
    )
    pending.delete()
    return outcome


@transaction.atomic
def site_import_commit(
    *,
    assessment: Assessment,
    payload: dict[str, Any],
    fingerprint: str,
    actor: Actor,
    skip_rejected: bool = False,
    blank_clears: bool = False,
) -> ImportOutcome:
    """Apply a previewed import in one transaction: every good row, or nothing.

    With problems in the file nothing is saved, unless the user chose to import the good
    rows and skip the rejected ones; a row is always saved whole or not at all.

    New sites are inserted in bulk (a handful of queries for thousands of sites), each
    with its circuits and a "create" entry in the activity log; changed sites go through
    ``site_update`` so versions and the activity log stay as for any other edit.

    Args:
        assessment: where the sites go.
        payload: the stored parsed file.
        fingerprint: the plan's fingerprint as the user saw it on the preview.
        actor: who imports.
        skip_rejected: import the good rows even though others are rejected.
        blank_clears: blank cells clear stored values (see ``plan_import``).

    Raises:
        ImportBlockedError: the preview lists problems and skipping them was not chosen,
            or no row is good.
        StalePreviewError: sites changed since the preview (someone else edited them).
    """
    # Serialise imports into one assessment (a no-op lock on SQLite, which has one writer).
    Assessment.objects.select_for_update().filter(pk=assessment.pk).exists()
    plan = plan_import(assessment=assessment, payload=payload, blank_clears=blank_clears)
    blocked = bool(plan.errors or plan.count("invalid"))
    if (blocked and not skip_rejected) or not plan.good:
        raise ImportBlockedError
    if plan.fingerprint != fingerprint:
        raise StalePreviewError
    creates = [r for r in plan.rows if r.action == "create"]
    updates = [r for r in plan.rows if r.action == "update"]
    if creates:
        _bulk_create_sites(assessment, creates, actor)
    if updates:
        sites = Site.objects.in_bulk([r.site_id for r in updates])
        for row in updates:
            site = sites[row.site_id]
            site_update(
                site=site,
                base_version=row.site_version,
                changes={k: _model_value(k, v) for k, v in row.values.items()},
                circuits=row.circuits,
                actor=actor,
            )
    return ImportOutcome(
        created=len(creates),
        updated=len(updates),
        unchanged=plan.count("unchanged"),
        skipped=plan.rejected if blocked else 0,
    )


def rejected_rows_csv(*, payload: dict[str, Any], plan: ImportPlan) -> bytes:
    """The rows a preview rejects, as CSV: their cells as in the file, then the reasons.

    Only the columns the import reads are repeated (in the file's order), so the file can
    be corrected and uploaded again; cells are neutralised against formulas.
    """
    reasons: dict[int, list[str]] = {}
    for problem in plan.errors:
        where = f"{problem.column}: " if problem.column else ""
        reasons.setdefault(problem.line, []).append(where + problem.message)
    cells = {row["line"]: row.get("cells") or [] for row in payload["rows"]}
    cells.update({reject["line"]: reject["cells"] for reject in payload.get("rejects", [])})
    lines = sorted({r.line for r in plan.rows if r.action == "invalid"} | set(cells) & set(reasons))
    headings = list(payload.get("source_headings") or [])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*headings, "Problem", "Line in the uploaded file"])
    for line in lines:
        row = list(cells.get(line, []))
        row += [""] * (len(headings) - len(row))
        reason = "; ".join(reasons.get(line, [])) or "See the line's other problems."
        writer.writerow([neutralise(c) for c in row] + [neutralise(reason), line])
    if plan.errors_dropped:
        writer.writerow([f"… and more rejected rows: {plan.errors_dropped:,} problems not kept."])
    return out.getvalue().encode("utf-8-sig")


def rejected_rows_file_name(file_name: str) -> str:
    """The download name of an upload's rejected rows: "sites.csv" → "sites-rejected-rows.csv"."""
    stem = slugify(file_name.rsplit(".", 1)[0][:80]) or "sites"
    return f"{stem}-rejected-rows.csv"


_TRUSTED_FIELDS = ["assessment", "country"] + [c.key for c in SITE_COLUMNS if c.kind == "choice"]


def _bulk_create_sites(assessment: Assessment, rows: list[PlannedRow], actor: Actor) -> None:
    top = assessment.sites.aggregate(top=Max("position"))["top"]
    position = 0 if top is None else top + 1
    sites = []
    for offset, row in enumerate(rows):
        fields = {k: _model_value(k, v) for k, v in row.values.items()}
        site = Site(assessment=assessment, position=position + offset, **fields)
        # Names were checked against the file and the stored sites (case-insensitively)
        # while planning under the assessment lock; the unique constraint still guards.
        # Every value went through parse_cell, which applies the model fields' own limits
        # and choices; full_clean stays as a safety net for the limits but skips what is
        # costly and already certain: the (locked) assessment's key, the country and the
        # choice fields (Django scans every choice per field and site) and uniqueness.
        site.full_clean(exclude=_TRUSTED_FIELDS, validate_unique=False, validate_constraints=False)
        sites.append(site)
    Site.objects.bulk_create(sites, batch_size=500)
    circuits = []
    for site, row in zip(sites, rows, strict=True):
        for values in row.circuits or []:
            circuit = Circuit(site=site, **values)
            # Speeds were range-checked while parsing; the database's check constraint
            # still guards, without a query per circuit here.
            circuit.full_clean(exclude=["site"], validate_constraints=False)
            circuits.append(circuit)
    Circuit.objects.bulk_create(circuits, batch_size=1000)
    Change.objects.bulk_create(
        [
            Change(
                organisation_id=assessment.organisation_id,
                assessment=assessment,
                object_type="site",
                object_id=site.pk,
                object_label=str(site)[:160],
                version=site.version,
                action="create",
                fields={},
                user=actor.user,
                actor_label=actor.label[:160],
            )
            for site in sites
        ],
        batch_size=1000,
    )


# --- Export and template ------------------------------------------------------------------


def _site_cells(site: Site, columns: list[Column]) -> list[Any]:
    by_role: dict[str, list[Circuit]] = {}
    for circuit in site.circuits.all():
        by_role.setdefault(circuit.role, []).append(circuit)
    cells: list[Any] = []
    for column in columns:
        if column.kind == "circuit":
            circuits = by_role.get(column.role, [])
            circuit = circuits[column.number - 1] if len(circuits) >= column.number else None
            value = getattr(circuit, column.attr) if circuit else None
            if column.attr == "kind" and value:
                value = dict(column.choices).get(value, value)
            cells.append(_plain_number(value))
            continue
        value = getattr(site, column.key)
        if column.kind == "country":
            value = value.code
        elif column.kind == "choice":
            value = dict(column.choices).get(value, value) if value else ""
            if column.key == "measurement_tool" and not value:
                value = ""
        cells.append(_plain_number(value))
    return cells


def _plain_number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def export_table(*, assessment: Assessment) -> tuple[list[Column], list[list[Any]]]:
    """The columns and cell values of an assessment's sites, in the grid's order."""
    sites = list(
        assessment.sites.order_by("position", "id").prefetch_related(
            models.Prefetch("circuits", queryset=Circuit.objects.order_by("id"))
        )
    )
    counts: dict[str, int] = {}
    for site in sites:
        per_role: dict[str, int] = {}
        for circuit in site.circuits.all():
            per_role[circuit.role] = per_role.get(circuit.role, 0) + 1
        for role, n in per_role.items():
            counts[role] = max(counts.get(role, 1), n)
    columns = all_columns(counts)
    return columns, [_site_cells(site, columns) for site in sites]


TEMPLATE_ROWS: list[dict[str, Any]] = [
    {
        "name": "Stuttgart HQ",
        "country": "Germany",
        "city": "Stuttgart",
        "address": "Königstraße 1, 70173 Stuttgart",
        "users": 850,
        "peak_concurrency": 20,
        "teams_rooms": 12,
        "primary_down_mbps": 1000,
        "primary_up_mbps": 1000,
        "primary_kind": "Dedicated internet (fibre)",
        "primary_provider": "Telekom",
        "backup_down_mbps": 50,
        "backup_up_mbps": 10,
        "backup_kind": "LTE / 5G",
        "internet_breakout": "Local internet breakout",
        "lte_backup": "Yes",
        "qos": "Marked and honoured end to end",
        "wifi": "Managed, 5 GHz with WMM/QoS",
        "client_rtt_ms": 38,
        "client_jitter_ms": 6,
        "client_loss_pct": 0.2,
        "measured_on": date(2026, 3, 2),
        "measured_where": "2nd floor Wi-Fi",
        "measurement_tool": "Teams Network Assessment Tool",
        "operator_available": "Yes",
        "notes": "Main campus; reception has 2 door phones.",
    },
    {
        "name": "Chicago Sales",
        "country": "US",
        "city": "Chicago",
        "users": 75,
        "primary_down_mbps": 200,
        "primary_up_mbps": 40,
        "primary_kind": "Business broadband",
        "internet_breakout": "Backhauled to a hub / data centre",
        "lte_backup": "No",
        "vpn": "Teams media goes through it",
        "wifi": "Unmanaged / consumer-grade",
        "analog_devices": 3,
        "fax_lines": 1,
    },
]


def template_table() -> tuple[list[Column], list[list[Any]]]:
    """The template's columns and its two example rows."""
    columns = all_columns()
    return columns, [[row.get(c.key) for c in columns] for row in TEMPLATE_ROWS]


def write_csv(columns: list[Column], rows: list[list[Any]]) -> bytes:
    """A UTF-8 CSV (with a byte-order mark, so Excel reads accents right), cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow(
            [
                "" if v is None else v.isoformat() if isinstance(v, date) else neutralise(v)
                for v in row
            ]
        )
    return out.getvalue().encode("utf-8-sig")


def write_xlsx(columns: list[Column], rows: list[list[Any]], *, with_help: bool = True) -> bytes:
    """An .xlsx with a "Sites" sheet (drop-down lists for choices) and a "Help" sheet.

    Written in openpyxl's streaming mode: thousands of sites take about a second.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sites")
    sheet.freeze_panes = "B2"
    for index, column in enumerate(columns, start=1):
        width = max(12, min(32, len(column.header) + 4))
        sheet.column_dimensions[get_column_letter(index)].width = width
    list_columns = [
        (index, column, [label for value, label in column.choices if value])
        for index, column in enumerate(columns, start=1)
        if column.kind == "choice" or column.attr == "kind"
    ]
    last_row = max(len(rows) + 1, 1000)
    for list_index, (index, _column, labels) in enumerate(list_columns, start=1):
        letter = get_column_letter(list_index)
        validation = DataValidation(
            type="list",
            formula1=f"Lists!${letter}$2:${letter}${len(labels) + 1}",
            allow_blank=True,
            showErrorMessage=False,  # codes and synonyms are accepted too
        )
        target = get_column_letter(index)
        validation.add(f"{target}2:{target}{last_row}")
        sheet.data_validations.append(validation)
    heading_font = Font(bold=True, color="FFFFFF")
    heading_fill = PatternFill("solid", fgColor="1F4E79")
    wrap = Alignment(wrap_text=True, vertical="top")
    headings = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font, cell.fill, cell.alignment = heading_font, heading_fill, wrap
        headings.append(cell)
    sheet.append(headings)
    dates = {i for i, c in enumerate(columns) if c.kind == "date"}
    for row in rows:
        values: list[Any] = []
        for i, value in enumerate(row):
            if i in dates and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                values.append(cell)
            else:
                values.append(neutralise(value))
        sheet.append(values)
    lists = book.create_sheet("Lists")
    lists.sheet_state = "hidden"
    longest = max((len(labels) for _i, _c, labels in list_columns), default=0)
    lists.append([column.header for _i, column, _l in list_columns])
    for offset in range(longest):
        lists.append(
            [labels[offset] if offset < len(labels) else None for *_, labels in list_columns]
        )
    if with_help:
        help_sheet = book.create_sheet("Help")
        help_sheet.column_dimensions["A"].width = 34
        help_sheet.column_dimensions["B"].width = 70
        help_sheet.column_dimensions["C"].width = 70
        bold = Font(bold=True)
        cells = []
        for text in ("Column", "What it means", "Accepted values"):
            cell = WriteOnlyCell(help_sheet, value=text)
            cell.font = bold
            cells.append(cell)
        help_sheet.append(cells)
        for column in columns:
            help_sheet.append([column.header, column.help, accepted_values(column)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def accepted_values(column: Column) -> str:
    """A short description of what a column accepts, for the help sheet and the page."""
    if column.kind == "country":
        return "Country name or two-letter ISO code (DE, US, GB…)"
    if column.kind == "date":
        return "A date, YYYY-MM-DD"
    if column.choices and (column.kind == "choice" or column.attr == "kind"):
        return "; ".join(label for value, label in column.choices if value)
    if column.kind in ("int", "float") or column.attr in ("down_mbps", "up_mbps"):
        low = _fmt(column.minimum) if column.minimum is not None else "0"
        high = f" to {_fmt(column.maximum)}" if column.maximum is not None else ""
        what = "Whole number" if column.kind == "int" else "Number"
        return f"{what}, {low}{high}"
    if column.max_length:
        return f"Text, at most {column.max_length} characters"
    return "Text"


def sites_export_csv(*, assessment: Assessment) -> bytes:
    """All sites of an assessment as CSV, in the columns the import reads."""
    return write_csv(*export_table(assessment=assessment))


def sites_export_xlsx(*, assessment: Assessment) -> bytes:
    """All sites of an assessment as an Excel workbook, in the columns the import reads."""
    return write_xlsx(*export_table(assessment=assessment))
