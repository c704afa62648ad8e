"""Issued proposals (immutable snapshots with their PDF), draft previews, customer links."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from assessments.models.assessments import Assessment
from tenancy.models.base import LinkLifetime, TimeStamped, Versioned, limited_text
from tenancy.models.organisations import Organisation
from tenancy.models.querysets import OrganisationQuerySet

IMMUTABLE = "An issued proposal is never changed or deleted; issue a new version instead."


class ProposalStatus(models.TextChoices):
    """Where the PDF of an issued proposal is in its rendering."""

    QUEUED = "queued", "Queued"
    RENDERING = "rendering", "Rendering"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


def proposal_upload_to(instance: "Proposal", filename: str) -> str:
    """An unguessable path: the organisation's slug, then a random secret, then the file."""
    return f"proposals/{instance.organisation.slug}/{secrets.token_urlsafe(24)}/{filename}"


class RenderProgress:
    """Where a record's PDF is in the worker (``status`` and ``pdf`` are its fields)."""

    @property
    def is_ready(self) -> bool:
        """Whether the PDF is stored and may be opened or downloaded."""
        return self.status == ProposalStatus.READY and bool(self.pdf)

    @property
    def is_pending(self) -> bool:
        """Whether a render is queued or running."""
        return self.status in (ProposalStatus.QUEUED, ProposalStatus.RENDERING)


class IssuedQuerySet(OrganisationQuerySet):
    """Rows issued for good: never deleted, and in bulk only their ``RENDER_FIELDS`` change.

    Proposals and their annex files share it: the rendering bookkeeping may move, the
    snapshot never does.
    """

    def delete(self):
        """Refused: issued rows are kept for good (a bulk delete would skip the model)."""
        raise ValidationError(IMMUTABLE)

    def update(self, **kwargs):
        """Only the rendering bookkeeping may change in bulk, never the snapshot."""
        if set(kwargs) - set(self.model.RENDER_FIELDS):
            raise ValidationError(IMMUTABLE)
        return super().update(**kwargs)


