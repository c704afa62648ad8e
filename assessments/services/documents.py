"""Import and export whole assessments as the versioned JSON document (docs/scoring.md)."""

from dataclasses import fields
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from assessments import engine_io
from assessments.models import Assessment, Circuit, Customer, Site
from assessments.schema.document import (
    DocumentError,
    dump_document,
    load_document,
    persona_answers,
    site_name_key,
)
from assessments.services.assessments import assessment_create, customer_create
from assessments.services.versioning import Actor, record_change
from scoring import AssessmentInput, AssessmentResult, SiteInput
from scoring.costs import CostResult
from tenancy.models import Organisation

GENERATOR = "Teams Phone Readiness Portal"
_SITE_FIELDS = tuple(f.name for f in fields(SiteInput) if f.name not in {"circuits", "personas"})
MAX_PROBLEMS = 50  # a document with more refused values is listed no further


def assessment_export(assessment: Assessment) -> dict[str, Any]:
    """The assessment as a JSON-able document of the current version (answers, sites, circuits)."""
    return dump_document(
        engine_io.assessment_input(assessment),
        exported_at=timezone.now().isoformat(timespec="seconds"),
        generator=GENERATOR,
    )


def _problems(exc: ValidationError, where: str, paths: dict[str, str]) -> list[str]:
    """Each message of a model's ValidationError as ``"<path in the document>: <message>"``."""
    out = []
    for name, messages in exc.message_dict.items():
        path = paths.get(name, where if name == NON_FIELD_ERRORS else f"{where}.{name}")
        out += [f"{path}: {message}" for message in messages]
    return out


def _validated(row, where: str, problems: list[str], *, exclude: list[str], paths=None) -> None:
    # Uniqueness and constraints are not checked row by row: site names were compared in the
    # document (case-insensitively) and the speeds' range checks are the fields' validators.
    try:
        row.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        problems += _problems(exc, where, paths or {})


def document_rows(data: AssessmentInput) -> tuple[Customer, Assessment, list[tuple[Site, list]]]:
    """Unsaved rows for a loaded document, checked against the models' own rules.

    The JSON Schema cannot say everything the models do (a country code that exists, text
    limits of the database, choices): the API and the command line refuse a document the
    forms would refuse, whether it is stored or only scored.

    Args:
        data: The document, loaded by ``load_document``.

    Returns:
        The customer, the assessment and each site with its circuits, none saved and
        without their organisation, owner or parents.

    Raises:
        DocumentError: Listing every refused value by its path in the document.
    """
    problems: list[str] = []
    customer = Customer(
        name=(data.customer.name or data.title).strip(),
        industry=data.customer.industry,
        country=data.customer.country,
    )
    _validated(customer, "meta.customer", problems, exclude=["organisation"])
    assessment = Assessment(
        title=data.title.strip(), **{name: getattr(data, name) for name in engine_io.ORG_FIELDS}
    )
    _validated(
        assessment,
        "answers",
        problems,
        exclude=["organisation", "customer", "owner"],
        paths={"title": "meta.title"},
    )
    rows = []
    for i, site in enumerate(data.sites):
        row = Site(position=i, **_site_values(site))
        _validated(row, f"sites[{i}]", problems, exclude=["assessment"])
        circuits = []
        for j, c in enumerate(site.circuits):
            circuit = Circuit(**{f.name: getattr(c, f.name) for f in fields(c)})
            _validated(circuit, f"sites[{i}].circuits[{j}]", problems, exclude=["site"])
            circuits.append(circuit)
        rows.append((row, circuits))
    problems += _chained_hubs(data.sites)
    if problems:
        raise DocumentError(problems[:MAX_PROBLEMS])
    return customer, assessment, rows


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
        DocumentError: If the document is not valid (by the schema or by the models'
            rules); nothing is stored.
    """
    data = load_document(document)
    customer_row, answers, rows = document_rows(data)
    customer = Customer.objects.filter(
        organisation=organisation, name__iexact=customer_row.name
    ).first() or customer_create(
        organisation=organisation,
        name=customer_row.name,
        industry=customer_row.industry,
        country=customer_row.country,
        actor=actor,
    )
    assessment = assessment_create(
        organisation=organisation, customer=customer, title=data.title, owner=owner, actor=actor
    )
    for name in engine_io.ORG_FIELDS:
        setattr(assessment, name, getattr(answers, name))
    assessment.save()
    sites = [site for site, _circuits in rows]
    for site in sites:
        site.assessment = assessment
    Site.objects.bulk_create(sites)
    circuits = []
    for site, site_circuits in rows:
        for circuit in site_circuits:
            circuit.site = site
            circuits.append(circuit)
    Circuit.objects.bulk_create(circuits)
    record_change(
        assessment=assessment,
        obj=assessment,
        action="import",
        changed={"sites": [0, len(sites)]},
        actor=actor,
    )
    return assessment


def _chained_hubs(sites: tuple[SiteInput, ...]) -> list[str]:
    """A site that is a hub may not backhaul itself: the engine adds load one level deep."""
    hubs = {site_name_key(s.backhaul_hub) for s in sites if s.backhaul_hub}
    return [
        f"sites[{i}].backhaul_hub: other sites send their traffic through "
        f"{site.name!r}, so it needs its own line"
        for i, site in enumerate(sites)
        if site.backhaul_hub and site_name_key(site.name) in hubs
    ]


def _site_values(site: SiteInput) -> dict[str, Any]:
    values = {name: getattr(site, name) for name in _SITE_FIELDS} | persona_answers(site.personas)
    values["name"] = values["name"].strip()
    values["measurement_tool"] = values["measurement_tool"] or ""
    return values


def result_payload(result: AssessmentResult, costs: CostResult | None = None) -> dict[str, Any]:
    """Scoring results as the JSON the API and the command line print.

    Args:
        result: The scored assessment.
        costs: Its cost of ownership, added as ``costs`` (amounts as decimal strings).

    Returns:
        The result document.
    """
    payload = {"format": "teams-readiness-result", "format_version": 1, **result.to_dict()}
    if costs is not None:
        payload["costs"] = costs.to_dict()
    return payload
