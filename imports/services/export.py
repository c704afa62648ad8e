"""Site lists out: the export, the template and a preview's rejected rows, as CSV or XLSX."""

import csv
import io
from datetime import date
from typing import Any

from django.db import models
from django.utils.text import slugify

from assessments.models import Assessment, Circuit, Site
from imports.services.cells import format_number, neutralise
from imports.services.columns import Column, all_columns
from imports.services.plan import ImportPlan


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
        low = format_number(column.minimum) if column.minimum is not None else "0"
        high = f" to {format_number(column.maximum)}" if column.maximum is not None else ""
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
