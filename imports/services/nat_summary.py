"""A measurement run: its samples collected line by line, its period, its summary and notes."""

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from imports.models import LatencyBasis, MeasurementFileFormat, SampleClock

MAX_SAMPLES = 200_000  # a week at one line every 5 s is about 121,000


class MeasurementFileError(Exception):
    """The file is not a Network Assessment Tool quality check result we can read."""


# A number as the tools write it: "66.93", "75,69" (decimal comma), "5.89E-05".
NUMBER_TEXT = re.compile(r"[0-9]+(?:[.,][0-9]+)?(?:[eE][-+]?[0-9]+)?")


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
    the one-way target (the Teams Network Assessment Tool).
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


# Beyond any figure a network can show (about 17 minutes of latency): a garbled cell.
MAX_FIGURE = 1_000_000.0


def read_figure(text: str) -> float | None:
    """A figure as a tool writes it ("75,69", "0.5 %"), or None when it is garbled."""
    text = text.strip().removesuffix("%").strip()
    if not NUMBER_TEXT.fullmatch(text):
        return None
    value = float(text.replace(",", "."))
    return value if math.isfinite(value) and value <= MAX_FIGURE else None


@dataclass(frozen=True)
class Sample:
    """The figures of one line: loss in per cent, latency and jitter in ms."""

    loss: float
    latency: float | None
    jitter: float | None
    reorder: float | None


def line_list(numbers: list[int]) -> str:
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
class Period:
    """When a run was measured, or a note saying why that is not known."""

    first_at: datetime | None = None
    last_at: datetime | None = None
    clock: str = ""
    note: str = ""


def run_period(stamps: list[tuple[int, str]], *, clock: str, day_first: bool) -> Period:
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
        return Period()
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
        return Period(
            note=f"The timestamp on line {n} (“{text[:40]}”) could not be read, so the "
            "measurement period was not stored."
        )
    if len(readings) > 1:
        day_readings = [values for values, first in readings if first == "day"]
        if not (day_first and len(day_readings) == 1):
            n, text = texts[0]
            return Period(
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
        return Period(
            note="Some timestamps give a time zone and some do not, so the measurement period "
            "was not stored."
        )
    if aware == {True}:
        clock = SampleClock.UTC
    moments = [value for _n, _t, value in utc_values]
    return Period(first_at=min(moments), last_at=max(moments), clock=clock)


def _readable(text: str) -> bool:
    for parse, _first in _STAMP_PARSERS:
        try:
            parse(text)
        except ValueError:
            continue
        return True
    return False


@dataclass
class Collected:
    """The figures of a run as they are read, line by line."""

    latency: list[float] = field(default_factory=list)
    jitter: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    reorder: list[float] = field(default_factory=list)
    stamps: list[tuple[int, str]] = field(default_factory=list)
    protocols: dict[str, None] = field(default_factory=dict)
    failed: int = 0

    def add(self, sample: Sample, stamp: tuple[int, str] | None, protocol: str) -> None:
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

    def summary(self, *, file_format: str, basis: str, period: Period, **extra) -> NatSummary:
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


# The tool prints a line about every 5 s and Microsoft suggests 30-minute runs.
SUGGESTED_SAMPLES = 360


def summary_notes(summary: NatSummary) -> list[str]:
    """Things the user should know about a run: how it was read, what was left out."""
    notes = []
    if summary.rebuilt_lines:
        notes.append(
            f"{line_list(summary.rebuilt_lines)} had decimal commas inside the comma-separated "
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
