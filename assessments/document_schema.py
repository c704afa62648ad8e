"""The assessment document's JSON Schema, generated from the question catalogue and the models."""

from __future__ import annotations

import json
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from django_countries.fields import CountryField

from assessments import questions
from assessments.forms import MAX_CIRCUITS
from assessments.models import Assessment, Circuit, Customer, Site, YesNoUnknown
from assessments.schema.document import FORMAT, FORMAT_VERSION, READ_VERSIONS

_YES_NO_UNKNOWN = "yes_no_unknown"
# What the document adds to a question: rules of the format itself, not of the answer
# (assessments/schema/document.py checks the name rule; the engine takes ISO codes).
_FORMAT_NOTES: dict[tuple[type[models.Model], str], str] = {
    (Site, "name"): "Unique within the assessment; names that differ only in case or "
    "surrounding spaces are the same.",
    (Site, "country"): "ISO 3166-1 alpha-2 code, e.g. GB.",
}
_POSITIVE = (
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
)
# Longer than any program's name; the document only records it (informative).
_GENERATOR_MAX_LENGTH = 200


def _declared_bounds(field: models.Field) -> tuple[Any, Any]:
    """The bounds a field declares (its validators; a positive field is at least 0).

    Read from the field's own arguments, not ``field.validators``: Django adds the
    database's integer range there, which differs between SQLite and PostgreSQL and is
    no rule of an answer.
    """
    declared = field.deconstruct()[3].get("validators", [])
    lows = [v.limit_value for v in declared if isinstance(v, MinValueValidator)]
    highs = [v.limit_value for v in declared if isinstance(v, MaxValueValidator)]
    if isinstance(field, _POSITIVE):
        lows.append(0)
    return (max(lows) if lows else None), (min(highs) if highs else None)


def _required(field: models.Field) -> bool:
    """A document must give the field: the model has no default and refuses a blank."""
    return not (field.has_default() or field.null or field.blank)


def _default(field: models.Field) -> Any:
    if field.has_default():
        default = field.get_default()
        return str(default) if isinstance(default, str) else default
    return None if field.null else ""


def _enum_text(choices: list[tuple[str, str]]) -> str:
    """The codes with their labels; an empty code is "not given" (its label is a dash)."""
    return "; ".join(f"{value}: {label}" if value else '"": not given' for value, label in choices)


def _value_schema(field: models.Field) -> dict[str, Any]:
    """The JSON type and limits of a model field's value."""
    if isinstance(field, CountryField):
        # An ISO code; the portal checks that the country exists (the list changes).
        return {"type": "string", "pattern": "^([A-Z]{2})?$" if field.blank else "^[A-Z]{2}$"}
    if field.choices:
        values = [str(value) for value, _label in field.choices]
        if values == YesNoUnknown.values:
            return {"$ref": f"#/$defs/{_YES_NO_UNKNOWN}"}
        return {"enum": values}
    node: dict[str, Any]
    if isinstance(field, models.IntegerField):
        node = {"type": "integer"}
    elif isinstance(field, models.FloatField | models.DecimalField):
        node = {"type": "number"}
    elif isinstance(field, models.DateField):
        node = {"type": "string", "format": "date"}
    else:
        node = {"type": "string"}
        if field.max_length:
            node["maxLength"] = field.max_length
    if field.null:
        node["type"] = [node["type"], "null"]
    minimum, maximum = _declared_bounds(field)
    if minimum is not None:
        node["minimum"] = minimum
    if maximum is not None:
        node["maximum"] = maximum
    return node


def _field_schema(field: models.Field, *, title: str, description: str = "") -> dict[str, Any]:
    node = {**_value_schema(field), "title": title}
    if "$ref" not in node and not _required(field):
        node["default"] = _default(field)
    if description:
        node["description"] = description
    return node


