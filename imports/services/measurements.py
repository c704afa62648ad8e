"""Network measurements of a site: Network Assessment Tool results summarised, or typed by hand."""

# Files read (domain.md §3.2): the Teams tool's quality_check_results.csv as written and as
# re-saved by PowerShell wrappers, the older Skype for Business tool's
# performance_results.tsv, and a saved console transcript. A run is summarised as median
# and 95th percentile per metric; the 95th percentile is what goes on the site and is
# scored against domain.md §2.1, because the targets hold "in any 15 s interval": a good
# average can hide a bad busy hour.

import csv
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from typing import Any

from django.db import transaction
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from assessments.models import MeasurementTool, Site
from assessments.services.assessments import site_update
from assessments.services.versioning import Actor
from imports.models import (
    LatencyBasis,
    MeasurementFileFormat,
    MeasurementImport,
    MeasurementSource,
    SampleClock,
    Segment,
)
from imports.services.read_csv import decode_text, sniff_delimiter
from imports.services.read_table import MAX_FILE_BYTES
from imports.services.spreadsheets import ImportFileError

MAX_SAMPLES = 200_000  # a week at one line every 5 s is about 121,000
HEADER_SEARCH_LINES = 30

_METRICS = ("loss", "latency", "jitter", "reorder")
_REQUIRED = ("loss", "latency", "jitter")


class MeasurementFileError(Exception):
    """The file is not a Network Assessment Tool quality check result we can read."""


def _heading(cell: str) -> str:
    """A column heading reduced to letters and digits: "LossRate-%" → "lossrate"."""
    return re.sub(r"[^a-z0-9]", "", cell.lower())


# The Teams tool's quality_check_results.csv (domain.md §3.2), heading → kind of column.
TEAMS_COLUMNS = {
    "timestamputc": "timestamp",
    "lossrate": "loss",
    "averagelatencyms": "latency",
    "averagejitterms": "jitter",
    "protocol": "protocol",
    "localip": "address",
    "remoteip": "address",
    "proxyused": "flag",
    "reflexiveip": "address",
}
# The Skype for Business tool's performance_results.tsv (domain.md §3.2; the heading as
# public parsers of the file spell it): loss and reorder are fractions of 1 (2 packets lost
# of 848 is 0.00235849…), the latency is a round trip.
SFB_COLUMNS = {
    "callstarttime": "timestamp",
    "packetlossrate": "loss",
    "roundtriplatencyinms": "latency",
    "packetssent": "count",
    "packetsreceived": "count",
    "averagejitterinms": "jitter",
    "packetreorderratio": "reorder",
}

# (columns, file format, loss and reorder as fractions, latency basis, clock of timestamps)
_TOOL_FILES = (
    (
        TEAMS_COLUMNS,
        MeasurementFileFormat.TEAMS_CSV,
        False,
        LatencyBasis.ONE_WAY,  # Microsoft's lab reads AverageLatency-Ms as one way (§3.2)
        SampleClock.UTC,  # Timestamp-UTC
    ),
    (
        SFB_COLUMNS,
        MeasurementFileFormat.SFB_TSV,
        True,
        LatencyBasis.ROUND_TRIP,
        SampleClock.LOCAL,  # CallStartTime has no zone: stored as read, shown as local time
    ),
)

