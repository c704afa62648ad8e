"""Proposals: preview a draft, issue a frozen version, render it in the background, compare."""

import base64
import hashlib
import json
import logging
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from assessments import engine_io
from assessments.branding import sniff_image_type
from assessments.models import Assessment, Organisation, Proposal, ProposalStatus, Status
from assessments.pdf.context import Branding, ProposalSnapshot, build_context, thresholds_used
from assessments.services.documents import assessment_export, result_payload
from assessments.services.versioning import Actor, versioned_update

logger = logging.getLogger(__name__)

BRANDING_FIELDS = Organisation.BRANDING_FIELDS
NOT_READY = "This proposal version has no stored PDF yet."
# A render still "rendering" after this long died with its worker; it may be retried.
STALE_RENDER = timedelta(minutes=10)


class ProposalIntegrityError(Exception):
    """A stored PDF no longer matches the sha256 recorded when it was issued."""


def _plain_json(value: Any) -> Any:
    # Store exactly what JSON gives back, so a saved snapshot compares equal to a loaded one.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def logo_data_uri(organisation: Organisation) -> str:
    """The organisation's logo as a ``data:`` URI, or ``""`` when it has none or it is unreadable.

    Args:
        organisation: The partner organisation.

    Returns:
        A base64 ``data:`` URI of the PNG, JPEG or (sanitised) SVG logo.
    """
    if not organisation.logo:
        return ""
    try:
        with organisation.logo.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("Logo of organisation %s cannot be read", organisation.pk)
        return ""
    kind = sniff_image_type(data)
    if kind is None:
        return ""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def branding_snapshot(
    organisation: Organisation, *, overrides: dict[str, Any] | None = None
) -> Branding:
    """The branding values a proposal uses, with the logo inlined.

    Args:
        organisation: The partner organisation.
        overrides: Unsaved values (the branding preview) that replace stored ones.

    Returns:
        The branding as the PDF context expects it.
    """
    values = {name: getattr(organisation, name) for name in BRANDING_FIELDS}
    values["company_name"] = organisation.display_name
    values.update(overrides or {})
    values["logo_data_uri"] = logo_data_uri(organisation)
    return Branding(**{k: str(v or "") for k, v in values.items()})


def proposal_snapshot(*, assessment: Assessment, issued_by: str) -> ProposalSnapshot:
    """Score the assessment now and collect everything a proposal shows.

    Args:
        assessment: The assessment (customer and organisation are read).
        issued_by: The name printed as the issuer (or previewer).

    Returns:
        A draft snapshot: ``number`` and ``issued_at`` are ``None``.
    """
    result = engine_io.score(assessment)
    return ProposalSnapshot(
        document=_plain_json(assessment_export(assessment)),
        results=_plain_json(result_payload(result)),
        ruleset_version=result.ruleset_version,
        branding=branding_snapshot(assessment.organisation),
        thresholds=thresholds_used(),
        number=None,
        issued_at=None,
        issued_by=issued_by,
    )


def proposal_preview_pdf(*, assessment: Assessment, user) -> bytes:
    """Render a draft proposal from the current answers and branding; nothing is stored.

    Args:
        assessment: The assessment to preview.
        user: Who previews it (named on the draft).

    Returns:
        The PDF bytes, marked as a draft on every page.
    """
    from assessments.pdf.render import render_pdf  # WeasyPrint loads on first render only

    snapshot = proposal_snapshot(assessment=assessment, issued_by=_name(user))
    return render_pdf(build_context(snapshot, draft=True))


