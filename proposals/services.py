"""Proposals: preview a draft, issue a frozen version, render both in the worker, compare."""

import hashlib
import json
import logging
import os
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, QuerySet
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from assessments import engine_io, presenters
from assessments.models import Assessment, Site, Status
from assessments.services.costs import costs_for
from assessments.services.documents import assessment_export, result_payload
from assessments.services.versioning import Actor, SaveResult, record_change, versioned_update
from costs.selectors import price_book_dated
from deals.services import deal_proposal_issued
from invites.services import send_templated_email
from proposals import story
from proposals.links import staff_to_tell
from proposals.models import (
    PREVIEW_LIFETIME,
    AnnexKind,
    Proposal,
    ProposalAnnex,
    ProposalPreview,
    ProposalStatus,
    ProposalStory,
)
from proposals.pdf.annex import annex_parts
from proposals.pdf.brand import Branding
from proposals.pdf.context import ProposalSnapshot
from proposals.pdf.isolated import (
    IsolatedPdf,
    RenderFailed,
    render_isolated,
    render_parts_isolated,
)
from proposals.pdf.sections.large import needs_annex
from scoring import score_assessment
from scoring.inputs import AssessmentInput, circuit_order
from scoring.results import AssessmentResult
from tenancy.branding import logo_uri_problem
from tenancy.models import Organisation, Role
from tenancy.services.branding import LOGO_UNAVAILABLE, organisation_logo

logger = logging.getLogger(__name__)

BRANDING_FIELDS = Organisation.BRANDING_FIELDS
NOT_READY = "This proposal version has no stored PDF yet."
NOT_STORED = (
    "The PDF was rendered but the file store did not take it (it did not answer, or refused). "
    "Nothing was kept; try again once it is back."
)
PENDING = (ProposalStatus.QUEUED, ProposalStatus.RENDERING)
# Previews one member may have queued or rendering at once, across assessments.
MAX_PENDING_PREVIEWS = 3
# A preview still queued after this long lost its task (the queue holds renders of minutes).
STALE_QUEUED_PREVIEW = timedelta(hours=1)
# Expired previews deleted per clean-up, so one clean-up never runs long.
CLEANUP_BATCH = 200


class ProposalIntegrityError(Exception):
    """A stored PDF no longer matches the sha256 recorded when it was issued."""


class PreviewRefused(Exception):
    """A preview was not queued; the message says why and what to do."""


def _stale_before():
    # A render is killed at RENDER_TIMEOUT_SECONDS; one still "rendering" a minute after
    # that died with its worker, and may be tried again.
    return timezone.now() - timedelta(seconds=settings.RENDER_TIMEOUT_SECONDS + 60)


def _plain_json(value: Any) -> Any:
    # Store exactly what JSON gives back, so a saved snapshot compares equal to a loaded one.
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def logo_data_uri(organisation: Organisation) -> str:
    """The organisation's logo as a ``data:`` URI, or ``""`` when it has none or may not be drawn.

    Args:
        organisation: The partner organisation.

    Returns:
        A base64 ``data:`` URI of the PNG, JPEG or (sanitised) SVG logo.
    """
    return organisation_logo(organisation)[0]


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
    inputs = engine_io.assessment_input(assessment)
    result = score_assessment(inputs, engine_io.fit_options(assessment.organisation_id))
    results = _plain_json(result_payload(result))
    # The costs are frozen with the results: a later price book never changes this version.
    results["costs"] = cost_snapshot(assessment=assessment, result=result, inputs=inputs)
    return ProposalSnapshot(
        document=_plain_json(assessment_export(assessment)),
        results=results,
        ruleset_version=result.ruleset_version,
        branding=branding_snapshot(assessment.organisation),
        thresholds=presenters.thresholds_used(),
        number=None,
        issued_at=None,
        issued_by=issued_by,
        # The letter and steps as they stand: an issued version keeps them, later edits aside.
        story=_plain_json(story_frozen(assessment=assessment, results=results)),
    )


