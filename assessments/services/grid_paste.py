"""A block pasted into the sites grid saved as one change, and the grid's undo of its last."""

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from assessments import presenters
from assessments.models import (
    SITE_NAME_TAKEN,
    Assessment,
    Change,
    CircuitRole,
    Site,
    Undo,
    UndoKind,
)
from assessments.services import undo
from assessments.services.assessments import (
    circuits_plain,
    site_create,
    site_delete,
    site_update,
    sites_bulk_set,
)
from assessments.services.scores import assessment_rescore_on_commit
from assessments.services.versioning import Actor, StaleEditError
from imports.services.cells import CellError, parse_cell, without_unit
from imports.services.columns import SITE_COLUMN_BY_KEY, Column, circuit_column
from imports.services.spreadsheets import decimal_mark_shown

# A workshop pastes a customer's site list, not a data warehouse: past this, import the file
# (which previews and can skip rows) rather than hold one request and transaction this long.
MAX_ROWS = 500
MAX_CELLS = 10_000
MAX_CHARS = 2_000_000

# Log entries that group a grid action; their ``fields`` list the site versions they made.
PASTE = "gridpaste"
BULK = "gridbulk"
UNDO = "gridundo"
BATCH_TYPES = (PASTE, BULK, UNDO)
# How far back the undo looks for the user's last change: bounded work per request.
UNDO_LOOKBACK = 300

_PRIMARY = {"primary_down_mbps": "down_mbps", "primary_up_mbps": "up_mbps"}


@dataclass
class CellProblem:
    """A pasted cell (or a whole pasted row, ``column`` empty) that cannot be saved."""

    line: int  # the block's line, from 1
    column: str  # the grid column's field name
    message: str


class PasteRefused(Exception):
    """The block was not saved; ``problems`` says where and why, or ``message`` for all."""

    def __init__(self, message: str, problems: list[CellProblem] | None = None):
        self.problems = problems or []
        super().__init__(message)


@dataclass
class PasteResult:
    """What a paste changed: rows updated and added, and its log line."""

    updated: int = 0
    added: int = 0
    label: str = ""
    members: list[list[Any]] = field(default_factory=list)


