"""Assessments scored before per-site results were stored get them after migrating."""

import io

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import pytest

from assessments import engine_io
from assessments.models import AssessmentScore, SiteScore
from assessments.services.scores import assessment_rescore
from scoring import RULESET_VERSION
from tests.factories import AssessmentFactory, CircuitFactory, SiteFactory

BEFORE = [("assessments", "0015_assessment_score_sites_not_assessed")]


@pytest.mark.django_db(transaction=True)
def test_existing_assessments_get_their_per_site_results():
    assessment = AssessmentFactory()
    for name in ("Hamburg", "Munich"):
        CircuitFactory(site=SiteFactory(assessment=assessment, name=name))
    assessment_rescore(assessment_id=assessment.pk)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)  # the summary row as it was: no per-site rows, no estate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    summary = AssessmentScore.objects.get(assessment=assessment)
    assert summary.estate == {}  # scored before estates were stored: rescored below
    assert not SiteScore.objects.filter(assessment=assessment).exists()
    call_command("rescore_assessments", "--stale-only", stdout=io.StringIO())
    summary.refresh_from_db()
    assert summary.ruleset_version == RULESET_VERSION
    full = engine_io.score(assessment)
    stored = dict(
        SiteScore.objects.filter(assessment=assessment).values_list("site__name", "grade")
    )
    assert stored == {s.site: s.network.grade for s in full.sites}
    assert summary.estate["recommendation"]["label"] == full.recommendation.label
