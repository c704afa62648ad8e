"""An upload as rows of cells: a CSV or an XLSX told apart, any other file refused by name."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from imports.services.read_csv import check_text_is_plausible, csv_rows
from imports.services.spreadsheets import (
    Budget,
    ImportFileError,
    accented_words,
    decode_bytes,
    xlsx_rows,
)

MAX_FILE_BYTES = 5 * 1024 * 1024


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
    check_text_is_plausible(text)
    if re.match(r"\s*<(\?xml|!doctype|html)", text[:200], re.IGNORECASE):
        raise ImportFileError("This is an HTML or XML document, not a CSV or Excel file.")
    sample = accented_words(text) if guessed else []
    return Table("csv", csv_rows(text, budget), name, guessed, sample)