# Other tables with the tool's figures under looser headings (a sheet someone typed up):
# "rtt" columns are round trips; a bare "latency" is read like the Teams tool's figure.
NAT_HEADERS: dict[str, tuple[str, ...]] = {
    "timestamp": ("timestamp", "time stamp", "time", "date time", "datetime", "date", "utc time"),
    "loss": ("loss rate", "loss", "packet loss", "packet loss rate", "loss rate pct", "loss pct"),
    "latency": ("latency", "latency ms", "avg latency", "average latency", "average latency ms"),
    "rtt": ("rtt", "rtt ms", "round trip", "round trip time", "round trip ms"),
    "jitter": ("jitter", "jitter ms", "avg jitter", "average jitter", "average jitter ms"),
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
_HEADER_LOOKUP = {_heading(s): key for key, spellings in NAT_HEADERS.items() for s in spellings}

# "Loss Rate: 0  Latency: 71.45  Jitter: 10  Protocol: UDP" (the console output, domain.md §3.2)
_CONSOLE = re.compile(
    r"loss\s*rate\s*[:=]\s*(?P<loss>[\d.,]+).*?latency\s*[:=]\s*(?P<latency>[\d.,]+)"
    r".*?jitter\s*[:=]\s*(?P<jitter>[\d.,]+)",
    re.IGNORECASE,
)
_CONSOLE_PROTOCOL = re.compile(
    r"protocol\s*[:=]\s*(?P<protocol>[A-Za-z][\w ]{0,29}?)\s*(?:$|\s{2})", re.IGNORECASE
)
# A timestamp inside a console line: the tool's own 2022-06-08-08:14:13 (or ISO 8601), or
# a date as Windows prints it.
_STAMP_IN_LINE = re.compile(
    r"\d{4}-\d{2}-\d{2}[-T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\d{1,2}[/.]\d{1,2}[/.]\d{4} \d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?"
)

# A number as the tools write it: "66.93", "75,69" (decimal comma), "5.89E-05".
_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)?(?:[eE][-+]?[0-9]+)?")
# The whole part of a number split by a decimal comma: no formatter writes "05".
_WHOLE = re.compile(r"0|[1-9][0-9]*")
_FRACTION = re.compile(r"[0-9]+")

# What each typed column of the tools' files may hold: a value of the wrong kind means the
# line's values are shifted.
_TYPED = {
    "protocol": (re.compile(r"[A-Za-z][A-Za-z0-9 ]*"), "a protocol such as UDP"),
    "address": (
        re.compile(
            r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?::[0-9]{1,5})?"
            r"|\[?[0-9A-Fa-f]*:[0-9A-Fa-f:.]*\]?(?::[0-9]{1,5})?"
        ),
        "an IP address with its port",
    ),
    "flag": (re.compile(r"true|false", re.IGNORECASE), "True or False"),
    "count": (re.compile(r"[0-9]+"), "a packet count"),
}


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
    """A quality-check run summarised.

    ``latency`` is the figure as the file gives it; ``rtt`` is the round trip scored: the
    same figure when the file gives a round trip, twice it when the figure is read against
    the one-way target (the Teams tool, domain.md §3.2).
    """

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
    file_format: str = MeasurementFileFormat.OTHER
    latency: MetricSummary | None = None
    latency_basis: str = LatencyBasis.ROUND_TRIP
    rebuilt_lines: list[int] = field(default_factory=list)
    clock: str = ""
    period_note: str = ""

    @property
    def measured_on(self) -> date | None:
        """The day the run ended, as the site's "measured on"."""
        return self.last_at.date() if self.last_at else None


@dataclass(frozen=True)
class _Layout:
    """How a table's columns are read."""

    file_format: str
    headings: tuple[str, ...]  # as written in the file
    kinds: tuple[str, ...]  # per column: "loss", "latency", …, a _TYPED kind, or ""
    fraction: bool  # loss and reorder as fractions of 1 (the Skype for Business tool)
    basis: str  # LatencyBasis of the latency column
    clock: str  # SampleClock of timestamps without a zone

    def column(self, kind: str) -> int | None:
        """The index of the first column of ``kind``."""
        return self.kinds.index(kind) if kind in self.kinds else None


def _layout(cells: list[str]) -> _Layout | None:
    """The layout of a header line, or None when it is not one of ours."""
    names = [_heading(cell) for cell in cells]
    headings = tuple(cell.strip() for cell in cells)
    for columns, file_format, fraction, basis, clock in _TOOL_FILES:
        required = {name for name, kind in columns.items() if kind in _REQUIRED}
        if required <= set(names):
            kinds = tuple(columns.get(name, "") for name in names)
            return _Layout(file_format, headings, kinds, fraction, basis, clock)
    kinds, seen = [], set()
    for name in names:
        key = _HEADER_LOOKUP.get(re.sub(r"(ms|pct)$", "", name)) or _HEADER_LOOKUP.get(name)
        kinds.append(key if key and key not in seen else "")
        seen.add(key)
    if "rtt" in seen:
        basis = LatencyBasis.ROUND_TRIP
        kinds = ["" if k == "latency" else "latency" if k == "rtt" else k for k in kinds]
    else:
        basis = LatencyBasis.ONE_WAY
    if not set(_REQUIRED) <= set(kinds):
        return None
    stamp = kinds.index("timestamp") if "timestamp" in kinds else None
    utc = stamp is not None and "utc" in names[stamp]
    return _Layout(
        MeasurementFileFormat.OTHER,
        headings,
        tuple(kinds),
        False,
        basis,
        SampleClock.UTC if utc else SampleClock.LOCAL,
    )