def snapshot_of(proposal: Proposal) -> ProposalSnapshot:
    """The frozen snapshot of an issued proposal, as the renderer reads it."""
    return ProposalSnapshot(
        document=proposal.document,
        results=proposal.results,
        ruleset_version=proposal.ruleset_version,
        branding=proposal.branding,
        thresholds=proposal.thresholds,
        number=proposal.number,
        issued_at=proposal.issued_at.isoformat(),
        issued_by=proposal.issued_by_name,
    )


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def proposal_issue(*, assessment: Assessment, user, actor: Actor | None = None) -> Proposal:
    """Freeze the next version of the assessment's proposal and queue its rendering.

    The snapshot (answers, results, ruleset, branding with the logo) is taken now, in
    this transaction; the PDF is rendered by a background task once the transaction has
    committed, so the worker never looks for a row that is not there yet.

    Args:
        assessment: The assessment to issue.
        user: The staff user who issues it.
        actor: Who acts, for the activity log (defaults to ``user``).

    Returns:
        The new proposal, status "queued".
    """
    actor = actor or Actor.for_user(user)
    # The row lock serialises two people issuing at once, so numbers never collide.
    locked = (
        Assessment.objects.select_for_update()
        .select_related("customer", "organisation")
        .get(pk=assessment.pk)
    )
    number = (locked.proposals.aggregate(top=Max("number"))["top"] or 0) + 1
    snapshot = proposal_snapshot(assessment=locked, issued_by=_name(user))
    proposal = Proposal(
        organisation=locked.organisation,
        assessment=locked,
        number=number,
        customer_name=locked.customer.name,
        document=snapshot["document"],
        results=snapshot["results"],
        ruleset_version=snapshot["ruleset_version"],
        branding=_plain_json(snapshot["branding"]),
        thresholds=_plain_json(snapshot["thresholds"]),
        issued_by=user,
        issued_by_name=snapshot["issued_by"],
        issued_at=timezone.now(),
        status=ProposalStatus.QUEUED,
    )
    proposal.full_clean(exclude=["pdf"])
    proposal.save(force_insert=True)
    if locked.status != Status.PROPOSAL_ISSUED:
        versioned_update(
            obj=locked,
            base_version=locked.version,
            changes={"status": Status.PROPOSAL_ISSUED, "status_changed_at": timezone.now()},
            actor=actor,
            assessment=locked,
        )
    _enqueue_render(proposal.pk)
    return proposal


def _enqueue_render(proposal_id: int) -> None:
    from assessments.tasks import render_proposal

    transaction.on_commit(lambda: render_proposal.enqueue(proposal_id))


def is_retryable(proposal: Proposal) -> bool:
    """Whether a render failed, or has been "rendering" so long that its worker died."""
    if proposal.status == ProposalStatus.FAILED:
        return True
    return (
        proposal.status == ProposalStatus.RENDERING
        and proposal.updated_at < timezone.now() - STALE_RENDER
    )


def proposal_retry(*, proposal: Proposal) -> Proposal:
    """Queue a failed render again (the snapshot is unchanged; only the PDF is retried).

    Args:
        proposal: A proposal whose render failed.

    Returns:
        The proposal, status "queued" (unchanged if it was not failed).
    """
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if not is_retryable(locked):
            return locked
        locked.status = ProposalStatus.QUEUED
        locked.save(update_fields=["status", "updated_at"])
        _enqueue_render(locked.pk)
    return locked


def proposal_render(*, proposal_id: int) -> Proposal:
    """Render an issued proposal's PDF from its snapshot and store it once (the task body).

    Progress goes on the record: "rendering" while WeasyPrint works, then "ready" with
    the file, its sha256, size and page count, or "failed" with the reason. A proposal
    that already has its PDF is left alone, so a task run twice stores nothing twice.

    Args:
        proposal_id: The proposal to render.

    Returns:
        The proposal as stored afterwards.
    """
    from assessments.pdf.render import render_document

    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update().select_related("organisation").get(pk=proposal_id)
        )
        if proposal.sha256 or (
            proposal.status == ProposalStatus.RENDERING and not is_retryable(proposal)
        ):
            return proposal
        proposal.status = ProposalStatus.RENDERING
        proposal.attempts += 1
        proposal.error = ""
        proposal.save(update_fields=["status", "attempts", "error", "updated_at"])
    # Committed: the page polling the status now shows "rendering".
    try:
        rendered = render_document(build_context(snapshot_of(proposal)))
    except Exception as exc:
        logger.exception("Rendering proposal %s failed", proposal_id)
        proposal.status = ProposalStatus.FAILED
        proposal.error = f"{type(exc).__name__}: {exc}"[:2000]
        proposal.save(update_fields=["status", "error", "updated_at"])
        return proposal
    proposal.pdf.save(proposal.filename, ContentFile(rendered.data), save=False)
    proposal.sha256 = hashlib.sha256(rendered.data).hexdigest()
    proposal.size = len(rendered.data)
    proposal.page_count = rendered.pages
    proposal.rendered_at = timezone.now()
    proposal.status = ProposalStatus.READY
    proposal.save(
        update_fields=[
            "pdf",
            "sha256",
            "size",
            "page_count",
            "rendered_at",
            "status",
            "updated_at",
        ]
    )
    return proposal