def cost_snapshot(
    *, assessment: Assessment, result: AssessmentResult, inputs: AssessmentInput
) -> dict[str, Any]:
    """What each model costs from the partner's price book now, as a proposal freezes it.

    Args:
        assessment: The assessment (its partner's price book prices it).
        result: The assessment's scoring result.
        inputs: The input ``result`` was scored from.

    Returns:
        The cost engine's result as plain JSON, with ``price_book``: the version priced
        and when it was saved (both ``None`` before the partner saved one).
    """
    book, saved_at = price_book_dated(assessment.organisation)
    costs = costs_for(assessment, result=result, inputs=inputs, prices=book).to_dict()
    costs["price_book"] = {
        "version": book.version,
        "saved_at": saved_at.isoformat() if saved_at else None,
    }
    return _plain_json(costs)


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
        story=proposal.story,
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

    Raises:
        ValidationError: The file store did not answer, so the logo could not be frozen
            into the version; nothing was issued.
    """
    actor = actor or Actor.for_user(user)
    # The row lock serialises two people issuing at once, so numbers never collide.
    locked = (
        Assessment.objects.select_for_update()
        .select_related("customer", "organisation")
        .get(pk=assessment.pk)
    )
    number = (locked.proposals.aggregate(top=Max("number"))["top"] or 0) + 1
    logo_left_out = organisation_logo(locked.organisation)[1]
    if logo_left_out == LOGO_UNAVAILABLE:
        # A version is frozen for good: never without its logo over a passing outage.
        raise ValidationError(f"{LOGO_UNAVAILABLE} Try again in a minute.")
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
        story=snapshot.get("story") or {},
        issued_by=user,
        issued_by_name=snapshot["issued_by"],
        issued_at=timezone.now(),
        status=ProposalStatus.QUEUED,
        # A stored logo over today's limits is not in the snapshot; say so on the version.
        note=_left_out(logo_left_out),
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
    # Who issued which version, in the assessment's log (a snapshot moves no score).
    record_change(
        assessment=locked,
        obj=proposal,
        action="issue" if number == 1 else "reissue",
        changed={},
        actor=actor,
        rescore=False,
        label=f"version {number}",
    )
    # The sale moves on with the document: a deal still being assessed is now proposed.
    deal_proposal_issued(assessment=locked, number=number, user=user)
    _enqueue_render(proposal.pk)
    # The site annex renders beside the proposal, each file by its own task: with two
    # workers, in parallel with the main document.
    kinds = [AnnexKind.PDF] if needs_annex(len(snapshot["results"].get("sites", []))) else []
    for kind in [*kinds, AnnexKind.XLSX]:
        annex = ProposalAnnex.objects.create(
            organisation=locked.organisation, proposal=proposal, kind=kind
        )
        _enqueue_annex(annex.pk)
    return proposal


def _enqueue_annex(annex_id: int) -> None:
    transaction.on_commit(lambda: render_annex.enqueue(annex_id))


def _enqueue_render(proposal_id: int) -> None:
    transaction.on_commit(lambda: render_proposal.enqueue(proposal_id))


def is_retryable(proposal: Proposal | ProposalAnnex) -> bool:
    """Whether a render failed, or has been "rendering" so long that its worker died."""
    if proposal.status == ProposalStatus.FAILED:
        return True
    return proposal.status == ProposalStatus.RENDERING and proposal.updated_at < _stale_before()


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


def _left_out(problem: str) -> str:
    return f"Rendered without the logo: {problem}"[:500] if problem else ""


def render_bounded(snapshot: ProposalSnapshot, *, draft: bool = False) -> tuple[IsolatedPdf, str]:
    """Render a snapshot in a child process with its limits, leaving out a logo over budget.

    A logo frozen into a proposal before today's limits is checked again here: one that
    would stall the renderer is left out and said so, never drawn.

    Args:
        snapshot: An issued proposal's snapshot, or a draft's.
        draft: Mark the pages as a draft.

    Returns:
        The PDF and its page count, and a note of what was left out (or ``""``).

    Raises:
        RenderFailed: The render failed, ran out of time or memory; the message says so.
    """
    drawable, problem = _drawable(snapshot)
    rendered = render_isolated(drawable, draft=draft)
    return rendered, _left_out(problem)


def _drawable(snapshot: ProposalSnapshot) -> tuple[ProposalSnapshot, str]:
    """The snapshot without a stored logo over today's limits, and why it was left out."""
    branding = dict(snapshot["branding"])
    problem = logo_uri_problem(str(branding.get("logo_data_uri") or ""))
    if problem:
        logger.warning("A proposal's stored logo is left out of its render: %s", problem)
        branding["logo_data_uri"] = ""
    return {**snapshot, "branding": branding}, problem  # type: ignore[typeddict-item]


