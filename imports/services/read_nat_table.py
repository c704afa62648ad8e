"""The measurement tools' tables: the Teams tool's CSV, the Skype for Business tool's TSV, alike."""

# Both tools write one line per sample under a heading row; a layout (which column holds
# which figure, fractions or per cent, one way or round trip, UTC or local time) tells the
# files apart, and one reader reads them all, as it reads a table typed up by hand.

import csv
import re
from dataclasses import dataclass
from itertools import combinations

from imports.models import LatencyBasis, MeasurementFileFormat, SampleClock
from imports.services.nat_summary import (
    NUMBER_TEXT,
    Collected,
    MeasurementFileError,
    NatSummary,
    Sample,
    line_list,
    read_figure,
    run_period,
)

_METRICS = ("loss", "latency", "jitter", "reorder")
_REQUIRED = ("loss", "latency", "jitter")


def _heading(cell: str) -> str:
    """A column heading reduced to letters and digits: "LossRate-%" → "lossrate"."""
    return re.sub(r"[^a-z0-9]", "", cell.lower())


# The Teams tool's quality_check_results.csv (Network Assessment Tool), heading → kind of column.
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
# The Skype for Business tool's performance_results.tsv (Network Assessment Tool; the heading as
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


@dataclass(frozen=True)
class Layout:
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


def table_layout(cells: list[str]) -> Layout | None:
    """The layout of a header line, or None when it is not one of ours."""
    names = [_heading(cell) for cell in cells]
    headings = tuple(cell.strip() for cell in cells)
    for columns, file_format, fraction, basis, clock in _TOOL_FILES:
        required = {name for name, kind in columns.items() if kind in _REQUIRED}
        if required <= set(names):
            kinds = tuple(columns.get(name, "") for name in names)
            return Layout(file_format, headings, kinds, fraction, basis, clock)
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
    return Layout(
        MeasurementFileFormat.OTHER,
        headings,
        tuple(kinds),
        False,
        basis,
        SampleClock.UTC if utc else SampleClock.LOCAL,
    )


def _sample(cells: list[str], layout: Layout) -> Sample | None:
    """The figures of one line, or None when they cannot be read."""
    values = {}
    for kind in _METRICS:
        index = layout.column(kind)
        values[kind] = read_figure(_cell(cells, index))
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
    return Sample(loss, values["latency"], values["jitter"], values["reorder"])


def _misplaced(cells: list[str], layout: Layout) -> str | None:
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


def _decimal_comma_readings(cells: list[str], layout: Layout) -> list[list[str]]:
    """Every way a comma-separated line with too many cells can be rebuilt.

    On a Windows locale with a decimal comma the Teams tool writes "75,69" into its
    comma-separated file (Network Assessment Tool), so each decimal figure takes two cells. Each
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
                if kind == "timestamp" and NUMBER_TEXT.fullmatch(cell):
                    break
                row.append(cell)
        else:
            if _sample(row, layout) is not None and _misplaced(row, layout) is None:
                readings.append(row)
    return readings


def _describe(row: list[str], layout: Layout) -> str:
    words = {"loss": ("loss", " %"), "latency": ("latency", " ms"), "jitter": ("jitter", " ms")}
    parts = []
    for kind in ("loss", "latency", "jitter", "reorder"):
        index = layout.column(kind)
        if index is not None:
            label, unit = words.get(kind, (kind, ""))
            parts.append(f"{label} {row[index]}{unit}")
    return ", ".join(parts)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def split_cells(line: str, delimiter: str | None) -> list[str]:
    """A line's cells; without a delimiter, cells are parted by two spaces or more."""
    if delimiter is None:
        return [cell.strip() for cell in re.split(r"\s{2,}", line.strip())]
    try:
        return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter))]
    except (csv.Error, StopIteration):
        return []


def summarise_table(
    lines: list[str], header_at: int, layout: Layout, delimiter: str | None
) -> NatSummary:
    """The run in the lines under the heading row at ``header_at``, read by ``layout``."""
    got = Collected()
    skipped: list[int] = []
    rebuilt: list[int] = []
    ambiguous: list[tuple[int, list[list[str]]]] = []
    decimal_comma = False
    stamp_at, protocol_at = layout.column("timestamp"), layout.column("protocol")
    for number, line in enumerate(lines[header_at + 1 :], start=header_at + 2):
        if not line.strip():
            continue
        cells = split_cells(line, delimiter)
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
            f"{line_list([n for n, _ in ambiguous])}: the tool wrote decimal commas inside "
            "this comma-separated file (it does so on Windows set to a language that writes "
            "75,69 for 75.69), and these lines can be read in more than one way: line "
            f"{number} could be {options}. Nothing was saved. Run the tool again on a PC whose "
            "Windows decimal symbol is a point, or type the figures by hand."
        )
    if not got.loss:
        raise MeasurementFileError(
            "The file has the quality check's columns but no measurement lines under them."
        )
    period = run_period(got.stamps, clock=layout.clock, day_first=decimal_comma or bool(rebuilt))
    return got.summary(
        file_format=layout.file_format,
        basis=layout.basis,
        period=period,
        skipped_lines=skipped,
        rebuilt_lines=rebuilt,
    )
