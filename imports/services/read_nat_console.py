"""A saved console transcript of the Teams Network Assessment Tool read as a measurement run."""

import re

from imports.models import LatencyBasis, MeasurementFileFormat, SampleClock
from imports.services.nat_summary import Collected, NatSummary, Sample, read_figure, run_period

# "Loss Rate: 0  Latency: 71.45  Jitter: 10  Protocol: UDP" (the console output)
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


def parse_console(lines: list[str]) -> NatSummary | None:
    """A saved console transcript of the Teams tool: its labelled figures and timestamps."""
    got = Collected()
    decimal_comma = False
    for number, line in enumerate(lines, start=1):
        match = _CONSOLE.search(line)
        if not match:
            continue
        texts = [match.group(k) for k in ("loss", "latency", "jitter")]
        values = [read_figure(t) for t in texts]
        if None in values or values[0] > 100:
            continue
        decimal_comma = decimal_comma or any("," in t for t in texts)
        stamp = _STAMP_IN_LINE.search(line)
        protocol = _CONSOLE_PROTOCOL.search(line)
        got.add(
            Sample(values[0], values[1], values[2], None),
            (number, stamp.group()) if stamp else None,
            protocol.group("protocol").strip() if protocol else "",
        )
    if not got.loss:
        return None
    # The console prints the same UTC timestamps as the CSV file (Network Assessment Tool).
    period = run_period(got.stamps, clock=SampleClock.UTC, day_first=decimal_comma)
    return got.summary(
        file_format=MeasurementFileFormat.CONSOLE, basis=LatencyBasis.ONE_WAY, period=period
    )