def proposal_render(*, proposal_id: int) -> Proposal:
    """Render an issued proposal's PDF from its snapshot and store it once (the task body).

    Progress goes on the record: "rendering" while WeasyPrint works (in a child process
    with a time and memory limit), then "ready" with the file, its sha256, size and page
    count, or "failed" with the reason. A proposal that already has its PDF is left alone,
    so a task run twice stores nothing twice.

    Args:
        proposal_id: The proposal to render.

    Returns:
        The proposal as stored afterwards.
    """
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
        rendered, note = render_bounded(snapshot_of(proposal))
    except Exception as exc:
        return _failed(proposal, exc)
    if not _stored(proposal, proposal.filename, rendered.data):
        return proposal
    proposal.sha256 = hashlib.sha256(rendered.data).hexdigest()
    proposal.size = len(rendered.data)
    proposal.page_count = rendered.pages
    proposal.rendered_at = timezone.now()
    proposal.status = ProposalStatus.READY
    proposal.note = note or proposal.note
    proposal.save(
        update_fields=[
            "pdf",
            "sha256",
            "size",
            "page_count",
            "rendered_at",
            "status",
            "note",
            "updated_at",
        ]
    )
    _tell_ready(proposal)
    return proposal


def _tell_ready(proposal: Proposal) -> None:
    """Email the assessment's owner, who issued it and the managers that the PDF is ready.

    Sent from the worker once the file is stored, so "ready" in the email is true; a
    failure is logged (the proposal page shows the download either way).
    """
    assessment = Assessment.objects.select_related("customer", "owner", "organisation").get(
        pk=proposal.assessment_id
    )
    to = staff_to_tell(assessment, proposal.issued_by)
    if not to:
        return
    try:
        send_templated_email(
            template="proposal-ready",
            context={
                "proposal": proposal,
                "assessment": assessment,
                "brand": assessment.organisation,
                "url": settings.SITE_URL + reverse("proposals:proposal", args=[assessment.pk]),
            },
            to=to,
            from_email=settings.DEFAULT_FROM_EMAIL,
            reply_to=[],
        )
    except Exception as exc:
        logger.warning("Ready email for %s failed: %s", proposal, exc)


def _failed(record, exc: Exception):
    """Mark a proposal or preview as failed with a message its member can act on."""
    logger.warning("Rendering %s failed: %s", record, exc, exc_info=True)
    record.status = ProposalStatus.FAILED
    # A limit or an error inside the render says it all; anything else is named by its type.
    message = str(exc) if isinstance(exc, RenderFailed) else f"{type(exc).__name__}: {exc}"
    record.error = message[:2000]
    record.save(update_fields=["status", "error", "updated_at"])
    return record


def _stored(record, name: str, data: bytes, *, field: str = "pdf") -> bool:
    """Put a rendered file in the file store, or mark the record failed (a retry renders again)."""
    try:
        getattr(record, field).save(name, ContentFile(data), save=False)
    except OSError:
        _failed(record, RenderFailed(NOT_STORED))
        return False
    return True


def preview_request(*, assessment: Assessment, user) -> ProposalPreview:
    """Queue a draft preview of the assessment's proposal for ``user``, or find the pending one.

    The worker renders it (see :func:`preview_render`); a second click while it is queued
    or rendering returns the same preview instead of queueing another render.

    Args:
        assessment: The assessment, already checked to be visible to ``user``.
        user: The member who asks; the preview is theirs.

    Returns:
        The preview, queued or already pending.

    Raises:
        PreviewRefused: The member already has :data:`MAX_PENDING_PREVIEWS` previews of
            other assessments pending.
    """
    # A preview left "rendering" by a worker that died, or queued so long that its task
    # was lost, must not block the next one.
    ProposalPreview.objects.filter(
        Q(status=ProposalStatus.RENDERING, updated_at__lt=_stale_before())
        | Q(status=ProposalStatus.QUEUED, updated_at__lt=timezone.now() - STALE_QUEUED_PREVIEW),
        requested_by=user,
    ).update(
        status=ProposalStatus.FAILED,
        error="The worker did not finish this preview; prepare it again.",
        updated_at=timezone.now(),
    )
    mine = ProposalPreview.objects.filter(requested_by=user, status__in=PENDING)
    pending = mine.filter(assessment=assessment).first()
    if pending:
        return pending
    if mine.count() >= MAX_PENDING_PREVIEWS:
        raise PreviewRefused(
            f"You already have {MAX_PENDING_PREVIEWS} previews being prepared; this one can "
            "be asked for when one of them is ready."
        )
    try:
        with transaction.atomic():
            preview = ProposalPreview.objects.create(
                organisation_id=assessment.organisation_id, assessment=assessment, requested_by=user
            )
    except IntegrityError:
        # A second click raced the first one past the check above: use the first.
        return mine.get(assessment=assessment)
    transaction.on_commit(lambda: render_preview.enqueue(preview.pk))
    return preview