class Proposal(RenderProgress, TimeStamped):
    """A proposal version as issued: everything the PDF shows, frozen, plus the PDF itself.

    Like an invoice, it duplicates a lot of data on purpose: the answers (the assessment
    document), the scoring results, the ruleset version and the branding (with the logo
    as a data URI) are copied at issue time, so the document never changes when answers,
    rules or branding do. The PDF is rendered afterwards by a background task from this
    snapshot alone and stored once, with its sha256; a download serves those bytes.

    Invariants enforced here (the pretix ``Invoice`` exception to "no logic in save"):
    ``number`` counts 1, 2, 3 per assessment; the snapshot fields never change after
    creation; the PDF and its hash are written once; ``delete()`` is refused.
    """

    # Fields the renderer may still write after issue; everything else is frozen.
    RENDER_FIELDS = (
        "status",
        "error",
        "attempts",
        "rendered_at",
        "page_count",
        "pdf",
        "sha256",
        "size",
        "note",
        "updated_at",
    )

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposals"
    )
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="proposals")
    number = models.PositiveIntegerField()
    customer_name = models.CharField(max_length=160)
    # The frozen snapshot.
    document = models.JSONField(help_text="The assessment document (answers, sites, circuits).")
    results = models.JSONField(help_text="The scoring results.")
    ruleset_version = models.CharField(max_length=20)
    branding = models.JSONField(help_text="Branding values used, with the logo as a data URI.")
    thresholds = models.JSONField(default=list)
    # The cover letter and next steps as issued (``ProposalStory``); ``{}`` before they existed.
    story = models.JSONField(default=dict, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="issued_proposals"
    )
    issued_by_name = models.CharField(max_length=160)
    issued_at = models.DateTimeField()
    # Rendering.
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    pdf = models.FileField(upload_to=proposal_upload_to, blank=True, max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    note = models.CharField(
        max_length=500, blank=True, help_text="What the render left out, and why (a logo)."
    )

    objects = IssuedQuerySet.as_manager()

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_proposal"
        ordering = ["assessment", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="proposal_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="proposal_number_gte_1"),
        ]
        indexes = [models.Index(fields=["organisation", "assessment", "-number"])]

    def __str__(self) -> str:
        return f"{self.customer_name} proposal v{self.number}"

    @property
    def filename(self) -> str:
        """A sensible download name, e.g. ``Proposal - Contoso Manufacturing - v2.pdf``."""
        safe = "".join(c for c in self.customer_name if c.isalnum() or c in " -_.&")
        return f"Proposal - {' '.join(safe.split())[:80] or 'customer'} - v{self.number}.pdf"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            self._refuse_snapshot_changes()
        super().save(*args, **kwargs)

    def _refuse_snapshot_changes(self) -> None:
        stored = type(self).objects.filter(pk=self.pk).values().first()
        if stored is None:
            return
        for field in self._meta.concrete_fields:
            name = field.attname
            if name in self.RENDER_FIELDS or name == "id":
                continue
            if field.to_python(getattr(self, name)) != field.to_python(stored[name]):
                raise ValidationError(IMMUTABLE)
        # The PDF and its hash are written once, by the renderer.
        for name in ("pdf", "sha256"):
            if stored[name] and str(getattr(self, name) or "") != stored[name]:
                raise ValidationError(IMMUTABLE)

    def delete(self, *args, **kwargs):
        raise ValidationError(IMMUTABLE)


# A draft preview is kept this long after it was asked for, then deleted with its file.
PREVIEW_LIFETIME = timedelta(hours=24)


def preview_upload_to(instance: "ProposalPreview", filename: str) -> str:
    """Like an issued proposal: the organisation's slug, a random secret, then the file."""
    return f"previews/{instance.organisation.slug}/{secrets.token_urlsafe(24)}/{filename}"


class ProposalPreview(RenderProgress, TimeStamped):
    """A draft proposal PDF one member asked for: rendered by the worker, kept for a day.

    Nothing in it is frozen: the worker scores the current answers when it gets to it.
    One member has at most one pending preview per assessment (a second click finds the
    first); the row and its file are deleted once :data:`PREVIEW_LIFETIME` has passed.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="proposal_previews"
    )
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="proposal_previews"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposal_previews"
    )
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED
    )
    error = models.TextField(blank=True)
    note = models.CharField(max_length=500, blank=True)
    pdf = models.FileField(upload_to=preview_upload_to, blank=True, max_length=255)
    size = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    # SHA-256 of what the draft draws (see proposals.services.preview_key): a later preview
    # of the same content is served from this one's bytes instead of rendering again.
    content_sha256 = models.CharField(max_length=64, blank=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_proposalpreview"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "requested_by"],
                condition=models.Q(status__in=["queued", "rendering"]),
                name="preview_one_pending_per_member",
            )
        ]
        indexes = [models.Index(fields=["assessment", "requested_by", "-created_at"])]

    def __str__(self) -> str:
        return f"Draft preview of {self.assessment_id} for {self.requested_by_id}"

    @property
    def expires_at(self):
        """When the preview and its file are deleted."""
        return self.created_at + PREVIEW_LIFETIME


class AnnexKind(models.TextChoices):
    """The files of a proposal's site annex."""

    PDF = "pdf", "Site annex (PDF)"
    XLSX = "xlsx", "Site workbook (XLSX)"


def annex_upload_to(instance: "ProposalAnnex", filename: str) -> str:
    """Like its proposal's: the organisation's slug, a random secret, then the file."""
    return f"proposals/{instance.organisation.slug}/{secrets.token_urlsafe(24)}/{filename}"


class ProposalAnnex(RenderProgress, TimeStamped):
    """A file of an issued proposal's site annex: every site in detail, as PDF or workbook.

    Rendered by its own task from the proposal's frozen snapshot, beside the proposal's
    PDF, and issued with it: the file and its sha256 are written once, the row is never
    deleted, and a download serves those bytes. Every version has a workbook; the PDF
    only when the proposal gives its sites by pattern (more than
    :data:`~proposals.pdf.sections.large.MAIN_DETAIL_SITES` sites).
    """

    RENDER_FIELDS = (
        "status",
        "error",
        "attempts",
        "rendered_at",
        "page_count",
        "file",
        "sha256",
        "size",
        "updated_at",
    )

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposal_annexes"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="annexes")
    kind = models.CharField(max_length=4, choices=AnnexKind.choices)
    status = models.CharField(
        max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.QUEUED
    )
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    rendered_at = models.DateTimeField(null=True, blank=True)
    page_count = models.PositiveSmallIntegerField(null=True, blank=True)
    file = models.FileField(upload_to=annex_upload_to, blank=True, max_length=255)
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)

    objects = IssuedQuerySet.as_manager()

    class Meta:
        ordering = ["proposal", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "kind"], name="annex_one_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.proposal_id}"

    @property
    def pdf(self):
        """The stored file (``RenderProgress`` reads it under the proposal's name)."""
        return self.file

    @property
    def content_type(self) -> str:
        """The file's media type."""
        if self.kind == AnnexKind.PDF:
            return "application/pdf"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    def filename(self, proposal: Proposal) -> str:
        """The download name beside the proposal's, e.g. ``Site annex - Contoso - v2.xlsx``."""
        stem = proposal.filename.removeprefix("Proposal - ").removesuffix(".pdf")
        return f"Site annex - {stem}.{self.kind}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            stored = type(self).objects.filter(pk=self.pk).values().first()
            if stored is not None:
                for name in ("organisation_id", "proposal_id", "kind"):
                    if getattr(self, name) != stored[name]:
                        raise ValidationError(IMMUTABLE)
                # The file and its hash are written once, by the renderer.
                for name in ("file", "sha256"):
                    if stored[name] and str(getattr(self, name) or "") != stored[name]:
                        raise ValidationError(IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(IMMUTABLE)


def hash_link_token(raw: str) -> str:
    """The stored form of a proposal link's token: SHA-256 hex of the token in the URL."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ProposalLink(LinkLifetime, TimeStamped):
    """A link that lets one named customer contact read an issued version and decide on it.

    Only the SHA-256 of the token is stored: the raw token is shown to the partner once,
    like an invite's. Opens are counted here (first, last, how many), never with the
    visitor's address. A link is revoked or expires; it is never deleted, so the partner
    keeps the record of who was sent what.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposal_links"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="links")
    contact_name = models.CharField("Contact's name", max_length=120)
    email = models.EmailField("Contact's email")
    expires_at = models.DateTimeField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposal_links_created",
    )
    created_by_name = models.CharField(max_length=160, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by_name = models.CharField(max_length=160, blank=True)
    first_opened_at = models.DateTimeField(null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)
    open_count = models.PositiveIntegerField(default=0)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "proposal", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.contact_name} <{self.email}>"

    @property
    def actor_label(self) -> str:
        """How the contact appears in the activity log."""
        return f"{self.contact_name} (customer)"


