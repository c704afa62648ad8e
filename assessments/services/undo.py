"""Taking back a removed site or a promoted scenario, unless what it touched changed since."""

import json
from datetime import timedelta

from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from assessments.models import Assessment, Scenario, Site, Undo, UndoKind
from assessments.services.assessments import (
    assessment_update,
    branches_of,
    lock_sites_of,
    site_delete,
    site_update,
)
from assessments.services.versioning import Actor, StaleEditError, record_change

# How long a removal stays offered for undo on the grid: a workshop's length, so the
# offer does not linger beside work done days later (it stays possible from the log).
OFFERED_FOR = timedelta(hours=12)


class UndoRefused(Exception):
    """Taking back is not possible any more; the message says why, in plain words."""


def _facts_of(site: Site) -> list[models.Model]:
    """The rows removed with a site: its circuits and measurement records.

    Not its scores: those are computed again when it comes back.
    """
    rows: list[models.Model] = []
    for relation in Site._meta.related_objects:
        if relation.one_to_many and relation.on_delete is models.CASCADE:
            rows.extend(getattr(site, relation.get_accessor_name()).order_by("pk"))
    return rows


@transaction.atomic
def site_remove(
    *, site: Site, base_version: int | None, actor: Actor, rescore: bool = True
) -> Undo:
    """Remove a site as :func:`site_delete` does, keeping what restoring it needs.

    Args:
        site: The site.
        base_version: The version the author last saw (None: remove whatever it is now).
        actor: Who removes it.
        rescore: As for :func:`site_delete`.

    Returns:
        The undo entry that brings it back.

    Raises:
        StaleEditError: Someone changed the site since the author saw it; nothing removed.
    """
    locked = Site.objects.select_for_update().get(pk=site.pk)
    if base_version is not None and locked.version != base_version:
        raise StaleEditError([], locked.version)
    # Serialised as JSON text and read back: dates and decimals become JSON-safe values.
    rows = json.loads(serializers.serialize("json", [locked, *_facts_of(locked)]))
    branches = list(
        branches_of(locked.assessment_id, locked.name)
        .exclude(pk=locked.pk)
        .values_list("pk", flat=True)
    )
    site_delete(site=locked, base_version=None, actor=actor, rescore=rescore)
    return Undo.objects.create(
        assessment_id=locked.assessment_id,
        kind=UndoKind.SITE_DELETE,
        label=f"Site “{locked.name}” removed"[:160],
        payload={"rows": rows, "branches": branches},
        user=actor.user,
    )


def offered_removals(*, assessment: Assessment, user) -> list[Undo]:
    """The site removals of an assessment still offered for undo, newest first (at most 5)."""
    since = timezone.now() - OFFERED_FOR
    return list(
        Undo.objects.visible_to(user)
        .open()
        .filter(assessment=assessment, kind=UndoKind.SITE_DELETE, created_at__gte=since)
        # What the offer shows: the removed rows themselves are read only to restore them.
        .only("pk", "assessment_id", "label", "created_at")[:5]
    )


@transaction.atomic
def site_restore(*, undo: Undo, actor: Actor) -> Site:
    """Bring a removed site back as it was: its answers, circuits, measurements and place.

    Args:
        undo: The entry :func:`site_remove` made.
        actor: Who takes the removal back.

    Returns:
        The site, with the id it had (scenarios naming it apply to it again).

    Raises:
        UndoRefused: It was taken back already, or another site has its name now.
    """
    undo = Undo.objects.select_for_update().get(pk=undo.pk)
    if undo.undone_at is not None or undo.kind != UndoKind.SITE_DELETE:
        raise UndoRefused("That removal was taken back already.")
    lock_sites_of(undo.assessment_id)
    objects = list(serializers.deserialize("json", json.dumps(undo.payload["rows"])))
    site = objects[0].object
    if Site.objects.filter(assessment_id=undo.assessment_id, name__iexact=site.name).exists():
        raise UndoRefused(
            f"Another site is called “{site.name}” now: rename it, then take the removal back."
        )
    site.version += 1  # a page still showing the old row must not save over the restored one
    site.save(force_insert=True)
    for row in objects[1:]:
        row.object.save(force_insert=True)
    # Its branches send their traffic through it again, unless they were given a hub since.
    Site.objects.filter(pk__in=undo.payload["branches"], backhaul_hub="").update(
        backhaul_hub=site.name
    )
    undo.undone_at = timezone.now()
    undo.save(update_fields=["undone_at"])
    record_change(assessment=site.assessment, obj=site, action="restore", changed={}, actor=actor)
    return site


def _undo_writes(undo: Undo, actor: Actor) -> None:
    """Write back the old values of a promotion, newest write first.

    Over the versions it left: a field someone changed since is a conflict, and nothing
    is written.
    """
    for write in reversed(undo.payload["writes"]):
        old = {name: values[0] for name, values in write["changed"].items()}
        if write["type"] == "assessment":
            assessment = Assessment.objects.get(pk=write["id"])
            assessment_update(
                assessment=assessment, base_version=write["version"], changes=old, actor=actor
            )
            continue
        site = Site.objects.filter(pk=write["id"]).first()
        if site is None:
            raise UndoRefused("A site it changed has been removed since: nothing taken back.")
        circuits = old.pop("circuits", None)
        site_update(
            site=site, base_version=write["version"], changes=old, actor=actor, circuits=circuits
        )


@transaction.atomic
def promote_undo(*, undo: Undo, actor: Actor) -> Scenario | None:
    """Take a promotion back: the answers it changed get their old values, its sites go.

    Args:
        undo: The entry :func:`scenario_promote` made.
        actor: Who takes it back.

    Returns:
        The scenario (no longer marked promoted), or None if it was deleted since.

    Raises:
        UndoRefused: It was taken back already, or someone changed an answer it wrote
            (or a site it added) since; nothing is written.
    """
    undo = Undo.objects.select_for_update().get(pk=undo.pk)
    if undo.undone_at is not None or undo.kind != UndoKind.PROMOTE:
        raise UndoRefused("That promotion was taken back already.")
    try:
        _undo_writes(undo, actor)
        for created in undo.payload["created"]:
            site = Site.objects.filter(pk=created["id"]).first()
            if site is not None:
                site_delete(site=site, base_version=created["version"], actor=actor)
    except StaleEditError as exc:
        names = ", ".join(c.label for c in exc.conflicts) or "a site it added"
        raise UndoRefused(
            f"Not taken back: {names} changed since the promotion. Change it by hand, or "
            "promote a scenario with the values you want."
        ) from exc
    except ValidationError as exc:
        raise UndoRefused(f"Not taken back: {'; '.join(exc.messages)}") from exc
    undo.undone_at = timezone.now()
    undo.save(update_fields=["undone_at"])
    scenario = Scenario.objects.filter(pk=undo.payload["scenario"]).first()
    if scenario is not None:
        scenario.promoted_at = None
        scenario.save(update_fields=["promoted_at", "updated_at"])
        record_change(
            assessment=scenario.assessment,
            obj=scenario,
            action="undo",
            changed={},
            actor=actor,
            rescore=False,
        )
    return scenario


def last_promotion(*, scenario: Scenario, user) -> Undo | None:
    """The promotion of a scenario that can still be taken back, if any."""
    return (
        Undo.objects.visible_to(user)
        .open()
        .filter(assessment_id=scenario.assessment_id, kind=UndoKind.PROMOTE)
        .filter(payload__scenario=scenario.pk)
        .first()
    )
