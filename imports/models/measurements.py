"""Records of network measurements brought into a site (a tool's file, or figures typed by hand)."""

from django.conf import settings
from django.db import models

from assessments.models.assessments import Site
from tenancy.models.querysets import OrganisationQuerySet


class Segment(models.TextChoices):
    """The two path segments Microsoft measures separately (Microsoft: Prepare your network)."""

    CLIENT = "client", "Client → Microsoft edge"
    EDGE = "edge", "Customer edge → Microsoft edge"


class MeasurementSource(models.TextChoices):
    NAT = "nat", "Teams Network Assessment Tool file"
    MANUAL = "manual", "Typed or pasted by hand"


class MeasurementFileFormat(models.TextChoices):
    """Which tool's file a run came from (Microsoft: Teams Network Assessment Tool)."""

    TEAMS_CSV = "teams_csv", "Teams Network Assessment Tool (quality_check_results.csv)"
    SFB_TSV = "sfb_tsv", "Skype for Business Network Assessment Tool (performance_results.tsv)"
    CONSOLE = "console", "Teams Network Assessment Tool console transcript"
    OTHER = "other", "Table with the tool's columns"


class LatencyBasis(models.TextChoices):
    """What a run's latency figure was compared with (Microsoft: Teams Network Assessment Tool)."""

    ROUND_TRIP = "rtt", "Round trip"
    ONE_WAY = "one_way", "One way"


class SampleClock(models.TextChoices):
    """Which clock a run's timestamps are on."""

    UTC = "utc", "UTC"
    LOCAL = "local", "the PC's local time"


class MeasurementImportQuerySet(OrganisationQuerySet):
    organisation_path = "site__assessment__organisation_id"


class MeasurementImport(models.Model):
    """One set of figures applied to a site, with the summary it was computed from.

    For a tool file the median and 95th percentile of each metric are kept with the
    sample count and the time span; the p95 figures are what was written on the site.
    Figures typed by hand keep only the p95 columns (the value as typed).
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="measurement_imports")
    segment = models.CharField(max_length=10, choices=Segment.choices)
    source = models.CharField(max_length=10, choices=MeasurementSource.choices)
    file_name = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=12, choices=MeasurementFileFormat.choices, blank=True)
    samples = models.PositiveIntegerField(null=True, blank=True)
    failed_samples = models.PositiveIntegerField(
        default=0, help_text="Samples with 100 % loss: counted for loss, not for latency/jitter."
    )
    latency_median_ms = models.FloatField(
        null=True, blank=True, help_text="The latency as the file gives it, before any reading."
    )
    latency_p95_ms = models.FloatField(null=True, blank=True)
    latency_basis = models.CharField(
        max_length=10,
        choices=LatencyBasis.choices,
        blank=True,
        help_text="What the file's latency was compared with: one way (the round trip "
        "scored is twice the figure) or round trip (scored as read).",
    )
    rtt_median_ms = models.FloatField(null=True, blank=True)
    rtt_p95_ms = models.FloatField(null=True, blank=True)
    jitter_median_ms = models.FloatField(null=True, blank=True)
    jitter_p95_ms = models.FloatField(null=True, blank=True)
    loss_median_pct = models.FloatField(null=True, blank=True)
    loss_p95_pct = models.FloatField(null=True, blank=True)
    reorder_median_pct = models.FloatField(null=True, blank=True)
    reorder_p95_pct = models.FloatField(null=True, blank=True)
    protocols = models.CharField(max_length=120, blank=True, help_text="e.g. UDP, or UDP, TCP")
    rebuilt_lines = models.PositiveIntegerField(
        default=0, help_text="Lines with decimal commas inside a comma-separated row, rebuilt."
    )
    first_at = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)
    clock = models.CharField(
        max_length=5,
        choices=SampleClock.choices,
        blank=True,
        help_text="The clock of first_at/last_at: UTC, or the PC's local time stored as read.",
    )
    measured_on = models.DateField(null=True, blank=True)
    measured_where = models.CharField(max_length=160, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by_label = models.CharField(max_length=160, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeasurementImportQuerySet.as_manager()

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_measurementimport"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.site} {self.get_segment_display()} {self.created_at:%Y-%m-%d}"

    @property
    def duration_seconds(self) -> int | None:
        """How long the tool ran, from the first to the last sample."""
        if self.first_at and self.last_at:
            return int((self.last_at - self.first_at).total_seconds())
        return None
