"""Import and export whole assessments as the versioned JSON document (docs/scoring.md)."""

from dataclasses import fields
from typing import Any

from django.db import transaction
from django.utils import timezone

from assessments import engine_io
from assessments.models import Assessment, Circuit, Customer, Organisation, Site
from assessments.schema.document import dump_document, load_document
from assessments.scoring import AssessmentResult, SiteInput
from assessments.services.assessments import assessment_create, customer_create
from assessments.services.versioning import Actor, record_change

GENERATOR = "Teams Phone Readiness Portal"
_SITE_FIELDS = tuple(f.name for f in fields(SiteInput) if f.name != "circuits")


def assessment_export(assessment: Assessment) -> dict[str, Any]:
    """The assessment as a JSON-able version-1 document (answers, sites, circuits)."""
    return dump_document(
        engine_io.assessment_input(assessment),
        exported_at=timezone.now().isoformat(timespec="seconds"),
        generator=GENERATOR,
    )


@transaction.atomic
def assessment_import(
    *, organisation: Organisation, owner, document: Any, actor: Actor
) -> Assessment:
    """Create an assessment (and its customer, if new) from a document: all of it or nothing.

    Args:
        organisation: The partner organisation that will own it.
        owner: The user who owns the new assessment.
        document: The parsed JSON document.
        actor: Who imports, for the activity log.

    Returns:
        The new assessment.

    Raises:
        DocumentError: If the document is not valid; nothing is stored.
    """
    data = load_document(document)
    customer = Customer.objects.filter(
        organisation=organisation, name__iexact=data.customer.name or data.title
    ).first() or customer_create(
        organisation=organisation,
        name=data.customer.name or data.title,
        industry=data.customer.industry[:80],
        country=data.customer.country,
    )
    assessment = assessment_create(
        organisation=organisation, customer=customer, title=data.title, owner=owner, actor=actor
    )
    for name in engine_io.ORG_FIELDS:
        setattr(assessment, name, getattr(data, name))
    assessment.full_clean()
    assessment.save()
    sites = []
    for position, site in enumerate(data.sites):
        row = Site(assessment=assessment, position=position, **_site_values(site))
        row.full_clean(exclude=["assessment"], validate_unique=False)
        sites.append(row)
    Site.objects.bulk_create(sites)
    circuits = [
        Circuit(site=row, **{f.name: getattr(c, f.name) for f in fields(c)})
        for row, site in zip(sites, data.sites, strict=True)
        for c in site.circuits
    ]
    Circuit.objects.bulk_create(circuits)
    record_change(
        assessment=assessment,
        obj=assessment,
        action="import",
        changed={"sites": [0, len(sites)]},
        actor=actor,
    )
    return assessment


def _site_values(site: SiteInput) -> dict[str, Any]:
    values = {name: getattr(site, name) for name in _SITE_FIELDS}
    values["measurement_tool"] = values["measurement_tool"] or ""
    return values


def result_payload(result: AssessmentResult) -> dict[str, Any]:
    """Scoring results as the JSON the API and the command line print."""
    return {"format": "teams-readiness-result", "format_version": 1, **result.to_dict()}
