"""The preview of a site list import: each row matched to a stored site, and what it changes."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from assessments import presenters
from assessments.countries import country_name
from assessments.models import Assessment, Circuit, CircuitKind, Site
from assessments.services.assessments import CIRCUIT_FIELDS, circuits_plain, sorted_circuits
from assessments.services.versioning import plain
from imports.services.cells import short_text
from imports.services.columns import SITE_COLUMN_BY_KEY, is_count
from imports.services.parsed import Problem


@dataclass
class PlannedRow:
    """What committing one row will do."""

    line: int
    name: str
    action: str  # create, update, unchanged, invalid
    site_id: int | None = None
    site_version: int | None = None
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (label, old, new)
    values: dict[str, Any] = field(default_factory=dict)
    circuits: list[dict[str, Any]] | None = None  # the full new list, when it changes
    subnets: int | None = None
    problems: list[Problem] = field(default_factory=list)  # this line's problems

    @property
    def country_name(self) -> str:
        """The country of a new site, by name."""
        code = self.values.get("country") or ""
        return country_name(code) or code


PLAN_ACTIONS = ("create", "update", "unchanged", "invalid")


@dataclass
class ImportPlan:
    """The preview: every row's action, every problem, and a fingerprint of the plan."""

    rows: list[PlannedRow]
    errors: list[Problem]
    warnings: list[str]
    fingerprint: str
    errors_dropped: int = 0  # problems beyond MAX_STORED_PROBLEMS, counted only
    rejected: int = 0  # lines of the file that will not be imported (bad rows, bad lines)

    @property
    def good(self) -> int:
        """Rows that can be imported (new, updated or unchanged)."""
        return len(self.rows) - self.count("invalid")

    @property
    def problem_count(self) -> int:
        """Every problem, including those not kept for display."""
        return len(self.errors) + self.errors_dropped

    def count(self, action: str) -> int:
        """How many rows will be ``action`` (create, update, unchanged, invalid)."""
        return sum(1 for r in self.rows if r.action == action)

    @property
    def counts(self) -> dict[str, int]:
        """Rows per action, for the preview's summary."""
        return {action: self.count(action) for action in PLAN_ACTIONS}

    @property
    def can_commit(self) -> bool:
        """Every row can be imported: no problem anywhere in the file."""
        return not self.errors and not self.count("invalid")

    @property
    def has_changes(self) -> bool:
        """Importing would add or change at least one site."""
        return bool(self.count("create") or self.count("update"))

    @property
    def matches_stored(self) -> bool:
        """Some row names a stored site, so the blank-cells choice can matter."""
        return any(r.site_id for r in self.rows)


def model_value(key: str, value: Any) -> Any:
    """The value to set on a Site for a clean JSON value (None means the field's default)."""
    column = SITE_COLUMN_BY_KEY[key]
    if value is None:
        if column.nullable:
            return None
        return column.default
    if column.kind == "date":
        return date.fromisoformat(value)
    return value


def _display(key: str, value: Any) -> str:
    return short_text(presenters.display(Site, key, value), 60)


def _circuits_text(rows: list[dict[str, Any]]) -> str:
    return presenters.circuits_text(rows)


def _circuit_key(role: str, number: int, attr: str) -> str:
    return f"{role}{'_' + str(number) if number > 1 else ''}_{attr}"


def _filled(circuit: dict[str, Any]) -> dict[str, Any]:
    """A circuit from the file with a blank type or provider set to the defaults."""
    return {
        **circuit,
        "kind": circuit.get("kind") or CircuitKind.DIA.value,
        "provider": circuit.get("provider") or "",
    }


def _new_circuits(
    site: Site,
    roles: dict[str, int],
    given: dict[str, list[dict[str, Any]]],
    headers: dict,
    blank_clears: bool,
) -> list[dict[str, Any]]:
    """The circuit list after an import: the file's circuits replace the stored ones.

    A circuit whose cells are all blank keeps the stored circuit in its place (first
    primary, second secondary…), and so does one the file has no columns for; with
    ``blank_clears`` blank cells remove it. A blank or missing type or provider likewise
    keeps the stored circuit's own, so a file with only speeds does not wipe providers.
    """
    existing: dict[str, list[Circuit]] = {}
    for circuit in site.circuits.all():  # in id order: the order export numbers them
        existing.setdefault(circuit.role, []).append(circuit)
    kept = [c for c in circuits_plain(site) if c["role"] not in roles]
    added = []
    for role, columns in roles.items():
        stored = existing.get(role, [])
        by_number = {c.get("n", 1): c for c in given.get(role, [])}
        for number in range(1, max(columns, len(stored)) + 1):
            old = stored[number - 1] if len(stored) >= number else None
            circuit = by_number.get(number)
            if circuit is None:
                if old is not None and not (blank_clears and number <= columns):
                    added.append({name: getattr(old, name) for name in CIRCUIT_FIELDS})
                continue
            circuit = dict(circuit)
            for attr in ("kind", "provider"):
                in_file = _circuit_key(role, number, attr) in headers
                if old is not None and not circuit.get(attr) and not (blank_clears and in_file):
                    circuit[attr] = getattr(old, attr)
            added.append(_filled(circuit))
    return sorted_circuits(kept + added)