def proposal_pdf_bytes(*, proposal: Proposal) -> bytes:
    """The stored PDF of an issued proposal, checked against its sha256 (never re-rendered).

    Args:
        proposal: A proposal whose PDF is ready.

    Returns:
        The bytes issued.

    Raises:
        FileNotFoundError: The proposal has no stored PDF yet.
        ProposalIntegrityError: The stored file does not match its recorded hash.
    """
    if not proposal.pdf or not proposal.sha256:
        raise FileNotFoundError(NOT_READY)
    with proposal.pdf.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != proposal.sha256:
        raise ProposalIntegrityError(
            f"The stored PDF of {proposal} does not match the sha256 recorded at issue."
        )
    return data


def _answer_changes(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    from assessments.pdf.context import choice_label, question_label

    rows = []
    for name in sorted(set(a) | set(b)):
        if a.get(name) != b.get(name):
            try:
                label = question_label(Assessment, name)
                old = choice_label(Assessment, name, a.get(name))
                new = choice_label(Assessment, name, b.get(name))
            except Exception:
                label, old, new = name, str(a.get(name)), str(b.get(name))
            rows.append({"field": label, "old": old, "new": new})
    return rows


def _site_changes(a: list[dict], b: list[dict]) -> list[dict[str, Any]]:
    from assessments.models import Site
    from assessments.pdf.context import choice_label, question_label

    before = {s["name"]: s for s in a}
    after = {s["name"]: s for s in b}
    rows = []
    for name in [*before, *(n for n in after if n not in before)]:
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            rows.append({"site": name, "change": "added" if old is None else "removed"})
            continue
        fields = []
        for key in sorted(set(old) | set(new)):
            if key == "name" or old.get(key) == new.get(key):
                continue
            if key == "circuits":
                fields.append({"field": "Circuits", "old": "changed", "new": "changed"})
                continue
            try:
                fields.append(
                    {
                        "field": question_label(Site, key),
                        "old": choice_label(Site, key, old.get(key)),
                        "new": choice_label(Site, key, new.get(key)),
                    }
                )
            except Exception:
                fields.append({"field": key, "old": str(old.get(key)), "new": str(new.get(key))})
        if fields:
            rows.append({"site": name, "change": "changed", "fields": fields})
    return rows


def proposal_compare(*, old: Proposal, new: Proposal) -> dict[str, Any]:
    """What changed between two issued versions: recommendation, scores per site, answers.

    Args:
        old: The earlier version.
        new: The later version.

    Returns:
        A dict with ``recommendation`` (old and new label, summary and site split),
        ``scores`` (per site: old and new score and grade), ``answers`` (organisation
        answers that changed), ``sites`` (site answers added, removed or changed),
        ``ruleset`` and ``branding_changed``.
    """
    ro, rn = old.results["recommendation"], new.results["recommendation"]
    scores_old = {s["site"]: s["network"] for s in old.results.get("sites", [])}
    scores_new = {s["site"]: s["network"] for s in new.results.get("sites", [])}
    scores = []
    for name in [*scores_old, *(n for n in scores_new if n not in scores_old)]:
        o, n = scores_old.get(name), scores_new.get(name)
        scores.append(
            {
                "site": name,
                "old": o["score"] if o else None,
                "new": n["score"] if n else None,
                "old_grade": o["grade_label"] if o else "",
                "new_grade": n["grade_label"] if n else "",
                "delta": (n["score"] - o["score"]) if o and n else None,
            }
        )
    scores.sort(key=lambda s: s["old"] == s["new"])  # changed sites first, in site order
    return {
        "recommendation": {
            "old": ro,
            "new": rn,
            "changed": (ro["label"], ro.get("sites_by_model"))
            != (rn["label"], rn.get("sites_by_model")),
        },
        "scores": scores,
        "scores_changed": sum(1 for s in scores if s["old"] != s["new"]),
        "answers": _answer_changes(
            old.document.get("answers", {}), new.document.get("answers", {})
        ),
        "sites": _site_changes(old.document.get("sites", []), new.document.get("sites", [])),
        "ruleset": (old.ruleset_version, new.ruleset_version),
        "branding_changed": old.branding != new.branding,
    }