# Beyond any figure a network can show (about 17 minutes of latency): a garbled cell.
MAX_FIGURE = 1_000_000.0


def _number(text: str) -> float | None:
    text = text.strip().removesuffix("%").strip()
    if not _NUMBER.fullmatch(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) and value <= MAX_FIGURE else None


@dataclass(frozen=True)
class _Sample:
    loss: float
    latency: float | None
    jitter: float | None
    reorder: float | None


def _sample(cells: list[str], layout: _Layout) -> _Sample | None:
    """The figures of one line, or None when they cannot be read."""
    values = {}
    for kind in _METRICS:
        index = layout.column(kind)
        values[kind] = _number(_cell(cells, index))
    if layout.fraction:
        for kind in ("loss", "reorder"):
            if values[kind] is not None:
                if values[kind] > 1:
                    return None  # a fraction of 1: "1.5" is no loss rate
                values[kind] *= 100
    loss = values["loss"]
    if loss is None or loss > 100:
        return None
    if loss < 100 and None in (values["latency"], values["jitter"]):
        return None
    return _Sample(loss, values["latency"], values["jitter"], values["reorder"])


def _misplaced(cells: list[str], layout: _Layout) -> str | None:
    """A message when a typed column holds a value of the wrong kind (shifted values)."""
    for index, kind in enumerate(layout.kinds):
        if kind in _TYPED and index < len(cells) and cells[index].strip():
            pattern, what = _TYPED[kind]
            if not pattern.fullmatch(cells[index].strip()):
                return (
                    f"the column {layout.headings[index]} holds “{cells[index].strip()[:40]}”, "
                    f"which is not {what}"
                )
    return None


def _decimal_comma_readings(cells: list[str], layout: _Layout) -> list[list[str]]:
    """Every way a comma-separated line with too many cells can be rebuilt.

    On a Windows locale with a decimal comma the Teams tool writes "75,69" into its
    comma-separated file (domain.md §3.2), so each decimal figure takes two cells. Each
    choice of which figures were split is tried; a choice stands when every figure reads as
    a number and every typed column (protocol, addresses, True/False) lands in its place.
    """
    extra = len(cells) - len(layout.kinds)
    numeric = [i for i, kind in enumerate(layout.kinds) if kind in _METRICS]
    if extra < 1 or extra > len(numeric):
        return []
    readings = []
    for split in combinations(numeric, extra):
        row, position = [], 0
        for index, kind in enumerate(layout.kinds):
            if index in split:
                whole, part = cells[position].strip(), cells[position + 1].strip()
                position += 2
                if not (_WHOLE.fullmatch(whole) and _FRACTION.fullmatch(part)):
                    break
                row.append(f"{whole}.{part}")
            else:
                cell = cells[position].strip()
                position += 1
                # A figure left whole in a decimal-comma line has no decimals at all.
                if kind in _METRICS and not _WHOLE.fullmatch(cell):
                    break
                if kind == "timestamp" and _NUMBER.fullmatch(cell):
                    break
                row.append(cell)
        else:
            if _sample(row, layout) is not None and _misplaced(row, layout) is None:
                readings.append(row)
    return readings


def _describe(row: list[str], layout: _Layout) -> str:
    words = {"loss": ("loss", " %"), "latency": ("latency", " ms"), "jitter": ("jitter", " ms")}
    parts = []
    for kind in ("loss", "latency", "jitter", "reorder"):
        index = layout.column(kind)
        if index is not None:
            label, unit = words.get(kind, (kind, ""))
            parts.append(f"{label} {row[index]}{unit}")
    return ", ".join(parts)


def _line_list(numbers: list[int]) -> str:
    """Line numbers in a sentence: Line 4; Lines 4, 9 and 12; Lines 4, 9, … (14 lines)."""
    if len(numbers) == 1:
        return f"Line {numbers[0]}"
    if len(numbers) <= 5:
        return "Lines " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"
    return "Lines " + ", ".join(map(str, numbers[:5])) + f", … ({len(numbers):,} lines)"


