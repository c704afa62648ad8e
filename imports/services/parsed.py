"""A site list as read from a file: clean rows, and every problem by line and column."""

from dataclasses import dataclass, field
from typing import Any

MAX_ROWS = 5_000
MAX_STORED_PROBLEMS = 2_000


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
