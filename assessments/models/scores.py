"""Each assessment's and each site's latest score, stored so pages and saves never re-score all."""

from django.db import models

from assessments.models.assessments import Assessment, Site


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
    # The estate-level result (``scoring.results.EstateResult.to_dict()``: summary, grade
    # counts, fits, recommendation, ownership), aggregated from the sites' stored parts, so
    # the live summary and list pages read it without scoring. Empty until first scored.
    estate = models.JSONField(default=dict, blank=True)
    # ``scoring.engine.org_inputs_key`` of the answers and country facts it was scored with:
    # when they differ from today's, every site's fit may have moved.
    org_key = models.CharField(max_length=32, blank=True)
    # Set while the worker rescores every site (an answer that moves every site's fit):
    # pages show the stored figures as "updating", with how many sites are done.
    updating_since = models.DateTimeField(null=True, blank=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # The estate's three-year costs (``scoring.costs.CostResult.to_dict()``) priced from
    # ``estate`` and the partner's price book, kept so a page does not price 2,000 sites
    # on every view; valid while ``costs_key`` (a digest of when the estate and its sites
    # were scored, the organisation's answers and the price book's version and lines)
    # holds: see ``assessments.services.costs.estate_costs``.
    costs = models.JSONField(default=dict, blank=True, editable=False)
    costs_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["band"]),
            models.Index(fields=["recommended_model"]),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id}: {self.average_readiness} ({self.ruleset_version})"


class SiteScore(models.Model):
    """The latest result of one site, kept so a save rescores only the sites it touches.

    ``result`` is the engine's whole ``SiteResult.to_dict()`` (what a site's detail shows);
    ``part`` the few figures the estate-level result is aggregated from
    (``scoring.results.SitePart``); the columns are for pages that filter and order sites
    in SQL. ``inputs_key`` is ``scoring.engine.site_inputs_keys``: equal inputs, equal
    result; a part scored with other answers (``org_key``) or rules is stale.
    """

    site = models.OneToOneField(
        Site, on_delete=models.CASCADE, primary_key=True, related_name="score"
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="site_scores")
    grade = models.CharField(max_length=24)
    score = models.PositiveSmallIntegerField()
    known_pct = models.PositiveSmallIntegerField(help_text="Share of the data known (confidence).")
    users = models.PositiveIntegerField(default=0)
    recommended_model = models.CharField(max_length=30, blank=True)
    top_issue = models.CharField(max_length=200, blank=True)
    result = models.JSONField()
    part = models.JSONField()
    ruleset_version = models.CharField(max_length=20)
    inputs_key = models.CharField(max_length=32)
    org_key = models.CharField(max_length=32)
    scored_at = models.DateTimeField()

    class Meta:
        indexes = [
            # The results and grid pages filter an estate's sites by grade or model and
            # order them by score, a window at a time.
            models.Index(fields=["assessment", "grade", "score"], name="sitescore_grade"),
            models.Index(fields=["assessment", "score"], name="sitescore_score"),
            models.Index(fields=["assessment", "recommended_model"], name="sitescore_model"),
        ]

    def __str__(self) -> str:
        return f"{self.site_id}: {self.score} {self.grade} ({self.ruleset_version})"
