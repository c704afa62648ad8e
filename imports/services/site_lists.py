"""Site lists in and out: the names views, invite pages, commands and tests call, in one place."""

# The import is two steps. ``parse_site_file`` turns the uploaded bytes into clean rows
# (JSON-able, kept server-side in a ``PendingSiteImport``) and lists every problem by line
# and column; ``plan_import`` matches those rows against the assessment's sites (by name,
# ignoring case) to show what will be created and updated; ``site_import_commit`` applies
# the plan in one transaction, all rows or none. ``sites_export_csv``/``sites_export_xlsx``
# write the same columns, so an exported file imports back to the same sites.
#
# Each job has its module, and this one only gathers their public names:
#   columns.py      the columns, from the question catalogue, and heading matching
#   cells.py        one cell: numbers, dates, choices, countries; formulas neutralised
#   read_table.py   an upload told apart as CSV or XLSX (read_csv.py, spreadsheets.py)
#   read_sites.py   a site list with a heading row read into clean rows (parse_site_file)
#   read_cqd.py     a Call Quality Dashboard building data file read as sites
#   parsed.py       the rows and problems read, kept until the preview is confirmed
#   plan.py         the preview: each row matched to a stored site and its changes
#   commit.py       saving a previewed import; the uploads waiting for confirmation
#   export.py       the export, the template and a preview's rejected rows

from imports.services.cells import (
    FORMULA_TRIGGERS,
    MAX_CELL_CHARS,
    CellError,
    neutralise,
    parse_cell,
    parse_choice,
    parse_date,
    parse_number,
    unquote_formula,
)
from imports.services.columns import (
    CIRCUIT_ROLES,
    HEADER_LOOKUP,
    MAX_CIRCUITS_PER_ROLE,
    SITE_COLUMN_BY_KEY,
    SITE_COLUMNS,
    Column,
    all_columns,
    circuit_column,
    heading_for,
    match_header,
)
from imports.services.commit import (
    PENDING_MAX_AGE,
    ImportBlockedError,
    ImportOutcome,
    StalePreviewError,
    SupersededUploadError,
    pending_import_commit,
    pending_import_create,
    pending_import_discard,
    site_import_commit,
)
from imports.services.export import (
    TEMPLATE_ROWS,
    accepted_values,
    export_table,
    rejected_rows_csv,
    rejected_rows_file_name,
    sites_export_csv,
    sites_export_xlsx,
    template_table,
    write_csv,
    write_xlsx,
)
from imports.services.parsed import MAX_ROWS, MAX_STORED_PROBLEMS, ParsedFile, Problem
from imports.services.plan import PLAN_ACTIONS, ImportPlan, PlannedRow, plan_import
from imports.services.read_cqd import CQD_COLUMNS
from imports.services.read_csv import decode_text
from imports.services.read_sites import parse_site_file
from imports.services.read_table import MAX_FILE_BYTES, Table, read_table
from imports.services.spreadsheets import ImportFileError

__all__ = [
    "CIRCUIT_ROLES",
    "CQD_COLUMNS",
    "FORMULA_TRIGGERS",
    "HEADER_LOOKUP",
    "MAX_CELL_CHARS",
    "MAX_CIRCUITS_PER_ROLE",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "MAX_STORED_PROBLEMS",
    "PENDING_MAX_AGE",
    "PLAN_ACTIONS",
    "SITE_COLUMNS",
    "SITE_COLUMN_BY_KEY",
    "TEMPLATE_ROWS",
    "CellError",
    "Column",
    "ImportBlockedError",
    "ImportFileError",
    "ImportOutcome",
    "ImportPlan",
    "ParsedFile",
    "PlannedRow",
    "Problem",
    "StalePreviewError",
    "SupersededUploadError",
    "Table",
    "accepted_values",
    "all_columns",
    "circuit_column",
    "decode_text",
    "export_table",
    "heading_for",
    "match_header",
    "neutralise",
    "parse_cell",
    "parse_choice",
    "parse_date",
    "parse_number",
    "parse_site_file",
    "pending_import_commit",
    "pending_import_create",
    "pending_import_discard",
    "plan_import",
    "read_table",
    "rejected_rows_csv",
    "rejected_rows_file_name",
    "site_import_commit",
    "sites_export_csv",
    "sites_export_xlsx",
    "template_table",
    "unquote_formula",
    "write_csv",
    "write_xlsx",
]
