"""Network measurements of a site: Network Assessment Tool results summarised, or typed by hand."""

# Files read: the Teams tool's quality_check_results.csv as written and as
# re-saved by PowerShell wrappers, the older Skype for Business tool's
# performance_results.tsv, and a saved console transcript. A run is summarised as median
# and 95th percentile per metric; the 95th percentile is what goes on the site and is
# scored against Microsoft's targets (Prepare your network), because they hold "in any
# 15 s interval": a good average can hide a bad busy hour.

# Each reader has its module: read_nat_table.py (the tools' CSV and TSV files and tables
# typed up with their headings), read_nat_console.py (a console transcript); nat_summary.py
# collects a run's samples and summarises them. This module recognises a file, puts a run's
# figures on a site, and shows them beside their targets.

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from assessments.models import MeasurementTool, Site
from assessments.services.assessments import site_update
from assessments.services.versioning import Actor
from imports.models import (
    LatencyBasis,
    MeasurementFileFormat,
    MeasurementImport,
    MeasurementSource,
    Segment,
)
from imports.services.nat_summary import (
    MAX_SAMPLES,
    SUGGESTED_SAMPLES,
    MeasurementFileError,
    MetricSummary,
    NatSummary,
    percentile,
    summary_notes,
)
from imports.services.read_csv import decode_text, sniff_delimiter
from imports.services.read_nat_console import parse_console
from imports.services.read_nat_table import split_cells, summarise_table, table_layout
from imports.services.read_table import MAX_FILE_BYTES
from imports.services.spreadsheets import ImportFileError

__all__ = [
    "HEADER_SEARCH_LINES",
    "MAX_SAMPLES",
    "SUGGESTED_SAMPLES",
    "FigureRow",
    "MeasurementFileError",
    "MetricSummary",
    "NatSummary",
    "latency_note",
    "latency_notes_by_site",
    "measurement_import_apply",
    "measurement_paste",
    "nat_upload_apply",
    "parse_nat_file",
    "percentile",
    "site_figures",
    "summary_notes",
]

HEADER_SEARCH_LINES = 30


def parse_nat_file(*, data: bytes) -> NatSummary:
    """Summarise a Network Assessment Tool quality-check result.

    Reads the Teams tool's quality_check_results.csv (also re-saved with every field quoted
    and extra columns), the Skype for Business tool's performance_results.tsv (English or
    French Windows) and a saved console transcript. Lines with 100 % loss
    count for loss but not for latency and jitter (no media got through, so their latency
    says nothing). Lines whose figures cannot be read are skipped and listed.

    Raises:
        MeasurementFileError: not recognised as quality-check output (the message names the
            columns looked for and those found), lines that can be read more than one way
            (decimal commas), shifted values, or a timestamp that cannot be right.
    """
    if len(data) > MAX_FILE_BYTES:
        raise MeasurementFileError(
            f"The file is {len(data) / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB."
        )
    if not data.strip():
        raise MeasurementFileError("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        raise MeasurementFileError(
            "This is an Excel workbook. Upload the tool's own quality_check_results.csv "
            "(or save the sheet as CSV)."
        )
    try:
        text, _encoding = decode_text(data)
    except ImportFileError as exc:
        raise MeasurementFileError(str(exc)) from exc
    lines = text.splitlines()
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        if not line.strip():
            continue
        delimiter = sniff_delimiter(line) if re.search(r"[,;\t|]", line) else None
        layout = table_layout(split_cells(line, delimiter))
        if layout is not None:
            return summarise_table(lines, index, layout, delimiter)
    summary = parse_console(lines)
    if summary:
        return summary
    first = next((line for line in lines if line.strip()), "")
    found = ", ".join(f"“{c[:30]}”" for c in split_cells(first, sniff_delimiter(first)) if c)
    raise MeasurementFileError(
        "This file is not recognised as a Network Assessment Tool quality check result. "
        "We look for the columns Timestamp-UTC, LossRate-%, AverageLatency-Ms and "
        "AverageJitter-Ms (the file quality_check_results.csv that "
        "“NetworkAssessmentTool.exe /qualitycheck” writes), or the older tool's "
        "performance_results.tsv" + (f"; the first line has {found[:300]}." if found else ".")
    )


_FIELDS = {"rtt": "rtt_ms", "jitter": "jitter_ms", "loss": "loss_pct", "reorder": "reorder_pct"}


