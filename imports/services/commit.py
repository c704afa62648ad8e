"""Saving a previewed site list import, and the uploads that wait for their preview."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments.models import Assessment, Change, Circuit, Site
from assessments.services.assessments import lock_sites_of, site_update
from assessments.services.versioning import Actor
from imports.models import PendingSiteImport
from imports.services.columns import SITE_COLUMNS
from imports.services.parsed import ParsedFile
from imports.services.plan import PlannedRow, model_value, plan_import

PENDING_MAX_AGE = timedelta(hours=24)


class ImportBlockedError(Exception):
    """The preview still lists problems: nothing may be saved."""


class StalePreviewError(Exception):
    """The sites changed since the preview was shown; the user must look at it again."""


class SupersededUploadError(Exception):
    """Another tab uploaded a newer file since the confirmed preview was shown."""


@dataclass
class ImportOutcome:
    """What a commit did."""

    created: int
    updated: int
    unchanged: int
    skipped: int = 0  # rejected rows left out on the user's choice

    def summary(self, skipped: str = "rejected row{s} skipped") -> str:
        """What the import did, in words: "2 added, 1 rejected row skipped".

        Args:
            skipped: how skipped rows are named; ``{s}`` is the plural ending.
        """
        parts = [
            f"{self.created:,} added" if self.created else "",
            f"{self.updated:,} updated" if self.updated else "",
            f"{self.unchanged:,} unchanged" if self.unchanged else "",
            f"{self.skipped:,} " + skipped.format(s="" if self.skipped == 1 else "s")
            if self.skipped
            else "",
        ]
        return ", ".join(p for p in parts if p) or "no changes"


def _uploader(*, user=None, invite=None) -> dict[str, Any]:
    """Whose pending upload: a member's, or a customer's invite link's (exactly one)."""
    if (user is None) == (invite is None):
        raise ValueError("A pending upload belongs to a member or to an invite link.")
    return {"user": user, "invite": None} if user is not None else {"user": None, "invite": invite}


def pending_import_create(
    *, assessment: Assessment, file_name: str, parsed: ParsedFile, user=None, invite=None
) -> PendingSiteImport:
    """Keep a parsed file until its preview is confirmed; sweep old and superseded ones.

    Each uploader (a member, or a customer's invite link) has one upload waiting per
    assessment: a new one replaces it.
    """
    uploader = _uploader(user=user, invite=invite)
    PendingSiteImport.objects.filter(created_at__lt=timezone.now() - PENDING_MAX_AGE).delete()
    PendingSiteImport.objects.filter(assessment=assessment, **uploader).delete()
    return PendingSiteImport.objects.create(
        assessment=assessment,
        file_name=file_name[:255],
        file_format=parsed.file_format,
        payload=parsed.payload(),
        **uploader,
    )


def pending_import_discard(*, assessment: Assessment, user=None, invite=None) -> None:
    """Drop the uploader's waiting upload, if any: nothing is saved."""
    PendingSiteImport.objects.filter(
        assessment=assessment, **_uploader(user=user, invite=invite)
    ).delete()


@transaction.atomic
def pending_import_commit(
    *,
    pending: PendingSiteImport,
    upload: str,
    fingerprint: str,
    actor: Actor,
    skip_rejected: bool = False,
    blank_clears: bool = False,
) -> ImportOutcome:
    """Save the waiting upload whose preview the uploader confirmed, then let it go.

    Args:
        pending: the uploader's waiting upload.
        upload: the id of the upload the confirmed preview showed.
        fingerprint: the plan's fingerprint as the uploader saw it on the preview.
        actor: who imports.
        skip_rejected: import the good rows even though others are rejected.
        blank_clears: blank cells clear stored values (see ``plan_import``).

    Raises:
        SupersededUploadError: the preview was of an earlier upload (another tab replaced it).
        ImportBlockedError, StalePreviewError: as :func:`site_import_commit`; the upload
            stays waiting, to look at again.
    """
    if upload != str(pending.pk):
        raise SupersededUploadError
    outcome = site_import_commit(
        assessment=pending.assessment,
        payload=pending.payload,
        fingerprint=fingerprint,
        actor=actor,
        skip_rejected=skip_rejected,
        blank_clears=blank_clears,
    )
    pending.delete()
    return outcome


