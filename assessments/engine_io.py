"""The one bridge between the ORM and the pure scoring engine (fixed number of queries)."""

from django.db.models import Prefetch

from assessments.models import Assessment, Circuit, Site
from assessments.selectors import CIRCUIT_ORDER
from scoring import (
    AssessmentInput,
    AssessmentResult,
    CircuitInput,
    CustomerInput,
    SiteInput,
    score_assessment,
)
from scoring.inputs import ENGINE_ONLY_SITE_FIELDS, field_names

ORG_FIELDS = tuple(
    name for name in field_names(AssessmentInput) if name not in {"title", "customer", "sites"}
)
_SITE_FIELDS = tuple(
    name
    for name in field_names(SiteInput)
    if name not in {"country", "circuits"} and name not in ENGINE_ONLY_SITE_FIELDS
)
_CIRCUIT_FIELDS = field_names(CircuitInput)


def circuit_input(circuit: Circuit) -> CircuitInput:
    """Engine input for one circuit."""
    return CircuitInput(**{name: getattr(circuit, name) for name in _CIRCUIT_FIELDS})


def site_input(site: Site) -> SiteInput:
    """Engine input for one site; uses prefetched circuits when they are there."""
    values = {name: getattr(site, name) for name in _SITE_FIELDS}
    return SiteInput(
        country=site.country.code,
        circuits=tuple(circuit_input(c) for c in site.circuits.all()),
        **values,
    )


def assessment_input(assessment: Assessment, sites: list[Site] | None = None) -> AssessmentInput:
    """Engine input for a whole assessment.

    Args:
        assessment: The assessment (its customer is read; select it with the assessment).
        sites: Its sites with circuits prefetched, if the caller has them already;
            otherwise they are loaded in two queries.

    Returns:
        The frozen input the engine scores.
    """
    if sites is None:
        sites = list(
            Site.objects.filter(assessment=assessment).prefetch_related(
                Prefetch("circuits", queryset=Circuit.objects.order_by(CIRCUIT_ORDER, "id"))
            )
        )
    customer = assessment.customer
    return AssessmentInput(
        title=assessment.title,
        customer=CustomerInput(
            name=customer.name, industry=customer.industry, country=customer.country.code or ""
        ),
        sites=tuple(site_input(s) for s in sites),
        **{name: getattr(assessment, name) for name in ORG_FIELDS},
    )


def score(assessment: Assessment, sites: list[Site] | None = None) -> AssessmentResult:
    """Score an assessment as it is stored now."""
    return score_assessment(assessment_input(assessment, sites))