# Date formats by which Windows writes a timestamp, with which part comes first when the
# day and the month could swap. The Teams tool writes 2022-06-08-08:14:13 (read as ISO).
_STAMP_FORMATS = (
    ("%m/%d/%Y %I:%M:%S %p", "month"),  # en-US: 3/26/2020 5:14:18 PM
    ("%d/%m/%Y %I:%M:%S %p", "day"),  # en-AU: 26/03/2020 5:14:18 PM
    ("%m/%d/%Y %H:%M:%S", "month"),
    ("%d/%m/%Y %H:%M:%S", "day"),  # fr-FR, en-GB: 18/03/2020 14:51:05
    ("%d.%m.%Y %H:%M:%S", ""),  # de-DE
    ("%Y/%m/%d %H:%M:%S", ""),
    ("%m/%d/%Y %H:%M", "month"),  # re-saved by Excel: 2/15/2018 7:52
    ("%d/%m/%Y %H:%M", "day"),
    ("%d.%m.%Y %H:%M", ""),
)


def _iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _strptime(fmt: str):
    return lambda text: datetime.strptime(text, fmt)


_STAMP_PARSERS = [(_iso, "")] + [(_strptime(fmt), first) for fmt, first in _STAMP_FORMATS]


@dataclass
class _Period:
    first_at: datetime | None = None
    last_at: datetime | None = None
    clock: str = ""
    note: str = ""


def _period(stamps: list[tuple[int, str]], *, clock: str, day_first: bool) -> _Period:
    """First and last sample time of a run.

    One reading for the whole file: when the day and the month could swap on every line
    (03/04/2020), a decimal comma in the figures says day first (the locales that write
    decimal commas put the day first); otherwise the period is left out with a note.

    Raises:
        MeasurementFileError: a timestamp beyond the calendar in UTC, or in the future.
    """
    texts = [(n, re.sub(r"(\d{1,2}:\d{2}:\d{2})[.,]\d+", r"\1", t.strip())) for n, t in stamps]
    texts = [(n, t) for n, t in texts if t]
    if not texts:
        return _Period()
    readings: list[tuple[list[datetime], str]] = []
    for parse, first in _STAMP_PARSERS:
        values = []
        for _n, text in texts:
            try:
                values.append(parse(text))
            except ValueError:
                break
        else:
            if all(values != other for other, _ in readings):
                readings.append((values, first))
    if not readings:
        n, text = next(((n, t) for n, t in texts if not _readable(t)), texts[0])
        return _Period(
            note=f"The timestamp on line {n} (“{text[:40]}”) could not be read, so the "
            "measurement period was not stored."
        )
    if len(readings) > 1:
        day_readings = [values for values, first in readings if first == "day"]
        if not (day_first and len(day_readings) == 1):
            n, text = texts[0]
            return _Period(
                note=f"The dates can be read day first or month first (line {n}: “{text[:40]}”), "
                "so the measurement period was not stored. Enter the date it was measured."
            )
        values = day_readings[0]
    else:
        values = readings[0][0]
    utc_values = []
    for (n, text), value in zip(texts, values, strict=True):
        try:
            value = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        except OverflowError:
            raise MeasurementFileError(
                f"Line {n}: the timestamp “{text[:40]}” falls outside the calendar once "
                "converted to UTC. Nothing was saved: correct or remove the line."
            ) from None
        utc_values.append((n, text, value))
    # A PC's local time can be up to 14 hours ahead of UTC; more than that is a wrong clock.
    latest = timezone.now() + timedelta(days=1)
    for n, text, value in utc_values:
        if value > latest:
            raise MeasurementFileError(
                f"Line {n}: the timestamp “{text[:40]}” is in the future. Check the clock of "
                "the PC that ran the tool; nothing was saved."
            )
    aware = {value.tzinfo is not None for value in values}
    if len(aware) > 1:
        return _Period(
            note="Some timestamps give a time zone and some do not, so the measurement period "
            "was not stored."
        )
    if aware == {True}:
        clock = SampleClock.UTC
    moments = [value for _n, _t, value in utc_values]
    return _Period(first_at=min(moments), last_at=max(moments), clock=clock)