def preview_render(*, preview_id: int) -> ProposalPreview | None:
    """Score the assessment now and render its draft PDF in the worker (the task body).

    Args:
        preview_id: The preview to render.

    Returns:
        The preview afterwards: "ready" with its PDF, or "failed" with the reason; ``None``
        when it no longer exists (expired, or its assessment was deleted).
    """
    with transaction.atomic():
        preview = (
            ProposalPreview.objects.select_for_update()
            .select_related("assessment__customer", "assessment__organisation", "requested_by")
            .filter(pk=preview_id)
            .first()
        )
        if preview is None or preview.status != ProposalStatus.QUEUED:
            return preview
        preview.status = ProposalStatus.RENDERING
        preview.save(update_fields=["status", "updated_at"])
    try:
        assessment = preview.assessment
        snapshot = proposal_snapshot(assessment=assessment, issued_by=_name(preview.requested_by))
        key = preview_key(snapshot)
        cached = _cached_preview(preview, key)
        if cached is not None:
            data, pages, note = cached
        else:
            rendered, note = render_bounded(snapshot, draft=True)
            note = note or _left_out(organisation_logo(assessment.organisation)[1])
            data, pages = rendered.data, rendered.pages
    except Exception as exc:
        return _failed(preview, exc)
    name = f"Draft proposal - {preview.assessment.customer.name}.pdf"
    if not _stored(preview, name, data):
        return preview
    preview.size = len(data)
    preview.page_count = pages
    preview.rendered_at = timezone.now()
    preview.status = ProposalStatus.READY
    preview.note = note
    preview.content_sha256 = key
    preview.save()
    previews_clean_up(keep=preview)
    return preview