def _hub_problems(
    existing: dict[str, Site],
    planned: list[PlannedRow],
    rows: list[dict[str, Any]],
    headers: dict[str, str],
) -> list[Problem]:
    """Problems of the rows whose backhaul hub cannot carry their traffic.

    A hub must be a site of the assessment or of the file, not the row's own site, and not
    send its own traffic through another site (the load is added one level up). A refused
    row is saved whole or not at all, as for any other refused cell.
    """
    cells = {row["line"]: row["values"].get("backhaul_hub") for row in rows}
    hub_of = {name: site.backhaul_hub for name, site in existing.items()}
    for item in planned:
        if item.action != "invalid" and item.name:
            value = cells.get(item.line)  # None: a blank cell keeps the stored hub
            key = item.name.lower()
            hub_of[key] = (value or "") if value is not None else hub_of.get(key, "")
    column = headers.get("backhaul_hub", "backhaul_hub")
    problems = []
    for item in planned:
        hub = (cells.get(item.line) or "").strip()
        if item.action == "invalid" or not hub:
            continue
        if hub.lower() == item.name.lower():
            message = "a site cannot send its traffic through itself: leave it empty"
        elif hub.lower() not in hub_of:
            message = f"no site named “{hub}” in the assessment or this file"
        elif hub_of[hub.lower()]:
            message = f"{hub} sends its own traffic through {hub_of[hub.lower()]}: name that site"
        else:
            continue
        problems.append(Problem(item.line, column, message))
        item.action, item.values, item.circuits, item.changes = "invalid", {}, None, []
    return problems


def plan_import(
    *, assessment: Assessment, payload: dict[str, Any], blank_clears: bool = False
) -> ImportPlan:
    """Match parsed rows to the assessment's sites by name (ignoring case) and diff them.

    Runs a fixed number of queries whatever the number of rows. A blank cell leaves the
    stored value as it is, like a column the file does not have; with ``blank_clears`` a
    blank cell sets the field blank (or to its default) instead. A blank country never
    removes the stored one.

    Args:
        assessment: the assessment the sites go into.
        payload: ``ParsedFile.payload()`` as stored.
        blank_clears: the user chose that blank cells clear stored values.

    Returns:
        The plan, with plan-level problems (e.g. a new site without a country) added.
    """
    existing = {
        site.name.lower(): site
        for site in assessment.sites.prefetch_related("circuits").order_by("position", "id")
    }
    roles: dict[str, int] = payload.get("circuit_roles", {})
    errors = [Problem(**p) for p in payload["errors"]]
    planned: list[PlannedRow] = []
    headers = payload["headers"]
    for row in payload["rows"]:
        values = {k: v for k, v in row["values"].items() if not (k == "country" and v is None)}
        name = values.get("name") or ""
        site = existing.get(name.lower()) if name else None
        item = PlannedRow(line=row["line"], name=name, action="invalid", subnets=row.get("subnets"))
        if row.get("bad"):
            planned.append(item)
            continue
        if site is None:
            if not values.get("country"):
                column = headers.get("country", "country")
                errors.append(Problem(row["line"], column, "empty: a new site needs a country"))
                planned.append(item)
                continue
            item.action = "create"
            item.values = values
            item.circuits = sorted_circuits(
                [_filled(c) for rs in row["circuits"].values() for c in rs]
            )
            planned.append(item)
            continue
        item.site_id, item.site_version = site.pk, site.version
        values.pop("name", None)  # matched by name: keep the stored spelling
        refused = False
        for key, value in values.items():
            if value is None and not blank_clears:
                continue  # a blank cell leaves the stored value
            column = SITE_COLUMN_BY_KEY[key]
            if value is None and is_count(column):
                # A count has no blank: clearing it would store 0, which the file did not say.
                errors.append(
                    Problem(
                        row["line"],
                        headers.get(key, column.header),
                        "empty: a number is needed here (only answers that may be empty are "
                        "cleared); write 0, or let empty cells keep the stored value",
                    )
                )
                refused = True
                continue
            old = plain(getattr(site, key))
            new = plain(model_value(key, value))
            if old != new:
                item.values[key] = value
                item.changes.append(
                    (SITE_COLUMN_BY_KEY[key].header, _display(key, old), _display(key, new))
                )
        if roles:
            current = circuits_plain(site)
            wanted = _new_circuits(site, roles, row["circuits"], headers, blank_clears)
            if wanted != current:
                item.circuits = wanted
                item.changes.append(("Circuits", _circuits_text(current), _circuits_text(wanted)))
        if refused:  # the row is refused whole: nothing half-saved
            item.values, item.circuits, item.changes = {}, None, []
            planned.append(item)
            continue
        item.action = "update" if item.changes else "unchanged"
        planned.append(item)
    errors += _hub_problems(existing, planned, payload["rows"], headers)
    errors.sort(key=lambda p: (p.line, p.column))
    by_line: dict[int, list[Problem]] = {}
    for problem in errors:
        by_line.setdefault(problem.line, []).append(problem)
    for item in planned:
        item.problems = by_line.get(item.line, [])
    digest = hashlib.sha256(
        json.dumps(
            [blank_clears] + [(r.line, r.action, r.site_id, r.site_version) for r in planned],
            default=str,
        ).encode()
    ).hexdigest()[:32]
    return ImportPlan(
        rows=planned,
        errors=errors,
        warnings=payload["warnings"],
        fingerprint=digest,
        errors_dropped=payload.get("errors_dropped", 0),
        rejected=sum(1 for r in planned if r.action == "invalid") + len(payload.get("rejects", [])),
    )
