"""Helpers for the pipeline tests: many assessments at once, with summaries and proposals."""

from django.utils import timezone

import pytest

from assessments.models import Assessment, AssessmentScore, Customer, ReadinessBand, Site
from proposals.models import Proposal


def bulk_assessments(world, n: int, *, sites_each: int = 1) -> list[Assessment]:
    """``n`` assessments of organisation A, each scored and with one issued proposal."""
    start = Customer.objects.filter(name__startswith="Bulk customer").count()
    customers = Customer.objects.bulk_create(
        Customer(organisation=world.org, name=f"Bulk customer {i:04d}", country="GB")
        for i in range(start, start + n)
    )
    assessments = Assessment.objects.bulk_create(
        Assessment(organisation=world.org, customer=c, title="Rollout", owner=world.owner)
        for c in customers
    )
    Site.objects.bulk_create(
        Site(assessment=a, name=f"Site {j}", country="FR", users=10)
        for a in assessments
        for j in range(sites_each)
    )
    now = timezone.now()
    AssessmentScore.objects.bulk_create(
        AssessmentScore(
            assessment=a,
            site_count=sites_each,
            average_readiness=40 + i % 60,
            band=ReadinessBand.REMEDIATION,
            sites_not_ready=1,
            recommended_model="operator_connect",
            recommended_label="Operator Connect",
            ruleset_version="1.0.0",
            scored_at=now,
        )
        for i, a in enumerate(assessments)
    )
    Proposal.objects.bulk_create(
        Proposal(
            organisation=world.org,
            assessment=a,
            number=1,
            customer_name=a.customer.name,
            document={},
            results={},
            ruleset_version="1.0.0",
            branding={},
            issued_by=world.owner,
            issued_by_name="Alice Ames",
            issued_at=now,
            status="ready",
        )
        for a in assessments
    )
    return assessments


@pytest.fixture
def many(world):
    return lambda n, **kw: bulk_assessments(world, n, **kw)