def preview_key(snapshot: ProposalSnapshot) -> str:
    """The SHA-256 of everything a draft preview draws, to tell an unchanged draft apart.

    The snapshot's canonical JSON (keys sorted) holds the answers, sites, results with
    their costs and price book version, the branding with the logo, the thresholds, the
    ruleset and who previews; the moment the document was exported is left out (it is not
    drawn), and today's date is put in (the draft's cover prints it).

    Args:
        snapshot: A draft snapshot from :func:`proposal_snapshot`.

    Returns:
        64 hexadecimal characters.
    """
    document = dict(snapshot["document"])
    document["meta"] = {k: v for k, v in (document.get("meta") or {}).items() if k != "exported_at"}
    drawn = {**snapshot, "document": document, "drawn_on": timezone.localdate().isoformat()}
    canonical = json.dumps(
        drawn, sort_keys=True, separators=(",", ":"), ensure_ascii=False, cls=DjangoJSONEncoder
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _cached_preview(preview: ProposalPreview, key: str) -> tuple[bytes, int | None, str] | None:
    """The bytes, pages and note of an unexpired finished preview that drew the same content.

    Any member's preview of the same assessment qualifies (the key holds who previews, so
    the name on the cover is theirs). ``None`` when there is none, or its file cannot be
    read: the caller renders then.
    """
    earlier = (
        ProposalPreview.objects.filter(
            assessment_id=preview.assessment_id,
            content_sha256=key,
            status=ProposalStatus.READY,
            created_at__gt=timezone.now() - PREVIEW_LIFETIME,
        )
        .exclude(pk=preview.pk)
        .order_by("-rendered_at", "-pk")
        .first()
    )
    if earlier is None:
        return None
    try:
        data = preview_pdf_bytes(preview=earlier)
    except (OSError, ValueError):  # gone or unreadable: render again rather than fail
        logger.warning("Cached %s could not be read; rendering again", earlier, exc_info=True)
        return None
    logger.info("%s served from the bytes of %s (unchanged content)", preview, earlier)
    return data, earlier.page_count, earlier.note


def annex_file(snapshot: ProposalSnapshot, kind: str) -> tuple[bytes, int | None]:
    """Render one file of a site annex from a snapshot: the PDF in parts, or the workbook.

    The PDF's parts render in child processes with the limits of every render, one a
    core, within one deadline (:func:`~proposals.pdf.isolated.render_parts_isolated`);
    the workbook is written here, in a second or two for thousands of sites.

    Args:
        snapshot: An issued proposal's snapshot.
        kind: ``"pdf"`` or ``"xlsx"``.

    Returns:
        The file's bytes, and its page count (``None`` for the workbook).

    Raises:
        RenderFailed: A part failed, ran out of time or memory; the message says so.
    """
    from proposals.pdf.render import join_parts
    from proposals.workbook import build_workbook

    if kind == AnnexKind.XLSX:
        return build_workbook(snapshot), None
    drawable, _problem = _drawable(snapshot)
    parts = annex_parts(drawable, processes=os.cpu_count() or 1)
    rendered = render_parts_isolated(parts, processes=os.cpu_count() or 1)
    title = f"Site annex: {parts[0]['customer_name']}"
    return join_parts([r.data for r in rendered], title=title)


def annex_render(*, annex_id: int) -> ProposalAnnex:
    """Render a file of an issued proposal's site annex and store it once (the task body).

    Like :func:`proposal_render`: "rendering", then "ready" with the file, its sha256,
    size and pages, or "failed" with the reason; a file already stored is left alone.

    Args:
        annex_id: The annex file to render.

    Returns:
        The annex file as stored afterwards.
    """
    with transaction.atomic():
        annex = (
            ProposalAnnex.objects.select_for_update()
            .select_related("organisation", "proposal")
            .get(pk=annex_id)
        )
        if annex.sha256 or (annex.status == ProposalStatus.RENDERING and not is_retryable(annex)):
            return annex
        annex.status = ProposalStatus.RENDERING
        annex.attempts += 1
        annex.error = ""
        annex.save(update_fields=["status", "attempts", "error", "updated_at"])
    try:
        data, pages = annex_file(snapshot_of(annex.proposal), annex.kind)
    except Exception as exc:
        return _failed(annex, exc)
    if not _stored(annex, annex.filename(annex.proposal), data, field="file"):
        return annex
    annex.sha256 = hashlib.sha256(data).hexdigest()
    annex.size = len(data)
    annex.page_count = pages
    annex.rendered_at = timezone.now()
    annex.status = ProposalStatus.READY
    annex.save(
        update_fields=[
            "file",
            "sha256",
            "size",
            "page_count",
            "rendered_at",
            "status",
            "updated_at",
        ]
    )
    return annex


def annex_retry(*, annex: ProposalAnnex) -> ProposalAnnex:
    """Queue a failed annex file again (the snapshot is unchanged; only the file is retried).

    Args:
        annex: An annex file whose render failed.

    Returns:
        The annex file, status "queued" (unchanged if it was not failed).
    """
    with transaction.atomic():
        locked = ProposalAnnex.objects.select_for_update().get(pk=annex.pk)
        if not is_retryable(locked):
            return locked
        locked.status = ProposalStatus.QUEUED
        locked.save(update_fields=["status", "updated_at"])
        _enqueue_annex(locked.pk)
    return locked


def annex_bytes(*, annex: ProposalAnnex) -> bytes:
    """The stored file of an annex, checked against its sha256 (never rendered again).

    Args:
        annex: An annex file that is ready.

    Returns:
        The bytes issued.

    Raises:
        FileNotFoundError: The file is not stored yet.
        ProposalIntegrityError: The stored file does not match its recorded hash.
    """
    return _checked_bytes(annex.file, annex.sha256, f"The stored {annex}")


def _checked_bytes(stored: Any, sha256: str, what: str) -> bytes:
    """An issued file's bytes, refused unless they hash to what was recorded at issue."""
    if not stored or not sha256:
        raise FileNotFoundError(NOT_READY)
    with stored.open("rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ProposalIntegrityError(
            f"{what} does not match the sha256 recorded when it was issued."
        )
    return data


# Background tasks (Django's tasks framework) beside the services they run: ids in, the
# service call, nothing else. The worker finds them by this module's path.


@task()
def render_annex(annex_id: int) -> None:
    """Render and store a file of an issued proposal's site annex (it carries its tenant)."""
    annex_render(annex_id=annex_id)


@task()
def render_proposal(proposal_id: int) -> None:
    """Render and store the PDF of an issued proposal (the proposal carries its tenant)."""
    proposal_render(proposal_id=proposal_id)


@task()
def render_preview(preview_id: int) -> None:
    """Render a member's draft preview from the current answers (the preview carries its tenant)."""
    preview_render(preview_id=preview_id)


def previews_clean_up(*, keep: ProposalPreview | None = None) -> int:
    """Delete expired previews, and the older previews of the member who just got one.

    Args:
        keep: A preview just rendered: its member's earlier previews of the same
            assessment that are no longer pending go (the newest replaces them).

    Returns:
        How many previews were deleted (at most :data:`CLEANUP_BATCH` expired ones).
    """
    expired = ProposalPreview.objects.filter(created_at__lt=timezone.now() - PREVIEW_LIFETIME)
    doomed = list(expired.order_by("created_at")[:CLEANUP_BATCH])
    if keep is not None:
        doomed += (
            ProposalPreview.objects.filter(
                assessment_id=keep.assessment_id,
                requested_by_id=keep.requested_by_id,
                created_at__lte=keep.created_at,
            )
            .exclude(pk=keep.pk)
            .exclude(status__in=PENDING)
        )
    deleted = 0
    for preview in {p.pk: p for p in doomed}.values():
        if preview.pdf:
            try:
                preview.pdf.delete(save=False)
            except OSError:
                # Kept for the next clean-up, so no file is ever left without its row.
                logger.warning("File of %s could not be deleted; trying again later", preview)
                continue
        preview.delete()
        deleted += 1
    return deleted


def preview_pdf_bytes(*, preview: ProposalPreview) -> bytes:
    """The stored PDF of a ready, unexpired preview.

    Args:
        preview: The member's preview.

    Returns:
        The PDF bytes.

    Raises:
        FileNotFoundError: Not ready, expired, or its file is gone.
    """
    if not preview.is_ready or preview.expires_at < timezone.now():
        raise FileNotFoundError("This preview is not ready or has expired.")
    with preview.pdf.open("rb") as handle:
        return handle.read()


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
    return _checked_bytes(proposal.pdf, proposal.sha256, f"The stored PDF of {proposal}")


def _answer_changes(a: dict[str, Any], b: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "field": presenters.label(Assessment, name),
            "old": presenters.display(Assessment, name, a.get(name), blank=presenters.EMPTY_CELL),
            "new": presenters.display(Assessment, name, b.get(name), blank=presenters.EMPTY_CELL),
        }
        for name in sorted(set(a) | set(b))
        if a.get(name) != b.get(name)
    ]


