"""Writes of a partner's country facts, each logged, with every assessment scored again."""

from django.db import transaction

from assessments.services.scores import rescore_organisation
from assessments.services.versioning import Actor, record_change
from tenancy.models import CountryOverride, Organisation

FACTS = ("operator_connect", "calling_plans", "teams_phone_mobile", "note")


def _refresh_scores(organisation_id: int) -> None:
    # Every assessment's recommendation may move: its stored summary (the pipeline's) is
    # refreshed by the worker once the change is committed, not inside this request.
    transaction.on_commit(lambda: rescore_organisation.enqueue(organisation_id))


@transaction.atomic
def country_override_save(
    *, organisation: Organisation, country: str, facts: dict[str, str], actor: Actor
) -> CountryOverride | None:
    """Set the partner's facts for one country; all "as published" removes the correction.

    Args:
        organisation: The partner.
        country: ISO 3166 code.
        facts: Values of :data:`FACTS` ("" for a model keeps the published fact).
        actor: Who changes it.

    Returns:
        The stored correction, or None when nothing is left to correct.
    """
    row = (
        CountryOverride.objects.select_for_update()
        .filter(organisation=organisation, country=country)
        .first()
    )
    old = {name: getattr(row, name) if row else "" for name in FACTS}
    new = {name: (facts.get(name) or "").strip() for name in FACTS}
    if old == new:
        return row
    if not any(new[name] for name in FACTS if name != "note"):
        if row is not None:
            record_change(assessment=None, obj=row, action="delete", changed={}, actor=actor)
            row.delete()
            _refresh_scores(organisation.pk)
        return None
    created = row is None
    if created:
        row = CountryOverride(organisation=organisation, country=country)
    else:
        row.version += 1
    for name, value in new.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    changed = {name: [old[name], new[name]] for name in FACTS if old[name] != new[name]}
    record_change(
        assessment=None,
        obj=row,
        action="create" if created else "update",
        changed={} if created else changed,
        actor=actor,
    )
    _refresh_scores(organisation.pk)
    return row
