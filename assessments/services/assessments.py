"""Writes for customers, assessments, sites and circuits; each one logged in the activity log."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from assessments import questions
from assessments.models import (
    CUSTOMER_NAME_TAKEN,
    SITE_NAME_TAKEN,
    STATUS_FLOW,
    Assessment,
    Circuit,
    Customer,
    Site,
    Status,
)
from assessments.schema.document import site_name_key
from assessments.services.versioning import (
    Actor,
    SaveResult,
    StaleEditError,
    record_change,
    versioned_update,
)
from scoring.inputs import circuit_order
from tenancy.models import Organisation

CIRCUIT_FIELDS = tuple(questions.names(Circuit))


@transaction.atomic
def customer_create(
    *, organisation: Organisation, name: str, actor: Actor, **fields: Any
) -> Customer:
    """Create a customer of ``organisation`` after validating it (logged for its admins)."""
    customer = Customer(organisation=organisation, name=name.strip(), **fields)
    customer.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            customer.save()
    except IntegrityError as exc:  # two people adding the same customer at once
        raise _name_taken(exc) from exc
    record_change(assessment=None, obj=customer, action="create", changed={}, actor=actor)
    return customer


def customer_update(
    *, customer: Customer, base_version: int, changes: dict[str, Any], actor: Actor
) -> SaveResult:
    """Save a customer's details over the version the author saw."""
    try:
        return versioned_update(
            obj=customer, base_version=base_version, changes=changes, actor=actor, assessment=None
        )
    except IntegrityError as exc:  # renamed to a name added meanwhile
        raise _name_taken(exc) from exc


def organisation_update(
    *, organisation: Organisation, base_version: int, changes: dict[str, Any], actor: Actor
) -> SaveResult:
    """Save an organisation's branding over the version the author saw."""
    return versioned_update(
        obj=organisation, base_version=base_version, changes=changes, actor=actor, assessment=None
    )


@transaction.atomic
def assessment_create(
    *, organisation: Organisation, customer: Customer, title: str, owner, actor: Actor
) -> Assessment:
    """Start a draft assessment for ``customer``, owned by ``owner``."""
    if customer.organisation_id != organisation.pk:
        raise ValidationError("That customer belongs to another organisation.")
    assessment = Assessment(
        organisation=organisation,
        customer=customer,
        title=title.strip(),
        owner=owner,
        status_changed_at=timezone.now(),
    )
    assessment.full_clean()
    assessment.save()
    record_change(assessment=assessment, obj=assessment, action="create", changed={}, actor=actor)
    return assessment


@transaction.atomic
def assessment_start(
    *,
    organisation: Organisation,
    customer: Customer | None,
    new_customer: dict[str, Any] | None = None,
    title: str,
    owner,
    actor: Actor,
) -> Assessment:
    """Start a draft assessment for a customer, adding the customer first if it is new.

    Args:
        organisation: The member's organisation.
        customer: An existing customer, or None to add ``new_customer``.
        new_customer: The new customer's ``name`` and other fields.
        title: The assessment's title.
        owner: The staff user who owns it.
        actor: Who starts it.

    Returns:
        The new assessment; with a new customer, both or neither are stored.
    """
    if customer is None:
        customer = customer_create(organisation=organisation, actor=actor, **(new_customer or {}))
    return assessment_create(
        organisation=organisation, customer=customer, title=title, owner=owner, actor=actor
    )


def assessment_update(
    *,
    assessment: Assessment,
    base_version: int,
    changes: dict[str, Any],
    actor: Actor,
    rescore: bool = True,
) -> SaveResult:
    """Save answers or details of an assessment over the version the author saw.

    ``rescore=False``: the caller stores the score summary itself (see ``record_change``).
    """
    # Compare with the stored status: a bound ModelForm has already copied the submitted
    # status onto ``assessment``, so its attribute is not what the database holds.
    stored = Assessment.objects.values_list("status", flat=True).get(pk=assessment.pk)
    if "status" in changes and changes["status"] != stored:
        allowed = STATUS_FLOW.get(stored, [])
        if changes["status"] not in allowed:
            raise ValidationError(
                {
                    "status": f"An assessment cannot move from {Status(stored).label} "
                    f"to {Status(changes['status']).label}."
                }
            )
        changes = {**changes, "status_changed_at": timezone.now()}
        if changes["status"] == Status.SUBMITTED:
            changes["submitted_at"] = timezone.now()
    return versioned_update(
        obj=assessment,
        base_version=base_version,
        changes=changes,
        actor=actor,
        assessment=assessment,
        rescore=rescore,
    )


