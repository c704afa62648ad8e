"""An uploaded site list read into clean rows: a CSV or XLSX with headings, or a CQD file."""

from collections.abc import Iterable, Iterator
from typing import Any

from imports.services.cells import CellError, parse_cell, short_text, unquote_formula, without_unit
from imports.services.columns import (
    SITE_COLUMN_BY_KEY,
    Column,
    circuit_column,
    is_count,
    is_numeric,
    match_header,
)
from imports.services.parsed import MAX_ROWS, ParsedFile, Problem
from imports.services.read_cqd import looks_like_cqd, parse_cqd
from imports.services.read_table import read_table
from imports.services.spreadsheets import (
    MAX_COLUMNS,
    Budget,
    ImportFileError,
    SheetNumber,
    decimal_mark_shown,
)


def _non_blank(rows: Iterable[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    for line, cells in rows:
        if any(c.strip() for c in cells):
            yield line, cells


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
    if looks_like_cqd(first[1]):
        parsed = parse_cqd(first, rows, budget)
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
                text = without_unit(cells[index])
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
            parsed.ignored.append(short_text(heading, 60))
            continue
        if column.key in seen:
            raise ImportFileError(
                f"Columns “{seen[column.key]}” and “{short_text(heading)}” both mean "
                f"“{column.header}”: keep one of them and upload again."
            )
        seen[column.key] = heading
        mapping.append((index, column))
        parsed.headers[column.key] = short_text(heading, 60)
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
        numeric = [position for position, (_i, c) in enumerate(mapping) if is_numeric(c)]
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
                    f"“{short_text(name)}” is already on line {seen_names[key]}",
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


def _blank_count(values: dict[str, Any]) -> bool:
    """A count is blank: ``plan_import`` refuses the row if blank cells clear."""
    return any(v is None and is_count(SITE_COLUMN_BY_KEY[k]) for k, v in values.items())


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