def read_block(text: str) -> list[list[str]]:
    """The cells of a block as Excel and Google Sheets put it on the clipboard (TSV).

    Rows end in CRLF or LF; a cell holding a line break or a tab is quoted, with doubled
    quotes inside. A trailing line break (Excel adds one) is not a row.

    Raises:
        PasteRefused: too large a block.
    """
    if len(text) > MAX_CHARS:
        raise PasteRefused(
            f"The block holds {len(text):,} characters; paste at most {MAX_CHARS:,}."
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    rows: list[list[str]] = []
    try:
        for cells in reader:
            rows.append(cells)
            if len(rows) > MAX_ROWS + 1:
                break
    except csv.Error as exc:
        raise PasteRefused(f"The block could not be read ({exc}).") from exc
    while rows and all(not c.strip() for c in rows[-1]):
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise PasteRefused(
            f"The block has more than {MAX_ROWS} rows: import the sites from a file instead "
            "(Import sites), which previews them first."
        )
    if sum(len(r) for r in rows) > MAX_CELLS:
        raise PasteRefused(f"The block has more than {MAX_CELLS:,} cells: import it as a file.")
    return rows


def _column(name: str) -> Column:
    if name in _PRIMARY:
        return circuit_column(CircuitRole.PRIMARY, 1, _PRIMARY[name])
    return SITE_COLUMN_BY_KEY[name]


def _decimal(rows: list[list[str]], columns: list[Column]) -> str | None:
    """The block's decimal mark from its own numbers, as the import decides a file's."""
    seen = set()
    for cells in rows:
        for text, column in zip(cells, columns, strict=False):
            if column.kind in ("int", "float", "circuit") and text.strip():
                mark = decimal_mark_shown(without_unit(text))
                if mark:
                    seen.add(mark)
    return seen.pop() if len(seen) == 1 else None


def _parse(rows: list[list[str]], names: list[str]) -> list[dict[str, Any]]:
    columns = [_column(n) for n in names]
    decimal = _decimal(rows, columns)
    problems: list[CellProblem] = []
    parsed = []
    for line, cells in enumerate(rows, start=1):
        values: dict[str, Any] = {}
        for text, name, column in zip(cells, names, columns, strict=False):
            try:
                value = parse_cell(column, text, decimal)
            except CellError as exc:
                problems.append(CellProblem(line, name, f"{column.header}: {exc}."))
                continue
            if value is None and name not in _PRIMARY:
                value = column.default
            values[name] = value
        parsed.append(values)
    if problems:
        raise PasteRefused(_summary(problems), problems)
    return parsed


def _summary(problems: list[CellProblem]) -> str:
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"Nothing was pasted: line {first.line}, {first.message.rstrip('.')}{more}."


def _circuits(site: Site | None, values: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The site's circuits with the pasted primary down/up, or None when neither was pasted."""
    if not any(name in values for name in _PRIMARY):
        return None
    existing = circuits_plain(site) if site is not None else []
    primary = next((c for c in existing if c["role"] == CircuitRole.PRIMARY), None)
    down = values.get("primary_down_mbps", primary["down_mbps"] if primary else None)
    up = values.get("primary_up_mbps", primary["up_mbps"] if primary else None)
    if (down is None) != (up is None):
        missing = "primary_up_mbps" if up is None else "primary_down_mbps"
        raise ValidationError({missing: "Enter both down and up, or neither."})
    rest = [c for c in existing if c is not primary]
    if down is None:
        return rest
    base = primary or {"role": CircuitRole.PRIMARY, "kind": "dia", "provider": ""}
    return [*rest, {**base, "down_mbps": down, "up_mbps": up}]


def _problems_of(line: int, names: list[str], exc: Exception) -> list[CellProblem]:
    if isinstance(exc, StaleEditError):
        return [
            CellProblem(
                line, c.field, f"{c.label}: {c.by} changed it to {c.theirs_shown} meanwhile"
            )
            for c in exc.conflicts
        ] or [CellProblem(line, "", str(exc))]
    assert isinstance(exc, ValidationError)  # noqa: S101 - the only other kind caught
    found = []
    for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
        # The unique-name constraint speaks for the whole row: it is the name's cell.
        name = "name" if SITE_NAME_TAKEN in messages else name
        column = name if name in names else ""
        heading = presenters.label(Site, name) if name in SITE_COLUMN_BY_KEY else ""
        text = f"{heading}: {messages[0]}" if heading else messages[0]
        found.append(CellProblem(line, column, text))
    return found


def grid_paste(
    *,
    assessment: Assessment,
    text: str,
    columns: list[str],
    rows: list[tuple[Site, int]],
    actor: Actor,
) -> PasteResult:
    """Save a pasted block over the grid's rows, all or nothing, as one logged change.

    Args:
        assessment: The assessment whose grid it is.
        text: The clipboard's TSV text.
        columns: The grid's columns from the focused one rightwards (field names).
        rows: The grid's rows from the focused one downwards, each with the version the
            page showed; block lines past them are added as new sites at the end.
        actor: Who pastes.

    Returns:
        How many sites were updated and added.

    Raises:
        PasteRefused: a cell is refused (with its line and column), the block is too large
            or wider than the grid, or someone changed a row's pasted fields meanwhile.
    """
    block = read_block(text)
    if not block:
        raise PasteRefused("The clipboard holds no cells to paste.")
    width = max(len(r) for r in block)
    if width > len(columns):
        raise PasteRefused(
            f"The block is {width} columns wide, but only {len(columns)} columns of the grid "
            "follow the selected cell: select a cell further left."
        )
    names = columns[:width]
    parsed = _parse(block, names)
    result = PasteResult(
        label=f"{len(block)} row{'s' * (len(block) != 1)} × {width} column{'s' * (width != 1)}"
    )
    problems: list[CellProblem] = []
    with transaction.atomic():
        for index, values in enumerate(parsed):
            line = index + 1
            fields = {k: v for k, v in values.items() if k not in _PRIMARY}
            try:
                with transaction.atomic():
                    if index < len(rows):
                        site, version = rows[index]
                        saved = site_update(
                            site=site,
                            base_version=version,
                            changes=fields,
                            circuits=_circuits(site, values),
                            actor=actor,
                            rescore=False,
                        )
                        if saved.changed:
                            result.updated += 1
                            result.members.append([site.pk, saved.version, "update"])
                    else:
                        new = site_create(
                            assessment=assessment,
                            fields=fields,
                            circuits=_circuits(None, values),
                            actor=actor,
                            rescore=False,
                        )
                        result.added += 1
                        result.members.append([new.pk, new.version, "create"])
            except (ValidationError, StaleEditError) as exc:
                problems.extend(_problems_of(line, names, exc))
        if problems:
            transaction.set_rollback(True)
        elif result.members:
            _record_batch(assessment, PASTE, result.label, result.members, actor)
            assessment_rescore_on_commit(assessment.pk)
    if problems:
        raise PasteRefused(_summary(problems), problems)
    return result


def _record_batch(
    assessment: Assessment, kind: str, label: str, members: list[list[Any]], actor: Actor, **extra
) -> Change:
    """One activity-log line for a grid action; its sites' own entries are logged before it."""
    return Change.objects.create(
        organisation_id=assessment.organisation_id,
        assessment=assessment,
        object_type=kind,
        object_id=assessment.pk,
        object_label=label[:160],
        version=0,
        action={PASTE: "paste", BULK: "bulk", UNDO: "undo"}[kind],
        fields={"sites": [None, members], **extra},
        user=actor.user,
        actor_label=actor.label[:160],
    )


class UndoRefused(Exception):
    """Nothing was undone: there is nothing to undo, or someone changed it since."""


@dataclass(frozen=True)
class UndoTarget:
    """The user's last grid change: its log entry, how it reads, the site versions it made."""

    entry: Change
    label: str
    members: list[list[Any]]


def _members(entry: Change) -> list[list[Any]]:
    return list((entry.fields.get("sites") or [None, []])[1])


def _describe(entry: Change) -> str:
    if entry.object_type == PASTE:
        return f"paste of {entry.object_label}"
    if entry.object_type == BULK:
        return f"setting {entry.object_label}"
    if entry.action == "create":
        return f"adding “{entry.object_label}”"
    names = ", ".join(presenters.label(Site, n) for n in entry.fields if n != "circuits")
    if "circuits" in entry.fields:
        names = ", ".join(filter(None, [names, "internet lines"]))
    return f"change to “{entry.object_label}” ({names})"


def grid_undo_target(*, assessment: Assessment, user) -> UndoTarget | None:
    """The last change ``user`` made to the sites of ``assessment`` that is not undone yet.

    Args:
        assessment: The assessment whose grid it is.
        user: The staff user; only their own changes are undone.

    Returns:
        The change to undo (a paste, a bulk set or one row's edit or addition), or None.
    """
    entries = assessment.changes.filter(user=user, object_type__in=(*BATCH_TYPES, "site"))
    consumed: set[tuple[int, int]] = set()
    undone: set[int] = set()
    for entry in entries.order_by("-id")[:UNDO_LOOKBACK]:
        members = {(m[0], m[1]) for m in _members(entry)}
        if entry.object_type == UNDO:
            consumed |= members
            undone.update((entry.fields.get("undid") or [None, []])[1])
        elif entry.id in undone:
            consumed |= members | {(entry.object_id, entry.version)}
        elif entry.object_type in BATCH_TYPES:
            return UndoTarget(entry, _describe(entry), _members(entry))
        elif (entry.object_id, entry.version) in consumed:
            continue
        elif entry.action in ("update", "create"):
            members_one = [[entry.object_id, entry.version, entry.action]]
            return UndoTarget(entry, _describe(entry), members_one)
        elif entry.action == "delete" and _removal(assessment, entry) is not None:
            members_one = [[entry.object_id, entry.version, "delete"]]
            return UndoTarget(entry, f"removing “{entry.object_label}”", members_one)
        else:
            return None  # a removal from elsewhere keeps nothing to put back
    return None


def _changed_since(site: Site, version: int) -> str:
    later = Change.objects.filter(object_type="site", object_id=site.pk, version__gt=version)
    last = later.order_by("-id").first()
    who = last.actor_label if last else "someone else"
    return f"“{site.name}” was changed by {who} since: nothing was undone."


@transaction.atomic
def grid_undo(*, assessment: Assessment, actor: Actor) -> str:
    """Undo the user's last grid change through the versioned services, all or nothing.

    Args:
        assessment: The assessment whose grid it is.
        actor: The staff user undoing their own change.

    Returns:
        What was undone, as the page says it.

    Raises:
        UndoRefused: nothing to undo, or a site it touched changed since (never overwritten).
    """
    target = grid_undo_target(assessment=assessment, user=actor.user)
    if target is None:
        raise UndoRefused("There is nothing of yours to undo in this grid.")
    sites = {s.pk: s for s in assessment.sites.filter(pk__in=[m[0] for m in target.members])}
    made: list[list[Any]] = []
    for site_id, version, action in reversed(target.members):
        if action == "delete":
            made.append(_put_back(assessment, target.entry, actor))
            continue
        site = sites.get(site_id)
        if site is None:
            raise UndoRefused("A site it changed has been removed since: nothing was undone.")
        if site.version != version:
            raise UndoRefused(_changed_since(site, version))
        if action == "create":
            site_delete(site=site, base_version=version, actor=actor, rescore=False)
            made.append([site_id, version, "delete"])
            continue
        entry = Change.objects.get(object_type="site", object_id=site_id, version=version)
        old = {name: pair[0] for name, pair in entry.fields.items()}
        circuits = old.pop("circuits", None)
        saved = site_update(
            site=site,
            base_version=version,
            changes=old,
            circuits=circuits,
            actor=actor,
            rescore=False,
        )
        made.append([site_id, saved.version, "update"])
    _record_batch(assessment, UNDO, target.label, made, actor, undid=[None, [target.entry.pk]])
    assessment_rescore_on_commit(assessment.pk)
    return f"Undone: {target.label}."


def _removal(assessment: Assessment, entry: Change) -> Undo | None:
    """What the grid's removal of a site kept to bring it back (see ``undo.site_remove``)."""
    return (
        Undo.objects.open()
        .filter(
            assessment=assessment, kind=UndoKind.SITE_DELETE, payload__rows__0__pk=entry.object_id
        )
        .first()
    )


def _put_back(assessment: Assessment, removal: Change, actor: Actor) -> list[Any]:
    """Bring a removed site back as it was: its id, answers, circuits, measurements, place."""
    kept = _removal(assessment, removal)
    if kept is None:
        raise UndoRefused(f"“{removal.object_label}” was put back already.")
    try:
        site = undo.site_restore(undo=kept, actor=actor)
    except undo.UndoRefused as exc:
        raise UndoRefused(str(exc)) from exc
    return [site.pk, site.version, "restore"]


@transaction.atomic
def grid_bulk_set(*, assessment: Assessment, sites, changes: dict[str, Any], actor: Actor) -> int:
    """``sites_bulk_set``, logged as one grid change so that Undo takes it back whole.

    Args:
        assessment: The assessment whose grid it is.
        sites: As for ``sites_bulk_set``.
        changes: As for ``sites_bulk_set``.
        actor: Who sets them.

    Returns:
        How many sites were given.
    """
    sites = list(sites)
    seen = {site.pk: site.version for site in sites}
    count = sites_bulk_set(sites=sites, changes=changes, actor=actor)
    # A saved site carries its new version; one already holding the values is unchanged.
    members = [[s.pk, s.version, "update"] for s in sites if s.version != seen[s.pk]]
    if members:
        labels = ", ".join(presenters.label(Site, n) for n in changes)
        _record_batch(assessment, BULK, f"{labels} on {len(members)} site(s)", members, actor)
    return count
