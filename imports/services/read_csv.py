"""CSV uploads: the text decoded, its delimiter sniffed, and its rows with their line numbers."""

import csv
import io
import re
from collections.abc import Iterator

from imports.services.spreadsheets import Budget, ImportFileError, decode_bytes


def decode_text(data: bytes, encoding: str = "") -> tuple[str, str]:
    """Text of an uploaded text file and the encoding used (see ``decode_bytes``).

    Raises:
        ImportFileError: binary content, or bytes no known encoding reads.
    """
    text, name, _guessed = decode_bytes(data, encoding)
    return text, name


def check_text_is_plausible(text: str) -> None:
    """Refuse text full of control characters: a binary file, not a CSV."""
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    if sample and controls > len(sample) * 0.01:
        raise ImportFileError(
            "This does not look like a CSV file: it contains control characters. "
            "Upload a .csv or .xlsx file."
        )


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first non-blank line: comma, semicolon, tab or "|"."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    # Count outside quotes only: "Lyon, France" must not make the comma win.
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {d: unquoted.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def csv_rows(text: str, budget: Budget) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of a CSV text; line numbers as an editor shows them."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
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