def _in_role_order(circuits: list[dict] | None) -> list[dict]:
    return sorted(circuits or [], key=lambda c: circuit_order(c.get("role", "")))


def _site_changes(a: list[dict], b: list[dict]) -> list[dict[str, Any]]:
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
            # Versions issued before circuits were listed in role order list backup first:
            # the same circuits in another order are no change.
            if key == "circuits" and _in_role_order(old.get(key)) == _in_role_order(new.get(key)):
                continue
            fields.append(
                {
                    "field": presenters.label(Site, key),
                    "old": presenters.display(Site, key, old.get(key), blank=presenters.EMPTY_CELL),
                    "new": presenters.display(Site, key, new.get(key), blank=presenters.EMPTY_CELL),
                }
            )
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


def story_editable(*, user) -> QuerySet[Assessment]:
    """The assessments whose proposal story ``user`` may edit: their own, or any as a manager.

    Args:
        user: The staff user.

    Returns:
        The assessments of the user's organisation they own, or all of them for a manager
        or admin; none for a user without a membership.
    """
    visible = Assessment.objects.visible_to(user).select_related("customer", "organisation")
    membership = getattr(user, "membership", None)
    if membership is not None and membership.role in (Role.MANAGER, Role.ADMIN):
        return visible
    return visible.filter(owner=user)


def story_results(*, assessment: Assessment) -> dict[str, Any]:
    """The assessment scored now, with its costs, as a proposal prepared now would show it.

    Args:
        assessment: The assessment.

    Returns:
        The scoring result in plain JSON form with ``costs``.
    """
    inputs = engine_io.assessment_input(assessment)
    result = score_assessment(inputs, engine_io.fit_options(assessment.organisation_id))
    results = _plain_json(result_payload(result))
    results["costs"] = cost_snapshot(assessment=assessment, result=result, inputs=inputs)
    return results