def circuits_plain(site: Site) -> list[dict[str, Any]]:
    """A site's circuits as plain values, in a stable order (compares across versions)."""
    rows = [
        {name: getattr(circuit, name) for name in CIRCUIT_FIELDS} for circuit in site.circuits.all()
    ]
    for row in rows:
        for key in ("down_mbps", "up_mbps"):
            if isinstance(row[key], float) and row[key].is_integer():
                row[key] = int(row[key])
    return sorted_circuits(rows)


def _replace_circuits(site: Site, rows: list[dict[str, Any]]) -> None:
    site.circuits.all().delete()
    circuits = [Circuit(site=site, **row) for row in rows]
    for circuit in circuits:
        circuit.full_clean(exclude=["site"])
    Circuit.objects.bulk_create(circuits)


def _next_position(assessment: Assessment) -> int:
    top = assessment.sites.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


def lock_sites_of(assessment_id: int) -> None:
    """Take turns with other writers adding sites to this assessment (until commit).

    FOR NO KEY UPDATE: rows that merely point at the assessment (a change logged, a site
    edited) are not held up, only other writers taking this same lock.
    """
    Assessment.objects.select_for_update(no_key=True).filter(pk=assessment_id).exists()


# Each unique-name constraint and what the forms say when it refuses a name.
_NAME_TAKEN = {
    "site_unique_name_any_case": SITE_NAME_TAKEN,
    "customer_unique_name_any_case": CUSTOMER_NAME_TAKEN,
}


def _name_taken(error: IntegrityError) -> ValidationError:
    """A unique name constraint's refusal said as the form says it (anything else re-raised).

    The constraint is the last word when a rename and an addition race past the checks.
    """
    for constraint, message in _NAME_TAKEN.items():
        if constraint in str(error):
            return ValidationError({"name": message})
    raise error


@transaction.atomic
def site_create(
    *,
    assessment: Assessment,
    fields: dict[str, Any],
    circuits: list[dict[str, Any]] | None = None,
    actor: Actor,
    rescore: bool = True,
) -> Site:
    """Add a site (and its circuits) to an assessment.

    ``rescore=False``: the caller stores the score summary itself (see ``record_change``).

    Raises:
        ValidationError: A value is refused, or another site has the name (in any case).
    """
    lock_sites_of(assessment.pk)
    site = Site(assessment=assessment, position=_next_position(assessment), **fields)
    site.full_clean()
    try:
        with transaction.atomic():
            site.save()
    except IntegrityError as exc:
        raise _name_taken(exc) from exc
    if circuits:
        _replace_circuits(site, circuits)
    record_change(
        assessment=assessment, obj=site, action="create", changed={}, actor=actor, rescore=rescore
    )
    return site


def site_update(
    *,
    site: Site,
    base_version: int,
    changes: dict[str, Any],
    actor: Actor,
    circuits: list[dict[str, Any]] | None = None,
    rescore: bool = True,
) -> SaveResult:
    """Save a site's fields (and, if given, its whole circuit list) over the version seen.

    A hub that is renamed keeps its branches: their "traffic goes through" follows the name.
    ``rescore=False``: the caller stores the score summary itself (see ``record_change``).
    """
    current = {}
    if circuits is not None:
        changes = {**changes, "circuits": sorted_circuits(circuits)}
        current = {"circuits": circuits_plain(site)}
    try:
        return versioned_update(
            obj=site,
            base_version=base_version,
            changes=changes,
            actor=actor,
            assessment=site.assessment,
            current_values=current,
            apply=lambda locked, pseudo: _replace_circuits(locked, pseudo["circuits"]),
            rescore=rescore,
            after_save=_branches_follow_the_name,
        )
    except IntegrityError as exc:
        raise _name_taken(exc) from exc


def _branches_follow_the_name(site: Site, changed: dict[str, list[Any]]) -> None:
    if "name" in changed:
        old, new = changed["name"]
        branches_of(site.assessment_id, old).update(backhaul_hub=new)


def branches_of(assessment_id: int, hub_name: str):
    """The sites whose traffic goes through the hub named ``hub_name``."""
    # The hub is named as people type it: matched in any case, as site names are unique.
    return Site.objects.filter(assessment_id=assessment_id, backhaul_hub__iexact=hub_name)


@transaction.atomic
def sites_bulk_set(*, sites, changes: dict[str, Any], actor: Actor) -> int:
    """Set the same values on every site given, all or none (each logged as its own change).

    Args:
        sites: The sites, as the page showed them (their versions are the base).
        changes: ``{field: value}`` to set on each.
        actor: Who sets them.

    Returns:
        How many sites were given.

    Raises:
        ValidationError: A value is refused for a site; nothing is saved.
        StaleEditError: Someone changed the field on a site meanwhile; nothing is saved.
    """
    count = 0
    for site in sites:
        site_update(site=site, base_version=site.version, changes=changes, actor=actor)
        count += 1
    return count


