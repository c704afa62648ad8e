"""Network measurements of a site: Network Assessment Tool results summarised, or typed by hand.

The Teams Network Assessment Tool's quality check (domain.md §3.2) writes one line about
every 5 seconds with TIMESTAMP, LOSS RATE, LATENCY (round trip to the relay, ms) and
JITTER (ms). A run is summarised as median and 95th percentile per metric; the 95th
percentile is what goes on the site and is scored against domain.md §2.1, because the
targets hold "in any 15 s interval": a good average can hide a bad busy hour.
"""

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from django.db import transaction

from assessments.models import MeasurementImport, MeasurementSource, MeasurementTool, Segment, Site
from assessments.services.assessments import site_update
from assessments.services.imports import (
    MAX_FILE_BYTES,
    ImportFileError,
    _norm,
    _sniff_delimiter,
    decode_text,
)
from assessments.services.versioning import Actor

MAX_SAMPLES = 200_000  # a week at one line every 5 s is about 121,000


class MeasurementFileError(Exception):
    """The file is not a Network Assessment Tool quality check result we can read."""


# Lenient headings: the documented console labels, and what people and versions write.
NAT_HEADERS: dict[str, tuple[str, ...]] = {
    "timestamp": ("timestamp", "time stamp", "time", "date time", "datetime", "date", "utc time"),
    "loss": (
        "loss rate",
        "loss",
        "packet loss",
        "packet loss rate",
        "loss rate pct",
        "loss pct",
        "lossrate",
    ),
    "latency": (
        "latency",
        "latency ms",
        "rtt",
        "rtt ms",
        "round trip",
        "round trip time",
        "avg latency",
        "average latency",
    ),
    "jitter": ("jitter", "jitter ms", "avg jitter", "average jitter"),
    "reorder": (
        "reorder",
        "reorder ratio",
        "reorder rate",
        "reorder pct",
        "packet reorder",
        "packet reorder ratio",
        "reordered",
        "out of order",
    ),
    "protocol": ("protocol", "transport"),
}
_HEADER_LOOKUP = {
    spelling.replace(" ", ""): key for key, ss in NAT_HEADERS.items() for spelling in ss
}
REQUIRED = ("loss", "latency", "jitter")

# "Loss Rate: 0  Latency: 71.45  Jitter: 10  Protocol: UDP" (the console output, domain.md §3.2)
_CONSOLE = re.compile(
    r"loss\s*rate\s*[:=]\s*(?P<loss>[\d.,]+).*?latency\s*[:=]\s*(?P<latency>[\d.,]+)"
    r".*?jitter\s*[:=]\s*(?P<jitter>[\d.,]+)",
    re.IGNORECASE,
)
_STAMP_FORMATS = (
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
)


def percentile(sorted_values: list[float], fraction: float) -> float:
    """The ``fraction`` percentile with linear interpolation between closest ranks.

    The same definition as Excel's PERCENTILE.INC and numpy's default, so a customer can
    check the figure in a spreadsheet.
    """
    if not sorted_values:
        raise ValueError("no values")
    position = (len(sorted_values) - 1) * fraction
    low = math.floor(position)
    high = min(low + 1, len(sorted_values) - 1)
    weight = position - low
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * weight


@dataclass(frozen=True)
class MetricSummary:
    """Median and 95th percentile of one metric over the samples that carry it."""

    median: float
    p95: float
    count: int

    @classmethod
    def of(cls, values: list[float]) -> "MetricSummary | None":
        """The summary of ``values``, or None when there are none."""
        if not values:
            return None
        ordered = sorted(values)
        return cls(
            median=round(percentile(ordered, 0.5), 3),
            p95=round(percentile(ordered, 0.95), 3),
            count=len(ordered),
        )


@dataclass
class NatSummary:
    """A quality-check run summarised."""

    samples: int
    failed: int  # lines with 100 % loss: no media got through
    rtt: MetricSummary | None
    jitter: MetricSummary | None
    loss: MetricSummary | None
    reorder: MetricSummary | None
    first_at: datetime | None
    last_at: datetime | None
    protocols: list[str] = field(default_factory=list)
    skipped_lines: list[int] = field(default_factory=list)
    layout: str = "csv"  # csv, or console (a saved console transcript)

    @property
    def measured_on(self) -> date | None:
        """The day the run ended (UTC), as the site's "measured on"."""
        return self.last_at.date() if self.last_at else None


def _number(text: str) -> float | None:
    text = text.strip().rstrip("%").strip().replace(",", ".")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _parse_stamps(texts: list[str]) -> list[datetime]:
    """The timestamps of a run, in UTC; one format for the whole file (day/month ambiguity)."""
    texts = [re.sub(r"(\d{1,2}:\d{2}:\d{2})[.,]\d+", r"\1", t.strip()) for t in texts if t.strip()]
    if not texts:
        return []
    parsers = [lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))] + [
        (lambda t, fmt=fmt: datetime.strptime(t, fmt)) for fmt in _STAMP_FORMATS
    ]
    for parse in parsers:
        values = []
        for text in texts:
            try:
                values.append(parse(text))
            except ValueError:
                continue
        if len(values) >= len(texts) * 0.9:
            return [
                v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC) for v in values
            ]
    return []


def _split(line: str, delimiter: str | None) -> list[str]:
    if delimiter:
        return [cell.strip().strip('"') for cell in line.split(delimiter)]
    return [cell.strip() for cell in re.split(r"\s{2,}", line.strip())]


def _header_keys(cells: list[str]) -> dict[str, int]:
    keys: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = _HEADER_LOOKUP.get(_norm(re.sub(r"\(.*?\)", "", cell)).replace(" ", ""))
        if key and key not in keys:
            keys[key] = index
    return keys