def story_drafted(*, assessment: Assessment, results: dict[str, Any]) -> dict[str, Any]:
    """The letter and next steps drafted from the results today.

    Args:
        assessment: The assessment (customer, partner, owner are named).
        results: Its scoring result with costs (:func:`story_results`).

    Returns:
        ``{"letter", "steps"}``.
    """
    owner = assessment.owner
    return {
        "letter": story.drafted_letter(
            results,
            customer=assessment.customer.name,
            partner=assessment.organisation.display_name,
            contact=_name(owner) if owner else "",
        ),
        "steps": story.drafted_steps(results, today=timezone.localdate()),
    }


def story_of(*, assessment: Assessment) -> ProposalStory:
    """The assessment's stored story, or an unsaved one at version 0 (everything drafted).

    Args:
        assessment: The assessment.

    Returns:
        The story row.
    """
    found = ProposalStory.objects.filter(assessment=assessment).first()
    return found or ProposalStory(
        organisation_id=assessment.organisation_id, assessment=assessment, version=0
    )


def story_frozen(*, assessment: Assessment, results: dict[str, Any]) -> dict[str, Any]:
    """What a version prints of the story: the saved words, or the draft where none are saved.

    Args:
        assessment: The assessment.
        results: Its scoring result with costs, as the version freezes it.

    Returns:
        ``{"letter", "steps", "drafted": [names of the parts drafted]}``.
    """
    saved = story_of(assessment=assessment)
    drafted = story_drafted(assessment=assessment, results=results)
    return {
        "letter": saved.letter or drafted["letter"],
        "steps": saved.steps if saved.steps is not None else drafted["steps"],
        "drafted": [
            name
            for name, own in (("letter", saved.letter), ("steps", saved.steps))
            if own in ("", None)
        ],
    }


@transaction.atomic
def story_update(
    *,
    assessment: Assessment,
    base_version: int,
    letter: str,
    steps: list[dict[str, str]],
    drafted: dict[str, Any],
    actor: Actor,
) -> SaveResult:
    """Save the cover letter and next steps over the version the author saw.

    Text equal to the draft is stored as "the draft" (blank), so saving the page
    unchanged changes nothing and the draft keeps following the results.

    Args:
        assessment: The assessment, already checked editable by the author.
        base_version: The story's version the form was built from (0: never saved).
        letter: The letter as submitted.
        steps: The steps as submitted (``step``, ``owner``, ``owner_name``, ``date``).
        drafted: The draft the form offered (:func:`story_drafted`).
        actor: Who saves.

    Returns:
        The save's result: the new version and what changed.

    Raises:
        StaleEditError: Someone changed the same part since ``base_version``.
        ValidationError: The letter is too long.
    """
    row, created = ProposalStory.objects.get_or_create(
        assessment=assessment, defaults={"organisation_id": assessment.organisation_id}
    )
    letter = letter.replace("\r\n", "\n").strip()  # a browser's textarea sends CRLF
    changes = {
        "letter": "" if letter == drafted["letter"].strip() else letter,
        "steps": None if steps == drafted["steps"] else steps,
    }
    # A row created now holds nothing yet: what the author saw ("version 0") is all there is.
    # One created by someone else meanwhile has its edits logged after version 0.
    return versioned_update(
        obj=row,
        base_version=row.version if created else base_version,
        changes=changes,
        actor=actor,
        assessment=assessment,
        rescore=False,
    )


def story_reset(*, assessment: Assessment, base_version: int, actor: Actor) -> SaveResult:
    """Put the drafted letter and steps back (the saved words are dropped).

    Args:
        assessment: The assessment, already checked editable by the author.
        base_version: The story's version the page showed.
        actor: Who resets.

    Returns:
        The save's result.

    Raises:
        StaleEditError: Someone changed the story since ``base_version``.
    """
    row = ProposalStory.objects.filter(assessment=assessment).first()
    if row is None:
        return SaveResult(version=0)
    return versioned_update(
        obj=row,
        base_version=base_version,
        changes={"letter": "", "steps": None},
        actor=actor,
        assessment=assessment,
        rescore=False,
    )