def _readable(text: str) -> bool:
    for parse, _first in _STAMP_PARSERS:
        try:
            parse(text)
        except ValueError:
            continue
        return True
    return False


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def _cells(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return [cell.strip() for cell in re.split(r"\s{2,}", line.strip())]
    try:
        return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
    except (csv.Error, StopIteration):
        return []


def parse_nat_file(*, data: bytes) -> NatSummary:
    """Summarise a Network Assessment Tool quality-check result.

    Reads the Teams tool's quality_check_results.csv (also re-saved with every field quoted
    and extra columns), the Skype for Business tool's performance_results.tsv (English or
    French Windows) and a saved console transcript (domain.md §3.2). Lines with 100 % loss
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
        layout = _layout(_cells(line, delimiter))
        if layout is not None:
            return _summarise_rows(lines, index, layout, delimiter)
    summary = _parse_console(lines)
    if summary:
        return summary
    first = next((line for line in lines if line.strip()), "")
    found = ", ".join(f"“{c[:30]}”" for c in _cells(first, sniff_delimiter(first)) if c)
    raise MeasurementFileError(
        "This file is not recognised as a Network Assessment Tool quality check result. "
        "We look for the columns Timestamp-UTC, LossRate-%, AverageLatency-Ms and "
        "AverageJitter-Ms (the file quality_check_results.csv that "
        "“NetworkAssessmentTool.exe /qualitycheck” writes), or the older tool's "
        "performance_results.tsv" + (f"; the first line has {found[:300]}." if found else ".")
    )


@dataclass
class _Collected:
    """The figures of a run as they are read, line by line."""

    latency: list[float] = field(default_factory=list)
    jitter: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    reorder: list[float] = field(default_factory=list)
    stamps: list[tuple[int, str]] = field(default_factory=list)
    protocols: dict[str, None] = field(default_factory=dict)
    failed: int = 0

    def add(self, sample: _Sample, stamp: tuple[int, str] | None, protocol: str) -> None:
        """Count one line's figures."""
        if len(self.loss) >= MAX_SAMPLES:
            raise MeasurementFileError(f"The file has more than {MAX_SAMPLES:,} samples.")
        self.loss.append(sample.loss)
        if sample.loss >= 100:
            self.failed += 1
        else:
            self.latency.append(sample.latency)
            self.jitter.append(sample.jitter)
        if sample.reorder is not None:
            self.reorder.append(sample.reorder)
        if stamp is not None:
            self.stamps.append(stamp)
        if protocol:
            self.protocols[protocol[:30]] = None

    def summary(self, *, file_format: str, basis: str, period: _Period, **extra) -> NatSummary:
        """The run summarised; the round trip is twice a latency read as one way."""
        factor = 2 if basis == LatencyBasis.ONE_WAY else 1
        return NatSummary(
            samples=len(self.loss),
            failed=self.failed,
            rtt=MetricSummary.of([value * factor for value in self.latency]),
            jitter=MetricSummary.of(self.jitter),
            loss=MetricSummary.of(self.loss),
            reorder=MetricSummary.of(self.reorder),
            first_at=period.first_at,
            last_at=period.last_at,
            protocols=list(self.protocols)[:5],
            file_format=file_format,
            latency=MetricSummary.of(self.latency),
            latency_basis=basis,
            clock=period.clock,
            period_note=period.note,
            **extra,
        )


def _summarise_rows(
    lines: list[str], header_at: int, layout: _Layout, delimiter: str | None
) -> NatSummary:
    got = _Collected()
    skipped: list[int] = []
    rebuilt: list[int] = []
    ambiguous: list[tuple[int, list[list[str]]]] = []
    decimal_comma = False
    stamp_at, protocol_at = layout.column("timestamp"), layout.column("protocol")
    for number, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not line.strip():
            continue
        cells = _cells(line, delimiter)
        if len(cells) > len(layout.kinds) and delimiter == "," and '"' not in line:
            readings = _decimal_comma_readings(cells, layout)
            if len(readings) > 1:
                ambiguous.append((number, readings))
                continue
            if not readings:
                skipped.append(number)
                continue
            cells = readings[0]
            rebuilt.append(number)
        sample = _sample(cells, layout)
        if sample is None:
            skipped.append(number)
            continue
        problem = _misplaced(cells, layout)
        if problem:
            raise MeasurementFileError(
                f"Line {number}: {problem}: the values of this line are shifted. This happens "
                "when a file with decimal commas is opened and saved again (by Excel or a "
                "script); upload the file the tool wrote. Nothing was saved."
            )
        decimal_comma = decimal_comma or any(
            "," in cells[i] for i, kind in enumerate(layout.kinds) if kind in _METRICS
        )
        stamp = _cell(cells, stamp_at)
        protocol = _cell(cells, protocol_at)
        got.add(sample, (number, stamp), protocol)
    if ambiguous:
        number, readings = ambiguous[0]
        options = " or ".join(f"“{_describe(row, layout)}”" for row in readings[:3])
        raise MeasurementFileError(
            f"{_line_list([n for n, _ in ambiguous])}: the tool wrote decimal commas inside "
            "this comma-separated file (it does so on Windows set to a language that writes "
            "75,69 for 75.69), and these lines can be read in more than one way: line "
            f"{number} could be {options}. Nothing was saved. Run the tool again on a PC whose "
            "Windows decimal symbol is a point, or type the figures by hand."
        )
    if not got.loss:
        raise MeasurementFileError(
            "The file has the quality check's columns but no measurement lines under them."
        )
    period = _period(got.stamps, clock=layout.clock, day_first=decimal_comma or bool(rebuilt))
    return got.summary(
        file_format=layout.file_format,
        basis=layout.basis,
        period=period,
        skipped_lines=skipped,
        rebuilt_lines=rebuilt,
    )


def _parse_console(lines: list[str]) -> NatSummary | None:
    """A saved console transcript of the Teams tool: its labelled figures and timestamps."""
    got = _Collected()
    decimal_comma = False
    for number, line in enumerate(lines, start=1):
        match = _CONSOLE.search(line)
        if not match:
            continue
        texts = [match.group(k) for k in ("loss", "latency", "jitter")]
        values = [_number(t) for t in texts]
        if None in values or values[0] > 100:
            continue
        decimal_comma = decimal_comma or any("," in t for t in texts)
        stamp = _STAMP_IN_LINE.search(line)
        protocol = _CONSOLE_PROTOCOL.search(line)
        got.add(
            _Sample(values[0], values[1], values[2], None),
            (number, stamp.group()) if stamp else None,
            protocol.group("protocol").strip() if protocol else "",
        )
    if not got.loss:
        return None
    # The console prints the same UTC timestamps as the CSV file (domain.md §3.2).
    period = _period(got.stamps, clock=SampleClock.UTC, day_first=decimal_comma)
    return got.summary(
        file_format=MeasurementFileFormat.CONSOLE, basis=LatencyBasis.ONE_WAY, period=period
    )


# The tool prints a line about every 5 s and Microsoft suggests 30-minute runs (domain.md §3.2).
SUGGESTED_SAMPLES = 360


def summary_notes(summary: NatSummary) -> list[str]:
    """Things the user should know about a run: how it was read, what was left out."""
    notes = []
    if summary.rebuilt_lines:
        notes.append(
            f"{_line_list(summary.rebuilt_lines)} had decimal commas inside the comma-separated "
            "file (the tool does this on Windows set to a language that writes 75,69 for "
            "75.69); each could be read only one way and was read so."
        )
    if summary.skipped_lines:
        shown = ", ".join(map(str, summary.skipped_lines[:10]))
        more = "…" if len(summary.skipped_lines) > 10 else ""
        notes.append(
            f"{len(summary.skipped_lines)} line(s) could not be read and were left out "
            f"(line {shown}{more})."
        )
    if summary.period_note:
        notes.append(summary.period_note)
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

    The record keeps the latency as the file gives it and what it was compared with; the
    site gets the round trip scored (twice a latency read as one way, domain.md §3.2).
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

    # domain.md §2.1: the one-way targets are half the round-trip ones (50 / 30 ms).
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
            f"score a round trip of {record.rtt_p95_ms:g} ms, twice the figure (domain.md §3.2)."
        )
    if record.file_format == MeasurementFileFormat.SFB_TSV:
        return (
            "The Skype for Business tool measures the round trip: its "
            f"{record.latency_p95_ms:g} ms (95th percentile) is scored as read."
        )
    return ""


def latency_notes_by_site(sites: list[Site]) -> dict[int, list[str]]:
    """Per site, a sentence for each path whose round trip was read from a one-way latency.

    Only where the site's figure still is the one that run stored (a later typed figure
    replaces it). One query for any number of sites.
    """
    by_pk = {site.pk: site for site in sites}
    latest = MeasurementImport.objects.filter(site_id__in=list(by_pk)).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("site_id"), F("segment")],
            order_by=[F("created_at").desc(), F("id").desc()],
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
