"""The versioned JSON document of a whole assessment: validate, load and dump (no Django)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import fields
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from scoring.inputs import (
    AssessmentInput,
    CircuitInput,
    CustomerInput,
    InputError,
    SiteInput,
)

FORMAT = "teams-readiness-assessment"
# Version 2 adds each site's users by persona and its backhaul hub; a version 1 file has
# neither and loads unchanged (Network Planner's default mix, its own line).
FORMAT_VERSION = 2
READ_VERSIONS = (1, 2)
SCHEMA_PATH = Path(__file__).with_name("assessment.schema.json")

_ANSWER_FIELDS = tuple(
    f.name for f in fields(AssessmentInput) if f.name not in {"title", "customer", "sites"}
)
# A site's answers of users by persona (the document's and the models' field names), and
# the engine persona each counts: the engine takes them as one ``personas`` tuple.
PERSONA_ANSWERS = {
    "audio_only_users": "audio_only",
    "office_video_users": "office_worker",
    "heavy_video_users": "heavy_video",
}
_SITE_FIELDS = tuple(f.name for f in fields(SiteInput) if f.name not in {"circuits", "personas"})
_CIRCUIT_FIELDS = tuple(f.name for f in fields(CircuitInput))
_MAX_ERRORS = 20
_MAX_ERROR_CHARS = 300  # a schema error quotes the value: never echo a whole 4 MB note back
# A document is six levels deep (sites[0].circuits[0].kind); anything far deeper is not one.
MAX_DEPTH = 32
# Longer than any figure a document holds; int() of 4,300+ digits raises, and big ones cost.
MAX_NUMBER_CHARS = 40
# PostgreSQL refuses NUL in text and UTF-8 cannot encode a lone surrogate ("\ud800").
_FORBIDDEN_TEXT = re.compile("[\x00\ud800-\udfff]")


class DocumentError(ValueError):
    """The document is not a valid assessment; ``errors`` lists every problem found.

    Each error reads ``"<path>: <problem>"``, with the path in the document's own
    terms, e.g. ``"sites[2].client_loss_pct: -5 is less than the minimum of 0"``.
    """

    def __init__(self, errors: list[str]) -> None:
        """Keep every error; the message is the first one (and how many more)."""
        self.errors = errors
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(errors[0] + more)


def site_name_key(name: str) -> str:
    """What makes two site names the same: case and surrounding spaces do not count.

    The database holds the same rule as a unique constraint on ``Lower("name")`` per
    assessment; forms, the grid, cloning, this document and the site import all use it.
    """
    return name.strip().lower()


def _number(text: str) -> str:
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"a number is longer than {MAX_NUMBER_CHARS} characters ({text[:12]}…)")
    return text


def _float(text: str) -> float:
    value = float(_number(text))
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a number")
    return value


def _constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str) -> Any:
    """Parse JSON text with bounded work: depth, number length and text that can be stored.

    Args:
        text: The JSON text (already decoded from UTF-8).

    Returns:
        The parsed value, as ``json.loads`` gives it.

    Raises:
        DocumentError: If the text is not JSON, nests deeper than ``MAX_DEPTH``, holds a
            number longer than ``MAX_NUMBER_CHARS``, NaN or Infinity, or a string with a
            NUL character or a lone surrogate; the error says where.
    """
    try:
        data = json.loads(text, parse_int=lambda t: int(_number(t)), parse_float=_float,
                          parse_constant=_constant)  # fmt: skip
    except json.JSONDecodeError as exc:
        raise DocumentError([f"not valid JSON: {exc.msg} (line {exc.lineno})"]) from None
    except RecursionError:
        raise DocumentError([f"not valid JSON: nested deeper than {MAX_DEPTH} levels"]) from None
    except ValueError as exc:
        raise DocumentError([f"not valid JSON: {exc}"]) from None
    _check_tree(data)
    return data


def _check_tree(data: Any) -> None:
    """Refuse deep nesting and unstorable text anywhere in a parsed value (no recursion)."""
    stack: list[tuple[Any, tuple, int]] = [(data, (), 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise DocumentError([f"not valid JSON: nested deeper than {MAX_DEPTH} levels"])
        if isinstance(value, str):
            if _FORBIDDEN_TEXT.search(value):
                raise DocumentError(
                    [f"{_path(path)}: contains a NUL character or an unpaired surrogate"]
                )
        elif isinstance(value, dict):
            for key, item in value.items():
                if _FORBIDDEN_TEXT.search(key):
                    raise DocumentError(
                        [f"{_path(path)}: a key contains a NUL character or an unpaired surrogate"]
                    )
                stack.append((item, (*path, key), depth + 1))
        elif isinstance(value, list):
            stack.extend((item, (*path, i), depth + 1) for i, item in enumerate(value))


@cache
def schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the document, loaded once."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _answer_properties() -> list[tuple[str, dict[str, Any]]]:
    """Every answer's (name, schema): organisation answers, site and circuit fields."""
    s = schema()
    nodes = [s["properties"]["answers"], s["$defs"]["site"], s["$defs"]["circuit"]]
    return [item for node in nodes for item in node["properties"].items()]


@cache
def _date_fields() -> frozenset[str]:
    """Answers the document writes as ISO dates and the engine takes as dates."""
    return frozenset(name for name, node in _answer_properties() if node.get("format") == "date")