@transaction.atomic
def site_import_commit(
    *,
    assessment: Assessment,
    payload: dict[str, Any],
    fingerprint: str,
    actor: Actor,
    skip_rejected: bool = False,
    blank_clears: bool = False,
) -> ImportOutcome:
    """Apply a previewed import in one transaction: every good row, or nothing.

    With problems in the file nothing is saved, unless the user chose to import the good
    rows and skip the rejected ones; a row is always saved whole or not at all.

    New sites are inserted in bulk (a handful of queries for thousands of sites), each
    with its circuits and a "create" entry in the activity log; changed sites go through
    ``site_update`` so versions and the activity log stay as for any other edit.

    Args:
        assessment: where the sites go.
        payload: the stored parsed file.
        fingerprint: the plan's fingerprint as the user saw it on the preview.
        actor: who imports.
        skip_rejected: import the good rows even though others are rejected.
        blank_clears: blank cells clear stored values (see ``plan_import``).

    Raises:
        ImportBlockedError: the preview lists problems and skipping them was not chosen,
            or no row is good.
        StalePreviewError: sites changed since the preview (someone else edited them).
    """
    # Serialise imports into one assessment (a no-op lock on SQLite, which has one writer),
    # with the same lock as other writers of sites: one that lets a grid edit holding a
    # site still log its change (a full row lock made the two wait on each other).
    lock_sites_of(assessment.pk)
    plan = plan_import(assessment=assessment, payload=payload, blank_clears=blank_clears)
    blocked = bool(plan.errors or plan.count("invalid"))
    if (blocked and not skip_rejected) or not plan.good:
        raise ImportBlockedError
    if plan.fingerprint != fingerprint:
        raise StalePreviewError
    creates = [r for r in plan.rows if r.action == "create"]
    updates = [r for r in plan.rows if r.action == "update"]
    if creates:
        _bulk_create_sites(assessment, creates, actor)
    if updates:
        sites = Site.objects.in_bulk([r.site_id for r in updates])
        for row in updates:
            site = sites[row.site_id]
            site_update(
                site=site,
                base_version=row.site_version,
                changes={k: model_value(k, v) for k, v in row.values.items()},
                circuits=row.circuits,
                actor=actor,
            )
    return ImportOutcome(
        created=len(creates),
        updated=len(updates),
        unchanged=plan.count("unchanged"),
        skipped=plan.rejected if blocked else 0,
    )


_TRUSTED_FIELDS = ["assessment", "country"] + [c.key for c in SITE_COLUMNS if c.kind == "choice"]


def _bulk_create_sites(assessment: Assessment, rows: list[PlannedRow], actor: Actor) -> None:
    top = assessment.sites.aggregate(top=Max("position"))["top"]
    position = 0 if top is None else top + 1
    sites = []
    for offset, row in enumerate(rows):
        fields = {k: model_value(k, v) for k, v in row.values.items()}
        site = Site(assessment=assessment, position=position + offset, **fields)
        # Names were checked against the file and the stored sites (case-insensitively)
        # while planning under the assessment lock; the unique constraint still guards.
        # Every value went through parse_cell, which applies the model fields' own limits
        # and choices; full_clean stays as a safety net for the limits but skips what is
        # costly and already certain: the (locked) assessment's key, the country and the
        # choice fields (Django scans every choice per field and site) and uniqueness.
        site.full_clean(exclude=_TRUSTED_FIELDS, validate_unique=False, validate_constraints=False)
        sites.append(site)
    Site.objects.bulk_create(sites, batch_size=500)
    circuits = []
    for site, row in zip(sites, rows, strict=True):
        for values in row.circuits or []:
            circuit = Circuit(site=site, **values)
            # Speeds were range-checked while parsing; the database's check constraint
            # still guards, without a query per circuit here.
            circuit.full_clean(exclude=["site"], validate_constraints=False)
            circuits.append(circuit)
    Circuit.objects.bulk_create(circuits, batch_size=1000)
    Change.objects.bulk_create(
        [
            Change(
                organisation_id=assessment.organisation_id,
                assessment=assessment,
                object_type="site",
                object_id=site.pk,
                object_label=str(site)[:160],
                version=site.version,
                action="create",
                fields={},
                user=actor.user,
                actor_label=actor.label[:160],
            )
            for site in sites
        ],
        batch_size=1000,
    )