def question_schema(question: questions.Question) -> dict[str, Any]:
    """The schema of one answer: its type, limits, choices and default, label and help.

    Args:
        question: A catalogue entry.

    Returns:
        The JSON Schema of the answer's value in a document.
    """
    field = question.field
    notes = [question.help_text, _FORMAT_NOTES.get((question.model, question.name), "")]
    node = _field_schema(field, title=question.label)
    if _required(field) and node.get("type") == "string" and "pattern" not in node:
        # Forms strip spaces: an answer of spaces only is no answer.
        node = {"type": "string", "minLength": 1, "pattern": r"\S"} | node
    if "enum" in node:
        notes.append("Values: " + _enum_text(question.choices) + ".")
    description = " ".join(note for note in notes if note)
    if description:
        node["description"] = description
    return node


def _object(model: type[models.Model], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """An object holding every question of ``model`` (and ``extra`` properties)."""
    catalogue = questions.CATALOGUE[model]
    properties = {q.name: question_schema(q) for q in catalogue} | (extra or {})
    required = [q.name for q in catalogue if _required(q.field)]
    node: dict[str, Any] = {"type": "object", "additionalProperties": False}
    if required:
        node["required"] = required
    return node | {"properties": properties}


def _meta() -> dict[str, Any]:
    def text(model: type[models.Model], name: str, description: str = "") -> dict[str, Any]:
        field = model._meta.get_field(name)
        return _field_schema(
            field, title=str(field.verbose_name).capitalize(), description=description
        )

    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["title"],
        "properties": {
            "title": text(Assessment, "title", "The assessment's title."),
            "customer": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name"],
                "properties": {
                    "name": text(Customer, "name", "The customer's name."),
                    "industry": text(Customer, "industry"),
                    "country": text(
                        Customer,
                        "country",
                        "ISO 3166-1 alpha-2 code of the headquarters, or empty.",
                    ),
                },
            },
            "exported_at": {
                "type": "string",
                "format": "date-time",
                "description": "When the document was written (informative).",
            },
            "generator": {
                "type": "string",
                "maxLength": _GENERATOR_MAX_LENGTH,
                "description": "What wrote the document (informative).",
            },
        },
    }


def assessment_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the assessment document, from the catalogue.

    Answers, sites and circuits hold exactly the catalogue's questions, each typed and
    limited by its model field (choices, lengths, validators, nullability, default) and
    described by its label and help text; the envelope (format, version, meta) is the
    document format's own.

    Returns:
        The schema, as the file at ``SCHEMA_PATH`` holds it (``manage.py assessment_schema
        --write`` writes it; assessments/schema/document.py reads it without Django).
    """
    circuits = {
        "circuits": {
            "type": "array",
            "items": {"$ref": "#/$defs/circuit"},
            "maxItems": MAX_CIRCUITS,
            "description": f"The site's internet lines: at most {MAX_CIRCUITS} (four per "
            "role), as the site form and the site import accept.",
            "default": [],
        }
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://teams-readiness.example/schemas/assessment/v{FORMAT_VERSION}.json",
        "title": "Teams Phone readiness assessment",
        "description": "A whole assessment: organisation-wide answers and every site with its "
        f"circuits. Version {FORMAT_VERSION} of the {FORMAT} format; see docs/scoring.md. "
        "Field names and choice values equal the portal's models and the scoring engine's "
        "inputs. Generated from the question catalogue (manage.py assessment_schema).",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "format_version", "meta", "sites"],
        "properties": {
            "format": {"const": FORMAT},
            # Older versions are read too: each one only added answers, with defaults.
            "format_version": {"enum": list(READ_VERSIONS)},
            "meta": _meta(),
            "answers": _object(Assessment) | {"default": {}},
            "sites": {"type": "array", "items": {"$ref": "#/$defs/site"}},
        },
        "$defs": {
            _YES_NO_UNKNOWN: {
                "enum": list(YesNoUnknown.values),
                "default": str(YesNoUnknown.UNKNOWN),
                "description": "Values: " + _enum_text(list(YesNoUnknown.choices)) + ". "
                "Don't know is scored as missing data, never as good or bad.",
            },
            "site": _object(Site, circuits),
            "circuit": _object(Circuit),
        },
    }


def schema_text() -> str:
    """The schema as the file holds it: indented JSON, non-ASCII kept, a final newline."""
    return json.dumps(assessment_schema(), indent=2, ensure_ascii=False) + "\n"