def sorted_circuits(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Circuit rows in the same order and number format as ``circuits_plain``."""
    clean = []
    for row in rows:
        row = {name: row.get(name) for name in CIRCUIT_FIELDS}
        row["provider"] = row["provider"] or ""
        for key in ("down_mbps", "up_mbps"):
            if isinstance(row[key], float) and row[key].is_integer():
                row[key] = int(row[key])
        clean.append(row)
    return sorted(clean, key=lambda r: (circuit_order(r["role"]), r["kind"], r["down_mbps"]))


def unique_site_name(assessment: Assessment, name: str) -> str:
    """``name (copy)``, ``name (copy 2)`` … so a clone never collides with a sibling (any case)."""
    taken = {site_name_key(n) for n in assessment.sites.values_list("name", flat=True)}
    base = name[:100]
    candidate = f"{base} (copy)"
    n = 2
    while site_name_key(candidate) in taken:
        candidate = f"{base} (copy {n})"
        n += 1
    return candidate


@transaction.atomic
def site_clone(*, site: Site, actor: Actor, rescore: bool = True) -> Site:
    """Copy a site and its circuits under a new name, placed at the end of the list.

    ``rescore=False``: the caller stores the score summary itself (see ``record_change``).
    """
    # Clones of one site made at the same moment would pick the same free name: the
    # assessment's row lock (taken by site_create as well) makes them take turns.
    lock_sites_of(site.assessment_id)
    source = Site.objects.get(pk=site.pk)
    fields = {
        f.name: getattr(source, f.name)
        for f in Site._meta.concrete_fields
        if f.name not in {"id", "assessment", "version", "created_at", "updated_at", "position"}
    }
    fields["name"] = unique_site_name(source.assessment, source.name)
    return site_create(
        assessment=source.assessment,
        fields=fields,
        circuits=circuits_plain(source),
        actor=actor,
        rescore=rescore,
    )


@transaction.atomic
def site_delete(
    *,
    site: Site,
    base_version: int | None,
    actor: Actor,
    rescore: bool = True,
) -> None:
    """Remove a site, unless someone changed it after the author last saw it.

    ``rescore=False``: the caller stores the score summary itself (see ``record_change``).
    """
    locked = Site.objects.select_for_update().get(pk=site.pk)
    if base_version is not None and locked.version != base_version:
        raise StaleEditError([], locked.version)
    record_change(
        assessment=locked.assessment,
        obj=locked,
        action="delete",
        changed={},
        actor=actor,
        rescore=rescore,
    )
    # Its branches go back to their own lines rather than naming a site that is gone.
    branches_of(locked.assessment_id, locked.name).exclude(pk=locked.pk).update(backhaul_hub="")
    locked.delete()


@transaction.atomic
def assessment_delete(*, assessment: Assessment) -> None:
    """Delete an assessment with its sites (the customer stays)."""
    assessment.delete()


SITE_FIELDS_NOT_COPIED = {"id", "assessment", "version", "created_at", "updated_at"}


@transaction.atomic
def assessment_clone(
    *, source: Assessment, customer: Customer, title: str, owner, actor: Actor
) -> Assessment:
    """Start a new draft assessment from an existing one: its answers, sites and circuits.

    Invites, proposals, scenarios and the activity log stay with the original.
    """
    copy = assessment_create(
        organisation=source.organisation, customer=customer, title=title, owner=owner, actor=actor
    )
    for name in questions.names(Assessment):
        setattr(copy, name, getattr(source, name))
    copy.full_clean()
    copy.save()
    sites = list(source.sites.prefetch_related("circuits").order_by("position", "id"))
    new_sites = Site.objects.bulk_create(
        [
            Site(
                assessment=copy,
                **{
                    f.attname: getattr(site, f.attname)
                    for f in Site._meta.concrete_fields
                    if f.name not in SITE_FIELDS_NOT_COPIED
                },
            )
            for site in sites
        ]
    )
    Circuit.objects.bulk_create(
        [
            Circuit(site=new, **{name: getattr(c, name) for name in CIRCUIT_FIELDS})
            for old, new in zip(sites, new_sites, strict=True)
            for c in old.circuits.all()
        ]
    )
    record_change(
        assessment=copy,
        obj=copy,
        action="clone",
        changed={"cloned_from": [None, str(source)]},
        actor=actor,
    )
    return copy
