"""Invite links that let a customer contact fill in parts of an assessment without an account."""

import hashlib

from django.conf import settings
from django.db import models

from assessments.models.assessments import Assessment
from tenancy.models.base import LinkLifetime, TimeStamped
from tenancy.models.querysets import OrganisationQuerySet


class InviteSection(models.TextChoices):
    """The parts of the customer questionnaire an invite may open."""

    ORGANISATION = "organisation", "About your organisation"
    VOICE = "voice", "How you want to run voice"
    SITES = "sites", "Your sites"
    MEASUREMENTS = "measurements", "Network measurements"


def hash_invite_token(raw: str) -> str:
    """The stored form of an invite token: SHA-256 hex of the token as it appears in the URL."""
    return hashlib.sha256(raw.encode()).hexdigest()


class InviteQuerySet(OrganisationQuerySet):
    organisation_path = "assessment__organisation_id"


class Invite(LinkLifetime, TimeStamped):
    """A link for one customer contact to one assessment, limited to some sections.

    Only the SHA-256 of the token is stored: the raw token is in the emailed link and is
    shown to the sales engineer once. Re-sending replaces the hash, so the old link dies.
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="invites")
    contact_name = models.CharField("Contact's name", max_length=120)
    email = models.EmailField("Contact's email")
    sections = models.JSONField(
        "What they fill in", default=list, help_text="InviteSection values this link opens."
    )
    expires_at = models.DateTimeField()
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="invites_created",
    )
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # Where the contact stopped: the same link resumes there on any device.
    last_step = models.CharField(max_length=40, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_invite"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.contact_name} <{self.email}>"

    @property
    def actor_label(self) -> str:
        """How the contact appears in the activity log."""
        return f"{self.contact_name} (customer)"

    def section_labels(self) -> list[str]:
        """The invited sections as people read them, in questionnaire order."""
        return [label for value, label in InviteSection.choices if value in self.sections]


class SubmissionNotice(models.Model):
    """A customer submission the owner has not looked at yet (the dashboard's "new" badge)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="submission_notices"
    )
    invite = models.ForeignKey(Invite, null=True, blank=True, on_delete=models.SET_NULL)
    submitted_by = models.CharField(max_length=160)
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Created by the assessments app before the apps were split: the table keeps its name.
        db_table = "assessments_submissionnotice"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["assessment", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.assessment_id} submitted by {self.submitted_by}"
