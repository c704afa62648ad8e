"""Pending site lists and stored measurement files, re-exported."""

from imports.models.measurements import (
    LatencyBasis,
    MeasurementFileFormat,
    MeasurementImport,
    MeasurementSource,
    SampleClock,
    Segment,
)
from imports.models.site_lists import PendingSiteImport

__all__ = [
    "LatencyBasis",
    "MeasurementFileFormat",
    "MeasurementImport",
    "MeasurementSource",
    "PendingSiteImport",
    "SampleClock",
    "Segment",
]
