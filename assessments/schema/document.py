"""The versioned JSON document of a whole assessment: validate, load and dump (no Django)."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from assessments.scoring.inputs import (
    AssessmentInput,
    CircuitInput,
    CustomerInput,
    InputError,
    SiteInput,
)

FORMAT = "teams-readiness-assessment"
FORMAT_VERSION = 1
SCHEMA_PATH = Path(__file__).with_name("assessment.schema.json")

_ANSWER_FIELDS = tuple(
    f.name for f in fields(AssessmentInput) if f.name not in {"title", "customer", "sites"}
)
_SITE_FIELDS = tuple(f.name for f in fields(SiteInput) if f.name != "circuits")
_CIRCUIT_FIELDS = tuple(f.name for f in fields(CircuitInput))
_DATE_FIELDS = frozenset({"pbx_contract_end", "measured_on"})
# JSON Schema's "integer" accepts 5.0; the engine wants a Python int.
_INT_FIELDS = frozenset(
    {
        "sbc_count",
        "mobile_first_share",
        "phone_numbers",
        "users",
        "peak_concurrency",
        "teams_rooms",
        "common_area_phones",
        "analog_devices",
        "fax_lines",
        "door_elevator_phones",
    }
)
_MAX_ERRORS = 20


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


@cache
def schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the document, loaded once."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


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
    errors = [f"{_path(e.absolute_path)}: {_message(e)}" for e in found[:_MAX_ERRORS]]
    if not errors:
        seen: dict[str, int] = {}
        for i, site in enumerate(data["sites"]):
            first = seen.setdefault(site["name"], i)
            if first != i:
                errors.append(
                    f"sites[{i}].name: {site['name']!r} is already used by sites[{first}]"
                )
    return errors


def _message(error: ValidationError) -> str:
    # jsonschema repeats a too-long list whole; say how long it is instead.
    if error.validator == "maxItems":
        return f"{len(error.instance)} items; at most {error.validator_value} are allowed"
    return error.message


def _value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DATE_FIELDS:
        return date.fromisoformat(value)
    if name in _INT_FIELDS:
        return int(value)
    return value


def _pick(source: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {n: _value(n, source[n]) for n in names if n in source}


def load_document(data: Any) -> AssessmentInput:
    """Validate a parsed document and turn it into engine input.

    Args:
        data: The parsed JSON of a ``teams-readiness-assessment`` document.

    Returns:
        The assessment, ready for :func:`assessments.scoring.score_assessment`.

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
    """Write an assessment as a version-1 document (every field, in a stable order).

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
                "circuits": [_dump(c, _CIRCUIT_FIELDS) for c in site.circuits],
            }
            for site in assessment.sites
        ],
    }
