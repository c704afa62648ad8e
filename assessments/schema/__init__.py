"""The assessment JSON document: schema file and a pure loader/dumper (no Django)."""

from assessments.schema.document import (
    FORMAT,
    FORMAT_VERSION,
    DocumentError,
    dump_document,
    load_document,
    schema,
    validation_errors,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "DocumentError",
    "dump_document",
    "load_document",
    "schema",
    "validation_errors",
]