@cache
def _int_fields() -> frozenset[str]:
    """Whole-number answers: JSON Schema's "integer" accepts 5.0, the engine wants an int."""
    return frozenset(
        name for name, node in _answer_properties() if "integer" in node.get("type", ())
    )


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=FormatChecker())


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "document"


def validation_errors(data: Any) -> list[str]:
    """Check a parsed JSON document against the schema and the rules it cannot express.

    Args:
        data: The parsed JSON (``json.loads`` output).

    Returns:
        Readable errors, ``"<path>: <problem>"``, sorted by path; empty when valid.
    """
    if not isinstance(data, dict):
        return [f"document: must be a JSON object, not {type(data).__name__}"]
    fmt = data.get("format")
    if fmt != FORMAT:
        return [f"format: must be {FORMAT!r}, not {fmt!r}"]
    version = data.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        return [
            f"format_version: {version} is newer than this portal reads ({FORMAT_VERSION}); "
            "upgrade the portal or export the document again in version "
            f"{FORMAT_VERSION}"
        ]
    found: list[ValidationError] = sorted(
        _validator().iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    )
    errors = [_short(f"{_path(e.absolute_path)}: {_message(e)}") for e in found[:_MAX_ERRORS]]
    if not errors:
        seen: dict[str, int] = {}
        for i, site in enumerate(data["sites"]):
            first = seen.setdefault(site_name_key(site["name"]), i)
            if first != i:
                errors.append(
                    f"sites[{i}].name: {site['name']!r} is already used by sites[{first}] "
                    "(names that differ only in case are the same)"
                )
    return errors


def _message(error: ValidationError) -> str:
    # jsonschema repeats a too-long list whole; say how long it is instead.
    if error.validator == "maxItems":
        return f"{len(error.instance)} items; at most {error.validator_value} are allowed"
    return error.message


def _short(error: str) -> str:
    return error if len(error) <= _MAX_ERROR_CHARS else error[: _MAX_ERROR_CHARS - 1] + "…"


def _value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _date_fields():
        return date.fromisoformat(value)
    if name in _int_fields():
        return int(value)
    return value


def _pick(source: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {n: _value(n, source[n]) for n in names if n in source}


def personas_from_answers(answers: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    """The engine's ``personas`` from a site's users by persona (answers by field name).

    Args:
        answers: At least the answered ones of :data:`PERSONA_ANSWERS`' fields; a missing
            or None one is not answered.

    Returns:
        ((persona, users), ...) of the answered ones; empty when none is answered, which
        the engine reads as Network Planner's default mix.
    """
    return tuple(
        (persona, int(answers[name]))
        for name, persona in PERSONA_ANSWERS.items()
        if answers.get(name) is not None
    )


def persona_answers(personas: tuple[tuple[str, int], ...]) -> dict[str, int | None]:
    """A site's users by persona by field name, from the engine's ``personas`` (None: not asked)."""
    counts = dict(personas)
    return {name: counts.get(persona) for name, persona in PERSONA_ANSWERS.items()}


def load_document(data: Any) -> AssessmentInput:
    """Validate a parsed document and turn it into engine input.

    Args:
        data: The parsed JSON of a ``teams-readiness-assessment`` document.

    Returns:
        The assessment, ready for :func:`scoring.score_assessment`.

    Raises:
        DocumentError: If anything is wrong; its message names the field path, and
            ``errors`` lists every problem.
    """
    errors = validation_errors(data)
    if errors:
        raise DocumentError(errors)
    meta = data["meta"]
    customer = meta.get("customer", {})
    try:
        sites = tuple(
            SiteInput(
                **_pick(site, _SITE_FIELDS),
                personas=personas_from_answers(site),
                circuits=tuple(
                    CircuitInput(**_pick(c, _CIRCUIT_FIELDS)) for c in site.get("circuits", ())
                ),
            )  # fmt: skip
            for site in data["sites"]
        )
        return AssessmentInput(
            title=meta["title"],
            customer=CustomerInput(
                name=customer.get("name", ""),
                industry=customer.get("industry", ""),
                country=customer.get("country", ""),
            ),
            sites=sites,
            **_pick(data.get("answers", {}), _ANSWER_FIELDS),
        )
    except InputError as exc:  # the schema should have caught it; say so clearly anyway
        raise DocumentError([f"document: {exc}"]) from exc


def _dump(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def dump_document(
    assessment: AssessmentInput, *, exported_at: str | None = None, generator: str | None = None
) -> dict[str, Any]:
    """Write an assessment as a document of the current version (every field, in a stable order).

    Args:
        assessment: The assessment to write.
        exported_at: Optional ISO 8601 date-time to record in ``meta``.
        generator: Optional name of what wrote the document.

    Returns:
        A JSON-able dict that :func:`load_document` reads back to an equal input.
    """
    meta: dict[str, Any] = {
        "title": assessment.title,
        "customer": {
            "name": assessment.customer.name,
            "industry": assessment.customer.industry,
            "country": assessment.customer.country,
        },
    }
    if exported_at is not None:
        meta["exported_at"] = exported_at
    if generator is not None:
        meta["generator"] = generator
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "meta": meta,
        "answers": _dump(assessment, _ANSWER_FIELDS),
        "sites": [
            {
                **_dump(site, _SITE_FIELDS),
                **persona_answers(site.personas),
                "circuits": [_dump(c, _CIRCUIT_FIELDS) for c in site.circuits],
            }
            for site in assessment.sites
        ],
    }