def parse_nat_file(*, data: bytes) -> NatSummary:
    """Summarise a Network Assessment Tool quality-check result (CSV, or console transcript).

    Lines with 100 % loss count for loss but not for latency and jitter (no media got
    through, so their latency says nothing). Lines that cannot be read are skipped and
    listed.

    Raises:
        MeasurementFileError: not recognised as quality-check output (the message names
            the columns looked for and those found).
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
    header_at, keys, delimiter = None, {}, None
    for index, line in enumerate(lines[:30]):
        if not line.strip():
            continue
        candidate = _sniff_delimiter(line) if re.search(r"[,;\t|]", line) else None
        found = _header_keys(_split(line, candidate))
        if all(k in found for k in REQUIRED):
            header_at, keys, delimiter = index, found, candidate
            break
    if header_at is None:
        summary = _parse_console(lines)
        if summary:
            return summary
        first = next((line for line in lines if line.strip()), "")
        found = ", ".join(f"“{c[:30]}”" for c in _split(first, _sniff_delimiter(first)) if c)
        raise MeasurementFileError(
            "This file is not recognised as a Network Assessment Tool quality check result. "
            "We look for the columns TIMESTAMP, LOSS RATE, LATENCY and JITTER (the file "
            "quality_check_results.csv that “NetworkAssessmentTool.exe /qualitycheck” writes)"
            + (f"; the first line has {found[:300]}." if found else ".")
        )
    return _summarise_rows(lines, header_at, keys, delimiter)


def _summarise_rows(
    lines: list[str], header_at: int, keys: dict[str, int], delimiter: str | None
) -> NatSummary:
    rtt, jitter, loss, reorder = [], [], [], []
    stamps: list[str] = []
    protocols: dict[str, None] = {}
    skipped: list[int] = []
    samples = failed = 0
    for number, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not line.strip():
            continue
        cells = _split(line, delimiter)

        def cell(key: str, cells: list[str] = cells) -> str:
            index = keys.get(key)
            return cells[index] if index is not None and index < len(cells) else ""

        loss_value = _number(cell("loss"))
        latency_value, jitter_value = _number(cell("latency")), _number(cell("jitter"))
        if loss_value is None or (loss_value < 100 and None in (latency_value, jitter_value)):
            skipped.append(number)
            continue
        samples += 1
        if samples > MAX_SAMPLES:
            raise MeasurementFileError(f"The file has more than {MAX_SAMPLES:,} samples.")
        loss.append(loss_value)
        if loss_value >= 100:
            failed += 1
        else:
            rtt.append(latency_value)
            jitter.append(jitter_value)
        reorder_value = _number(cell("reorder"))
        if reorder_value is not None:
            reorder.append(reorder_value)
        stamps.append(cell("timestamp"))
        if cell("protocol"):
            protocols[cell("protocol")[:30]] = None
    if not samples:
        raise MeasurementFileError(
            "The file has the quality check's columns but no measurement lines under them."
        )
    times = _parse_stamps(stamps)
    return NatSummary(
        samples=samples,
        failed=failed,
        rtt=MetricSummary.of(rtt),
        jitter=MetricSummary.of(jitter),
        loss=MetricSummary.of(loss),
        reorder=MetricSummary.of(reorder),
        first_at=min(times) if times else None,
        last_at=max(times) if times else None,
        protocols=list(protocols)[:5],
        skipped_lines=skipped,
    )


def _parse_console(lines: list[str]) -> NatSummary | None:
    rtt, jitter, loss = [], [], []
    failed = 0
    for line in lines:
        match = _CONSOLE.search(line)
        if not match:
            continue
        values = [_number(match.group(k)) for k in ("loss", "latency", "jitter")]
        if None in values:
            continue
        loss.append(values[0])
        if values[0] >= 100:
            failed += 1
        else:
            rtt.append(values[1])
            jitter.append(values[2])
    if not loss:
        return None
    return NatSummary(
        samples=len(loss),
        failed=failed,
        rtt=MetricSummary.of(rtt),
        jitter=MetricSummary.of(jitter),
        loss=MetricSummary.of(loss),
        reorder=None,
        first_at=None,
        last_at=None,
        layout="console",
    )


# The tool prints a line about every 5 s and Microsoft suggests 30-minute runs (domain.md §3.2).
SUGGESTED_SAMPLES = 360


def summary_notes(summary: NatSummary) -> list[str]:
    """Things the user should know about a run: short, lines skipped, total loss."""
    notes = []
    if summary.skipped_lines:
        shown = ", ".join(map(str, summary.skipped_lines[:10]))
        more = "…" if len(summary.skipped_lines) > 10 else ""
        notes.append(
            f"{len(summary.skipped_lines)} line(s) could not be read and were left out "
            f"(line {shown}{more})."
        )
    if summary.samples < SUGGESTED_SAMPLES:
        notes.append(
            f"Only {summary.samples} samples (about {summary.samples * 5 // 60 or 1} min). "
            "Microsoft suggests 30-minute runs, repeated over a week of business hours, before "
            "relying on the figures."
        )
    if summary.failed:
        notes.append(
            f"{summary.failed} sample(s) had 100 % loss (no media got through): they count "
            "for loss but not for latency and jitter."
        )
    return notes


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
        samples=summary.samples,
        failed_samples=summary.failed,
        protocols=", ".join(summary.protocols)[:120],
        first_at=summary.first_at,
        last_at=summary.last_at,
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
    """One metric of a site beside its targets for both segments (domain.md §2.1)."""

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
    from assessments.scoring import ruleset

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
