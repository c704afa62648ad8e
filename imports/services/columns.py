"""Site list columns from the question catalogue, and matching a file's headings to them."""

import re
from dataclasses import dataclass
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from assessments import questions
from assessments.models import Circuit, CircuitRole, Site


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


def normalise(text: str) -> str:
    """Text folded for lenient matching: "Client loss (%)" → "client loss pct"."""
    text = str(text).strip().lower().replace("%", " pct ").replace("&", " and ")
    text = text.replace("#", " number ").replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _reduce(normalised: str) -> str:
    words = [w for w in normalised.split() if w not in _NOISE]
    return " ".join(words) or normalised


def heading_key(text: str) -> str:
    """A heading as it is looked up: folded, without decorating words ("Number of users")."""
    return _reduce(normalise(text))


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
            lookup.setdefault(heading_key(spelling), column)
    for column in everything:
        for spelling in column.synonyms:
            lookup.setdefault(heading_key(spelling), column)
    return lookup


HEADER_LOOKUP = _build_lookup()


def match_header(text: str) -> Column | None:
    """The column a heading means, leniently: case, spacing, punctuation, units, synonyms."""
    candidates = [text, re.sub(r"\(.*?\)|\[.*?\]", " ", text)]
    for candidate in candidates:
        key = heading_key(candidate)
        if key in HEADER_LOOKUP:
            return HEADER_LOOKUP[key]
    return None


def heading_for(key: str) -> str:
    """The heading a parsed file's column key is shown under, or the key itself.

    Circuit keys ("backup_2_down_mbps"), which ``SITE_COLUMN_BY_KEY`` does not list, are
    found through the heading lookup: each column's key is one of its spellings.
    """
    column = SITE_COLUMN_BY_KEY.get(key) or HEADER_LOOKUP.get(heading_key(key.replace("_", " ")))
    return column.header if column else key


_NUMERIC_KINDS = ("int", "float")


def is_numeric(column: Column) -> bool:
    """A column of numbers: counts, measurements and circuit speeds."""
    return column.kind in _NUMERIC_KINDS or column.attr in ("down_mbps", "up_mbps")


def is_count(column: Column) -> bool:
    """A number that has no blank (users, rooms…): clearing it would store 0."""
    return not column.nullable and column.kind in _NUMERIC_KINDS