def nat_upload_apply(
    *, site, upload, segment: str, measured_where: str, measured_on, actor
) -> tuple["NatSummary", "MeasurementImport"]:
    """Read an uploaded Network Assessment Tool file and store its figures on ``site``.

    Returns:
        The file's summary and the stored import record.

    Raises:
        MeasurementFileError: The file is not a readable results file.
        ValidationError: The figures are outside what a site accepts.
    """
    summary = parse_nat_file(data=upload.read())
    record = measurement_import_apply(
        site=site,
        summary=summary,
        segment=segment,
        file_name=upload.name,
        measured_where=measured_where,
        measured_on=measured_on,
        actor=actor,
    )
    return summary, record


@transaction.atomic
def measurement_import_apply(
    *,
    site: Site,
    summary: NatSummary,
    segment: str,
    file_name: str,
    measured_where: str,
    measured_on: date | None,
    actor: Actor,
) -> MeasurementImport:
    """Put a run's p95 figures on the site's client or edge fields and keep a record of it.

    The record keeps the latency as the file gives it and what it was compared with; the
    site gets the round trip scored (twice a latency read as one way).
    The site is saved through ``site_update`` (versioned, in the activity log). Reorder is
    not in the Teams tool's output; a reorder figure already on the site stays unless the
    file has a reorder column.

    Raises:
        django.core.exceptions.ValidationError: a figure is outside what a site accepts.
    """
    changes: dict[str, Any] = {}
    for metric, suffix in _FIELDS.items():
        stats = getattr(summary, metric)
        if stats is not None:
            changes[f"{segment}_{suffix}"] = stats.p95
    changes.update(
        measured_on=measured_on or summary.measured_on or date.today(),
        measured_where=measured_where,
        measurement_tool=MeasurementTool.NAT,
    )
    locked = Site.objects.get(pk=site.pk)
    site_update(site=locked, base_version=locked.version, changes=changes, actor=actor)
    record = MeasurementImport(
        site=locked,
        segment=segment,
        source=MeasurementSource.NAT,
        file_name=file_name[:255],
        file_format=summary.file_format,
        samples=summary.samples,
        failed_samples=summary.failed,
        protocols=", ".join(summary.protocols)[:120],
        rebuilt_lines=len(summary.rebuilt_lines),
        first_at=summary.first_at,
        last_at=summary.last_at,
        clock=summary.clock if summary.first_at else "",
        measured_on=changes["measured_on"],
        measured_where=measured_where,
        created_by=actor.user,
        created_by_label=actor.label[:160],
    )
    for metric in _FIELDS:
        stats = getattr(summary, metric)
        if stats is not None:
            setattr(record, f"{metric}_median_{_unit(metric)}", stats.median)
            setattr(record, f"{metric}_p95_{_unit(metric)}", stats.p95)
    if summary.latency is not None:
        record.latency_median_ms = summary.latency.median
        record.latency_p95_ms = summary.latency.p95
        record.latency_basis = summary.latency_basis
    record.full_clean()
    record.save()
    return record


def _unit(metric: str) -> str:
    return "ms" if metric in ("rtt", "jitter") else "pct"


@transaction.atomic
def measurement_paste(
    *,
    site: Site,
    segment: str,
    figures: dict[str, float | None],
    measured_on: date,
    measured_where: str,
    tool: str,
    actor: Actor,
) -> MeasurementImport:
    """Put figures typed by hand on a site's client or edge fields; blank ones stay as they are.

    Args:
        site: the site.
        segment: ``client`` or ``edge``.
        figures: ``{"rtt": …, "jitter": …, "loss": …, "reorder": …}``, None for blank.
        measured_on: when they were measured.
        measured_where: where from (e.g. "3rd floor Wi-Fi").
        tool: a ``MeasurementTool`` value.
        actor: who enters them.
    """
    if segment not in Segment.values:
        raise ValueError(segment)
    changes: dict[str, Any] = {
        f"{segment}_{suffix}": figures[metric]
        for metric, suffix in _FIELDS.items()
        if figures.get(metric) is not None
    }
    changes.update(measured_on=measured_on, measured_where=measured_where, measurement_tool=tool)
    locked = Site.objects.get(pk=site.pk)
    site_update(site=locked, base_version=locked.version, changes=changes, actor=actor)
    record = MeasurementImport(
        site=locked,
        segment=segment,
        source=MeasurementSource.MANUAL,
        measured_on=measured_on,
        measured_where=measured_where,
        created_by=actor.user,
        created_by_label=actor.label[:160],
    )
    for metric in _FIELDS:
        if figures.get(metric) is not None:
            setattr(record, f"{metric}_p95_{_unit(metric)}", figures[metric])
    record.full_clean()
    record.save()
    return record