class DecisionKind(models.TextChoices):
    """What a customer decided on a proposal version."""

    ACCEPTED = "accepted", "Accepted"
    CHANGES = "changes", "Asked for changes"


DECISION_IMMUTABLE = "A customer's decision is recorded once and never changed or deleted."


class ProposalDecisionQuerySet(OrganisationQuerySet):
    def delete(self):
        """Refused: a customer's decision is a record kept for good."""
        raise ValidationError(DECISION_IMMUTABLE)

    def update(self, **kwargs):
        """Refused: a decision is never changed, not even in bulk."""
        raise ValidationError(DECISION_IMMUTABLE)


class ProposalDecision(models.Model):
    """A customer's acceptance of, or request for changes to, one issued version.

    Written once and never changed: who (name and title as typed), when, the statement
    shown to them word for word, and the version number and SHA-256 of the PDF they
    read, so the record names exactly which document was accepted. No address or browser
    details are kept. A version is accepted at most once (a database constraint).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposal_decisions"
    )
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="decisions")
    link = models.ForeignKey(ProposalLink, on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    full_name = models.CharField("Full name", max_length=120)
    title = models.CharField("Job title", max_length=120, blank=True)
    statement = models.TextField(blank=True, help_text="The statement accepted, as shown.")
    comment = limited_text("Comment")
    proposal_number = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    decided_at = models.DateTimeField()

    objects = ProposalDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(kind="accepted"),
                name="proposal_accepted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.proposal_number} by {self.full_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError(DECISION_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(DECISION_IMMUTABLE)


class StepOwner(models.TextChoices):
    """Who carries out a next step of the proposal."""

    PARTNER = "partner", "Partner"
    CUSTOMER_IT = "customer_it", "Customer IT"
    PERSON = "person", "Named person"


LETTER_MAX_LENGTH = 6000


class ProposalStory(Versioned):
    """The sales engineer's words at the front of an assessment's proposal: letter, next steps.

    Blank means "the drafted default": the letter and the steps are drafted from the
    results whenever the proposal is prepared, until someone writes their own. Issuing a
    version freezes what it printed in :attr:`Proposal.story`, so later edits never reach it.
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="proposal_stories"
    )
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="proposal_story"
    )
    letter = limited_text("Cover letter", max_length=LETTER_MAX_LENGTH)
    # ``[{"step", "owner", "owner_name", "date"}]`` with ISO dates; ``None``: the drafted steps.
    steps = models.JSONField("Next steps", null=True, blank=True, default=None)

    objects = OrganisationQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Proposal story of {self.assessment}"
