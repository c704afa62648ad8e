"""A per-assessment summary of its latest score, so lists never re-score anything."""

from django.db import models

from assessments.models.assessments import Assessment


class ReadinessBand(models.TextChoices):
    """The band of an assessment's average site readiness (same cut-offs as a site grade)."""

    READY = "ready", "Ready (85+)"
    REMEDIATION = "remediation", "After remediation (50-84)"
    NOT_READY = "not_ready", "Not ready (below 50)"
    # Sites, but too little known about any to grade it: a grey "needs data", never red.
    NOT_ASSESSED = "not_assessed", "Not assessed (needs data)"
    NO_SITES = "none", "No sites yet"


class AssessmentScore(models.Model):
    """The latest score of an assessment in a few columns (refreshed by ``assessment_rescore``).

    The pipeline lists hundreds of assessments; scoring each on every page view would
    cost a query per assessment and real CPU. This row is rewritten whenever the
    assessment or its sites change, and records the ruleset that produced it, so a rules
    upgrade can be caught up with ``manage.py rescore_assessments``.
    """

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="score_summary"
    )
    site_count = models.PositiveIntegerField(default=0)
    user_count = models.PositiveIntegerField(default=0)
    average_readiness = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(
        max_length=12, choices=ReadinessBand.choices, default=ReadinessBand.NO_SITES
    )
    sites_ready = models.PositiveIntegerField(default=0)
    sites_not_ready = models.PositiveIntegerField(
        default=0, help_text="Sites graded Not ready (below 50), as on the results page."
    )
    sites_not_assessed = models.PositiveIntegerField(
        default=0, help_text="Sites too little is known about to grade (Not assessed)."
    )
    recommended_model = models.CharField(
        max_length=30, blank=True, help_text="A model key, 'mix', or blank with no sites."
    )
    recommended_label = models.CharField(max_length=120, blank=True)
    ruleset_version = models.CharField(max_length=20)
    scored_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["band"]),
            models.Index(fields=["recommended_model"]),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.average_readiness} ({self.ruleset_version})"