@dataclass(frozen=True)
class FigureRow:
    """One metric of a site beside its targets for both segments."""

    label: str
    unit: str
    client: float | None
    client_target: float
    edge: float | None
    edge_target: float

    @property
    def client_ok(self) -> bool | None:
        """Whether the client figure meets its target (None when not measured)."""
        return None if self.client is None else self.client < self.client_target

    @property
    def edge_ok(self) -> bool | None:
        """Whether the edge figure meets its target (None when not measured)."""
        return None if self.edge is None else self.edge < self.edge_target


def site_figures(site: Site) -> list[FigureRow]:
    """A site's stored figures (the p95 of the last import) beside Microsoft's targets."""
    from scoring import ruleset

    specs = [
        ("Round trip", "ms", "rtt_ms", ruleset.CLIENT_RTT_MAX_MS, ruleset.EDGE_RTT_MAX_MS),
        ("Jitter", "ms", "jitter_ms", ruleset.CLIENT_JITTER_MAX_MS, ruleset.EDGE_JITTER_MAX_MS),
        ("Packet loss", "%", "loss_pct", ruleset.CLIENT_LOSS_MAX_PCT, ruleset.EDGE_LOSS_MAX_PCT),
        (
            "Reorder",
            "%",
            "reorder_pct",
            ruleset.CLIENT_REORDER_MAX_PCT,
            ruleset.EDGE_REORDER_MAX_PCT,
        ),
    ]
    return [
        FigureRow(
            label=label,
            unit=unit,
            client=getattr(site, f"client_{suffix}"),
            client_target=client_target,
            edge=getattr(site, f"edge_{suffix}"),
            edge_target=edge_target,
        )
        for label, unit, suffix, client_target, edge_target in specs
    ]


def _one_way_target(segment: str) -> float:
    from scoring import ruleset

    # Prepare your network: the one-way targets are half the round-trip ones (50 / 30 ms).
    rtt = ruleset.CLIENT_RTT_MAX_MS if segment == Segment.CLIENT else ruleset.EDGE_RTT_MAX_MS
    return rtt / 2


def latency_note(record: MeasurementImport) -> str:
    """How a run's latency was read, in a sentence; "" when there is nothing to say."""
    if record.latency_p95_ms is None or record.rtt_p95_ms is None:
        return ""
    if record.latency_basis == LatencyBasis.ONE_WAY:
        return (
            f"The Teams tool reported a latency of {record.latency_p95_ms:g} ms (95th "
            "percentile). Microsoft does not say whether that figure is one way or a round "
            "trip; its own lab compares it with the one-way target (< "
            f"{_one_way_target(record.segment):g} ms), so we take that cautious reading and "
            f"score a round trip of {record.rtt_p95_ms:g} ms, twice the figure."
        )
    if record.file_format == MeasurementFileFormat.SFB_TSV:
        return (
            "The Skype for Business tool measures the round trip: its "
            f"{record.latency_p95_ms:g} ms (95th percentile) is scored as read."
        )
    return ""


# What ``latency_note`` and ``latency_notes_by_site`` read of a run.
NOTE_FIELDS = ("site", "segment", "latency_basis", "latency_p95_ms", "rtt_p95_ms", "file_format")


def latency_notes_by_site(sites: list[Site]) -> dict[int, list[str]]:
    """Per site, a sentence for each path whose round trip was read from a one-way latency.

    Only where the site's figure still is the one that run stored (a later typed figure
    replaces it). One query for any number of sites.
    """
    # A note needs a round trip on the site that a run could have stored: a site with none
    # typed or imported has no note, and no query is made for it.
    by_pk = {
        site.pk: site
        for site in sites
        if any(getattr(site, f"{segment}_rtt_ms", None) is not None for segment in Segment.values)
    }
    if not by_pk:
        return {}
    # Only what a note reads: the window's subquery repeats every column it selects.
    latest = (
        MeasurementImport.objects.filter(site_id__in=list(by_pk))
        .only(*NOTE_FIELDS)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("site_id"), F("segment")],
                order_by=[F("created_at").desc(), F("id").desc()],
            )
        )
    )
    notes: dict[int, list[str]] = {}
    for record in sorted(latest.filter(rank=1), key=lambda r: r.segment):
        site = by_pk[record.site_id]
        if (
            record.latency_basis == LatencyBasis.ONE_WAY
            and getattr(site, f"{record.segment}_rtt_ms") == record.rtt_p95_ms
        ):
            label = Segment(record.segment).label
            notes.setdefault(site.pk, []).append(f"{label}: {latency_note(record)}")
    return notes
