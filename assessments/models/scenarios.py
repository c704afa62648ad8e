"""What-if scenarios: answers changed on paper, scored beside the stored assessment."""

from django.conf import settings
from django.db import models

from assessments.models.assessments import Assessment
from tenancy.models.querysets import OrganisationQuerySet


class ScenarioQuerySet(OrganisationQuerySet):
    organisation_path = "assessment__organisation_id"


class Scenario(models.Model):
    """A named set of changes to an assessment's answers, never written to it unless promoted.

    ``changes`` is a list of ``{"scope": "organisation" | "sites", "field": name,
    "value": stored value, "sites": [site ids] (empty: every site)}``.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField(max_length=120)
    changes = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    # The estate as the scenario would have it, kept so the what-if page does not score
    # the whole estate on every view: ``{"estate": EstateResult.to_dict(), "rows":
    # [[site, score, grade], ...]}``, valid while ``outcome_key`` (a digest of the changes,
    # the assessment's stored scores, the partner's country facts and the ruleset) holds.
    outcome = models.JSONField(default=dict, blank=True, editable=False)
    outcome_key = models.CharField(max_length=64, blank=True, default="", editable=False)
    # The scenario's three-year costs (``CostResult.to_dict()``), priced from ``outcome``
    # and the partner's price book, valid while ``costs_key`` (``outcome_key``, the
    # organisation's answers and the price book's version and lines) holds.
    costs = models.JSONField(default=dict, blank=True, editable=False)
    costs_key = models.CharField(max_length=64, blank=True, default="", editable=False)

    objects = ScenarioQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.name
